"""`upstream directory …`: import and export Open Referral UK JSON, load the synthetic directory;
and the demo step that loads it for the city's wards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from upstream.errors import InputError, read_user_text
from upstream.jobs.database import operational_database
from upstream.jobs.output import console

directory_app = typer.Typer(
    help="The services directory: Open Referral UK import and export.", no_args_is_help=True
)


def _django() -> None:
    operational_database()


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
    document = _read_json(file)
    _django()
    from upstream.directory.importer import import_document
    from upstream.directory.terms import ensure_taxonomy

    ensure_taxonomy()
    report = import_document(document, source=source or file.name, where=str(file))
    for line in report.lines():
        console().print(line, highlight=False)


# Open Referral UK documents are about eight levels deep (page, service, location, address…);
# far deeper is not a feed, and Python's parser and validator recurse once per level.
MAX_DEPTH = 100


def _read_json(file: Path) -> Any:
    text = read_user_text(file, what="JSON file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON: {error.msg} at line {error.lineno}", where=str(file)) from None
    except RecursionError:
        raise _too_deep(file) from None
    if _depth(document) > MAX_DEPTH:
        raise _too_deep(file)
    return document


def _too_deep(file: Path) -> InputError:
    message = f"nested more than {MAX_DEPTH} levels deep; not an Open Referral UK document"
    return InputError(message, where=str(file))


def _depth(document: Any) -> int:
    """How many arrays and objects deep a JSON document goes (without recursing)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


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
        console().print(f"Wrote {out}")


@directory_app.command("load-synthetic")
def load_synthetic_command(
    city: Path = typer.Option(
        None,
        help="The synthetic city whose wards to use (default: $UPSTREAM_DATA_DIR/city).",
    ),
) -> None:
    """Load the synthetic directory for a synthetic city (what `upstream demo` does)."""
    from upstream.config import load_settings

    data_dir = load_settings().data_dir
    load_for_city(city or data_dir / "city", data_dir)


def city_ward_names(city_dir: Path) -> list[str]:
    """The city's ward names, from its manifest (every city lists its wards there)."""
    manifest_path = city_dir / "manifest.json"
    if not manifest_path.exists():
        raise InputError("no synthetic city here (no manifest.json)", where=str(city_dir))
    manifest = json.loads(read_user_text(manifest_path, what="city manifest"))
    wards = manifest.get("wards") if isinstance(manifest, dict) else None
    if isinstance(wards, list) and wards and all(isinstance(w, dict) for w in wards):
        wards = [w.get("name") for w in wards]
    if not (isinstance(wards, list) and wards and all(isinstance(w, str) and w for w in wards)):
        raise InputError(
            'the manifest lists no ward names under "wards" (a city made before they were '
            "listed: make it again with `upstream demo --regenerate`)",
            where=str(manifest_path),
        )
    return wards


def load_for_city(city_dir: Path, data_dir: Path) -> None:
    """Demo step: the synthetic directory for the city's wards (Open Referral UK)."""
    wards = city_ward_names(city_dir)
    _django()
    from upstream.directory.demo import journey_postcode, load_synthetic

    report = load_synthetic(wards)
    console().print(report.lines()[0])
    console().print(
        f"Try the citizen journey: /directory/?need=financial-help&postcode="
        f"{journey_postcode()}&age=67&day=SA"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(directory_app, name="directory")
