"""The main job: the synthetic city, every pipeline that exists so far, the web app with demo
accounts. `make demo` (the README's first command) runs `upstream demo`.

Capabilities add their batch steps to :data:`PIPELINES`, in the order they must run.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from upstream.errors import InputError

console = Console()


@dataclass(frozen=True)
class PipelineStep:
    name: str
    description: str
    target: str  # "module:function", called with (city_dir: Path, data_dir: Path)

    def load(self) -> Callable[[Path, Path], None]:
        module_name, function_name = self.target.split(":")
        step: Callable[[Path, Path], None] = getattr(
            importlib.import_module(module_name), function_name
        )
        return step


# Every batch step the main job runs after the synthetic city is generated.
PIPELINES: list[PipelineStep] = [
    PipelineStep(
        "ingest", "validate and import the agency extracts", "upstream.insight.service:ingest_step"
    ),
    PipelineStep(
        "link",
        "link people and households, cost the need, write the quality report",
        "upstream.insight.service:link_step",
    ),
    PipelineStep(
        "publish",
        "publish people, households, timeline and costs to the operational database",
        "upstream.people.pipeline:publish_step",
    ),
    PipelineStep(
        "directory",
        "the synthetic services directory for the city's wards (Open Referral UK)",
        "upstream.directory.pipeline:load_for_city",
    ),
    PipelineStep(
        "casework",
        "index the published people for Find a person (names, postcodes, agency identifiers)",
        "upstream.casework.demo:prepare",
    ),
    PipelineStep(
        "economics",
        "appraise the example business cases for commissioners (reports in the web app)",
        "upstream.economics.examples:appraise_examples",
    ),
    PipelineStep(
        "identify",
        "rules, cohorts and gated models over the linked city; publish flags (issue 7)",
        "upstream.identify.pipeline:identify_city",
    ),
]


def ensure_city(*, people: int, seed: int, out: Path, regenerate: bool) -> None:
    """Generate the city unless one with the same people and seed is already there."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists() and not regenerate:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("people") == people and manifest.get("seed") == seed:
            console.print(
                f"Using the synthetic city already in {out} ({people:,} people, seed {seed})."
            )
            return
    from upstream.synth.commands import synth  # the CLI command, for its progress bars

    synth(people=people, seed=seed, out=out)


def run_pipelines(city_dir: Path, data_dir: Path) -> None:
    if not (city_dir / "manifest.json").exists():
        raise InputError(
            "no synthetic city here (no manifest.json); run `upstream synth` first",
            where=str(city_dir),
        )
    from upstream.web.commands import migrate

    # Steps that publish write to the operational database: its tables must exist first.
    migrate()
    for step in PIPELINES:
        console.print(f"[bold]{step.name}[/]: {step.description}")
        step.load()(city_dir, data_dir)
    if not PIPELINES:
        console.print("No pipelines yet beyond the synthetic city.")


def pipelines(
    city: Path = typer.Option(
        None,
        help="The synthetic city to run the pipelines over (default: $UPSTREAM_DATA_DIR/city).",
    ),
) -> None:
    """Run every pipeline that exists so far over a synthetic city."""
    from upstream.config import load_settings

    data_dir = load_settings().data_dir
    run_pipelines(city or data_dir / "city", data_dir)


def demo(
    people: int = typer.Option(
        20_000, min=1_000, max=1_100_000, help="People in the synthetic city."
    ),
    seed: int = typer.Option(42, help="Seed for the synthetic city (same seed, same city)."),
    host: str = typer.Option("127.0.0.1", help="Address for the web app."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port for the web app."),
    regenerate: bool = typer.Option(
        False, help="Make the city again even if one with these settings exists."
    ),
) -> None:
    """The main job: generate the city, run the pipelines, start the web app with demo accounts."""
    from upstream.config import load_settings
    from upstream.web import commands as web

    data_dir = load_settings().data_dir
    city_dir = data_dir / "city"
    ensure_city(people=people, seed=seed, out=city_dir, regenerate=regenerate)
    run_pipelines(city_dir, data_dir)
    web.migrate()
    web.print_logins()
    web.run_server(host, port)


def register(app: typer.Typer) -> None:
    app.command("pipelines")(pipelines)
    app.command("demo")(demo)
