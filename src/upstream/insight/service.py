"""The insight jobs the CLI and the main job call: ingest a folder, link, write reports."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb

from upstream.errors import InputError
from upstream.insight.contract import load_contracts
from upstream.insight.faults import fault_point
from upstream.insight.ingest import ImportReport, ingest_folder
from upstream.insight.link import LinkRun, link, record_run
from upstream.insight.linkage.pipeline import LinkOptions
from upstream.insight.quality import quality_report
from upstream.insight.workspace import Workspace, scalar


def run_ingest(
    folder: Path, data_dir: Path, contracts_dir: Path | None = None
) -> tuple[list[ImportReport], Path]:
    """Import every extract in `folder`; write the import report (JSON and CSV)."""
    with Workspace.insight(data_dir).open() as con:
        reports = ingest_folder(con, folder, load_contracts(contracts_dir))
    return reports, write_import_report(reports, data_dir)


def write_import_report(reports: list[ImportReport], data_dir: Path) -> Path:
    folder = Workspace.insight(data_dir).folder / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"import-{stamp}.json"
    path.write_text(
        json.dumps([json.loads(r.to_json()) for r in reports], indent=2), encoding="utf-8"
    )
    with (folder / f"import-{stamp}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "source",
                "file",
                "extract_id",
                "status",
                "rows_in",
                "accepted",
                "rejected",
                "blanked",
                "cleaned",
                "reason",
                "rows",
            ]
        )
        for r in reports:
            base = [
                r.source,
                r.file_name,
                r.extract_id,
                r.status,
                r.rows_in,
                r.accepted,
                r.rejected,
                r.blanked,
                r.cleaned,
            ]
            for reason, n in r.reasons.items() or {"": 0}.items():
                writer.writerow([*base, reason, n])
    return path


def _workspace_with_extracts(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """The workspace, if an ingest has imported something to link; else one clear error that
    leaves no empty workspace or run folder behind."""
    workspace = Workspace.insight(data_dir)
    message = "no extracts imported yet; run `upstream ingest` first"
    if not workspace.exists():
        raise InputError(message, where=str(workspace.path))
    try:
        con = workspace.connect()
        current = scalar(con, "SELECT count(*) FROM extracts WHERE status = 'current'")
    except duckdb.Error as error:
        raise InputError(
            f"not a usable insight workspace: {error}", where=str(workspace.path)
        ) from None
    if not current:
        con.close()
        raise InputError(message, where=str(workspace.path))
    return con


def run_link(
    data_dir: Path,
    *,
    city_dir: Path | None = None,
    incremental: bool = False,
    options: LinkOptions | None = None,
) -> tuple[LinkRun, dict[str, object]]:
    """Link the workspace's current extracts; the city's truth (if given) scores the run."""
    con = _workspace_with_extracts(data_dir)
    truth = city_dir / "truth" if city_dir else None
    gazetteer = (
        truth / "properties.parquet" if truth and (truth / "properties.parquet").exists() else None
    )
    base = options or LinkOptions()
    # One transaction: a run killed at any point leaves the workspace as the last run left it
    # (person IDs, lineage and `link_runs` included), so re-running gives one clean run.
    try:
        con.begin()
        run = link(
            con,
            load_contracts(),
            data_dir,
            options=LinkOptions(base.threads, base.memory_limit, incremental, None, base.seed),
            gazetteer=str(gazetteer) if gazetteer else None,
        )
        result = quality_report(con, run.folder, run.run_id, truth, run.counts, run.timings)
        record_run(con, run)
        fault_point("link:run-recorded")
        con.commit()
    finally:
        con.close()  # closing without the commit rolls the whole run back
    return run, result
