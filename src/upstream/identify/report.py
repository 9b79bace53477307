"""The cohort report for analysts: sizes over time, overlaps, cost of need, by ward and by
agency, and quality against truth. One dict (`report.json`) feeds the HTML file, the CSV files
and the web page, so they always agree. Counts only: no names or identifiers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pandas as pd

from upstream.identify import cohorts as cohorts_module
from upstream.identify.run import IdentifyRun


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return records


def _pivot(frame: pd.DataFrame, index: str, columns: str, values: str) -> dict[str, Any]:
    if frame.empty:
        return {"columns": [], "rows": []}
    table = frame.pivot_table(
        index=index, columns=columns, values=values, aggfunc="sum", fill_value=0
    )
    return {
        "columns": [
            c.strftime("%Y-%m-%d") if hasattr(c, "strftime") else str(c) for c in table.columns
        ],
        "rows": [{"name": str(i), "values": [int(v) for v in row]} for i, row in table.iterrows()],
    }


def build_report(
    con: duckdb.DuckDBPyConnection,
    run: IdentifyRun,
    saved: list[cohorts_module.Cohort],
    *,
    truth: bool,
) -> dict[str, Any]:
    as_of = run.as_of
    sizes = cohorts_module.sizes_over_time(con)
    latest = sizes[sizes.as_of.astype(str).str[:10] == str(as_of)]
    titles = {c.id: c.title for c in saved}
    in_need = cohorts_module.truth_in_need(con, as_of) if truth else pd.DataFrame()
    need_map = dict(zip(in_need.cohort_id, in_need.truly_in_need, strict=False)) if truth else {}
    cohorts = [
        {
            "id": c.id,
            "title": c.title,
            "flags": list(c.flags),
            "ages": list(c.ages),
            "wards": list(c.wards),
            **(
                {k: v for k, v in r.items() if k not in ("cohort_id", "as_of")}
                if (r := next((x for x in _records(latest) if x["cohort_id"] == c.id), None))
                else {"people": 0, "households": 0, "cost": 0, "cost_per_person": 0}
            ),
            "truly_in_need": need_map.get(c.id),
        }
        for c in saved
    ]
    ward = cohorts_module.by_ward(con, as_of)
    agency = cohorts_module.by_agency(con, as_of)
    overlap = cohorts_module.overlaps(con, as_of)
    return {
        "as_of": str(as_of),
        "input_kind": run.input_kind,
        "input_source": run.input_source,
        "rulesets": [
            {
                "id": r.id,
                "version": r.version,
                "title": r.title,
                "summary": r.summary,
                "flags": run.flags.get(r.id, 0),
            }
            for r in run.rulesets
        ],
        "cohorts": cohorts,
        "titles": titles,
        "sizes_over_time": _pivot(sizes, "cohort_id", "as_of", "people"),
        "overlaps": _pivot(overlap, "cohort", "other", "people"),
        "in_several": _records(cohorts_module.in_several(con, as_of)),
        "by_ward": _pivot(ward, "cohort_id", "ward", "people"),
        "cost_by_ward": _pivot(ward, "cohort_id", "ward", "cost"),
        "cost_by_agency": _pivot(agency, "cohort_id", "source", "cost"),
        "quality": _records(run.quality),
        "models": [
            {
                "id": m.config.id,
                "version": m.config.version,
                "title": m.config.title,
                "status": m.status,
                "reasons": m.reasons,
                "metrics": {k: v for k, v in m.metrics.items()},
                "rules": _records(m.rules),
                "checks": [c.__dict__ for c in m.checks],
            }
            for m in run.models
        ],
    }


def render_html(data: dict[str, Any]) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("upstream.identify", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    return env.get_template("cohort_report.html").render(r=data)


def write_report(
    con: duckdb.DuckDBPyConnection,
    run: IdentifyRun,
    saved: list[cohorts_module.Cohort],
    folder: Path,
    *,
    truth: bool,
) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    data = build_report(con, run, saved, truth=truth)
    (folder / "report.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    (folder / "cohort-report.html").write_text(render_html(data), encoding="utf-8")
    pd.DataFrame(data["cohorts"]).to_csv(folder / "cohorts.csv", index=False)
    cohorts_module.sizes_over_time(con).to_csv(folder / "cohort-sizes.csv", index=False)
    cohorts_module.by_ward(con, run.as_of).to_csv(folder / "cohorts-by-ward.csv", index=False)
    cohorts_module.overlaps(con, run.as_of).to_csv(folder / "cohort-overlaps.csv", index=False)
    if run.quality is not None:
        run.quality.to_csv(folder / "quality.csv", index=False)
    return data
