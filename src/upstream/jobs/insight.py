"""`upstream ingest`, `upstream link`, `upstream publish`, and the demo's steps that run them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from upstream.jobs.database import operational_database
from upstream.jobs.output import console


def _data_dir() -> Path:
    from upstream.config import load_settings

    return load_settings().data_dir


def ingest(
    folder: Path = typer.Argument(
        None, help="Folder of agency extracts (default: $UPSTREAM_DATA_DIR/city/extracts)."
    ),
    contracts: Path = typer.Option(
        None, help="Folder of contract files (default: the bundled ones)."
    ),
) -> None:
    """Validate and import agency extracts into the insight workspace; print the import report."""
    from upstream.insight.service import run_ingest

    data_dir = _data_dir()
    reports, path = run_ingest(folder or data_dir / "city" / "extracts", data_dir, contracts)
    table = Table(title="Import report", title_justify="left")
    for column in (
        "Source",
        "File",
        "Status",
        "In",
        "Accepted",
        "Rejected",
        "Blanked",
        "Cleaned",
        "Top reason",
    ):
        table.add_column(column)
    for r in reports:
        reason = next(iter(r.reasons), "") or "; ".join(r.warnings)
        table.add_row(
            r.source,
            r.file_name,
            r.status,
            f"{r.rows_in:,}",
            f"{r.accepted:,}",
            f"{r.rejected:,}",
            f"{r.blanked:,}",
            f"{r.cleaned:,}",
            reason,
        )
    console().print(table)
    console().print(
        f"Report: {path} (and .csv); rejected rows are in the workspace table `problems`."
    )
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


def link(
    city: Path = typer.Option(
        None,
        help="The synthetic city, to score the run against its truth and use its address gazetteer.",
    ),
    incremental: bool = typer.Option(
        False,
        help="Keep earlier links and score only pairs with new records, reusing the last model.",
    ),
) -> None:
    """Link records into people and households, cost every event, write the quality report."""
    from upstream.insight.service import run_link

    data_dir = _data_dir()
    run, result = run_link(data_dir, city_dir=city, incremental=incremental)
    console().print(f"Run {run.run_id}: {run.counts}")
    accuracy = result.get("accuracy")
    if isinstance(accuracy, dict):
        console().print(
            f"Pairwise precision {accuracy['pairwise_precision']}, recall {accuracy['pairwise_recall']}, F1 {accuracy['pairwise_f1']}"
        )
    console().print(
        f"Quality report: {run.folder / 'quality.html'}; model: {run.folder / 'model.json'}"
    )


def publish() -> None:
    """Write the latest linkage run into the operational database (replaces the published tables)."""
    operational_database()
    from upstream.people.publish import publish as publish_tables

    counts = publish_tables(_data_dir(), progress=console().print)
    console().print(f"Published: {counts}")


def ingest_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step: import the city's extracts."""
    from upstream.insight.service import run_ingest

    reports, path = run_ingest(city_dir / "extracts", data_dir)
    accepted = sum(r.accepted for r in reports)
    rejected = sum(r.rejected for r in reports)
    print(f"  imported {accepted:,} rows, rejected {rejected:,} (report: {path})")


def link_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step: link people and households, write the quality report."""
    from upstream.insight.service import run_link

    run, result = run_link(data_dir, city_dir=city_dir)
    accuracy = result.get("accuracy") or {}
    f1 = accuracy.get("pairwise_f1", "n/a") if isinstance(accuracy, dict) else "n/a"
    print(
        f"  {run.counts.get('people', 0):,} people; pairwise F1 {f1}; report: {run.folder / 'quality.html'}"
    )


def publish_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step: publish the latest run to the operational database."""
    operational_database()
    from upstream.people.publish import publish as publish_tables

    publish_tables(data_dir, progress=lambda line: print(f"  {line}"))


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("link")(link)
    app.command("publish")(publish)
