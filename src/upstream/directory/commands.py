"""`upstream directory …`: import and export Open Referral UK JSON, load the synthetic directory."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from upstream.errors import InputError

console = Console()
directory_app = typer.Typer(
    help="The services directory: Open Referral UK import and export.", no_args_is_help=True
)


def _django() -> None:
    from upstream.web.commands import migrate

    migrate()


@directory_app.command("import")
def import_feed(
    file: Path = typer.Argument(..., help="An ORUK JSON file: a service, a list, or an API page."),
    source: str = typer.Option(
        "", help="The feed's name, recorded with every change (default: the file name)."
    ),
) -> None:
    """Import an ORUK v3 JSON file; checked against the schemas first, idempotent."""
    if not file.exists():
        raise InputError("no such file", where=str(file))
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON: {error.msg} at line {error.lineno}", where=str(file)) from None
    _django()
    from upstream.directory.importer import import_document
    from upstream.directory.terms import ensure_taxonomy

    ensure_taxonomy()
    report = import_document(document, source=source or file.name, where=str(file))
    for line in report.lines():
        console.print(line, highlight=False)


@directory_app.command("export")
def export_feed(
    out: Path = typer.Option(Path("-"), help="Where to write the JSON (default: standard output)."),
) -> None:
    """Export every service as ORUK v3 JSON (a list of fully nested services), schema-checked."""
    _django()
    from upstream.directory.exporter import export_services

    text = json.dumps(export_services(), indent=2, ensure_ascii=False)
    if str(out) == "-":
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"Wrote {out}")


@directory_app.command("load-synthetic")
def load_synthetic(
    city: Path = typer.Option(Path("var/city"), help="The synthetic city whose wards to use."),
) -> None:
    """Load the synthetic directory for a synthetic city (what `upstream demo` does)."""
    from upstream.config import load_settings
    from upstream.directory.pipeline import load_for_city

    load_for_city(city, load_settings().data_dir)


def register(app: typer.Typer) -> None:
    app.add_typer(directory_app, name="directory")
