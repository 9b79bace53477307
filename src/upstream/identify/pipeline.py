"""The whole-population run: rules on every year end (for sizes over time), the gated model,
cohorts, quality against truth, the transparency record; written to the identify workspace
(`$UPSTREAM_DATA_DIR/identify/`); the identify job (`upstream.jobs.identify`) publishes it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from upstream.identify import cohorts as cohorts_module
from upstream.identify import engine, quality, report, transparency
from upstream.identify.inputs import INSIGHT_KIND, LinkedCity
from upstream.identify.model import ModelResult, load_model_configs, score, train_and_gate
from upstream.identify.rules import RuleSet, load_rulesets
from upstream.identify.run import IdentifyRun
from upstream.insight.workspace import Workspace

RESULT_TABLES = ("population", "need_status", "flags", "evidence", "flag_members", "cohort_members")


def year_ends(con: duckdb.DuckDBPyConnection, rulesets: list[RuleSet]) -> list[date]:
    """31 March of every year whose longest look-back the events cover fully (so early years
    are not undercounted), and the last date of the events."""
    first, last = con.execute("SELECT min(event_date), max(event_date) FROM events").fetchall()[0]
    if first is None:
        return []
    months = max(r.lookback_months for r in rulesets)
    earliest = first.year + (months + first.month - 1) // 12
    dates = [date(y, 3, 31) for y in range(earliest, last.year + 1) if date(y, 3, 31) <= last]
    return dates if dates and dates[-1] == last else [*dates, last]


def run_identification(
    city: LinkedCity,
    out_dir: Path,
    *,
    as_of_dates: list[date] | None = None,
    truth_dir: Path | None = None,
    with_models: bool = True,
    rules_dir: Path | None = None,
) -> IdentifyRun:
    con = city.con
    rulesets = load_rulesets(rules_dir)
    dates = sorted(as_of_dates or year_ends(con, rulesets))
    flags: dict[str, int] = {}
    for as_of in dates:
        flags = engine.run_rules(con, rulesets, as_of)
    as_of = dates[-1]
    models: list[ModelResult] = []
    if with_models:
        for config in load_model_configs():
            result = train_and_gate(con, config, rulesets)
            engine.snapshot_population(con, as_of)  # the model's datasets replaced it
            flags[config.id] = score(con, result, as_of)
            models.append(result)
    saved = cohorts_module.load_cohorts()
    cohorts_module.build_members(con, saved)
    cohorts_module.build_person_costs(con)
    measured = (
        quality.measure_rules(
            con, rulesets, as_of, truth_dir, linked_by_insight=city.input_kind == INSIGHT_KIND
        )
        if truth_dir
        else None
    )
    run = IdentifyRun(
        as_of, dates, city.input_kind, city.source, rulesets, flags, measured, models, out_dir
    )
    write_workspace(con, out_dir, run)
    report.write_report(con, run, saved, out_dir / "report", truth=truth_dir is not None)
    write_governance(run, out_dir / "report")
    return run


def write_workspace(con: duckdb.DuckDBPyConnection, out_dir: Path, run: IdentifyRun) -> None:
    workspace = Workspace.identify(out_dir)
    workspace.remove()  # each run's workspace is written whole
    with workspace.attached(con, "ws", read_only=False):
        for table in RESULT_TABLES:
            con.execute(f"CREATE TABLE ws.{table} AS SELECT * FROM {table}")
        con.execute(
            "CREATE TABLE ws.run AS SELECT ? AS summary", [json.dumps(run.summary(), default=str)]
        )
    (out_dir / "run.json").write_text(
        json.dumps(run.summary(), indent=2, default=str), encoding="utf-8"
    )


def write_governance(run: IdentifyRun, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    q = run.quality
    records = [
        transparency.ruleset_record(
            r,
            json.loads(q[q.ruleset_id == r.id].to_json(orient="records")) if q is not None else [],
        )
        for r in run.rulesets
    ]
    records += [transparency.model_record(m.config, m) for m in run.models]
    (folder / "transparency.json").write_text(
        json.dumps(records, indent=2, default=str), encoding="utf-8"
    )
    (folder / "transparency.md").write_text(
        transparency.transparency_markdown(records), encoding="utf-8"
    )
    (folder / "dpia.md").write_text(
        transparency.dpia_markdown(run.rulesets, [m.config for m in run.models]), encoding="utf-8"
    )
    fairness = [m.fairness.assign(model=m.config.id) for m in run.models if not m.fairness.empty]
    if fairness:
        pd.concat(fairness).to_csv(folder / "fairness-audit.csv", index=False)
