"""The main job: the synthetic city, every pipeline that exists so far, the web app with demo
accounts. `make demo` (the README's first command) runs `upstream demo`.

Capabilities add their batch steps to :data:`PIPELINE`, as callables, in the order they must
run. Each step takes the city's folder and the data directory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer

from upstream.economics.examples import appraise_examples
from upstream.errors import InputError
from upstream.jobs import (
    casework,
    conversations_activity,
    directory,
    frontdoor,
    frontdoor_activity,
    identify,
    insight,
)
from upstream.jobs.database import operational_database
from upstream.jobs.output import console


@dataclass(frozen=True)
class Step:
    name: str
    description: str
    run: Callable[[Path, Path], None]  # (city_dir, data_dir)


# Every batch step the main job runs after the synthetic city is generated.
PIPELINE: tuple[Step, ...] = (
    Step("ingest", "validate and import the agency extracts", insight.ingest_step),
    Step(
        "frontdoor export",
        "the front door's provisional people, for the link to match",
        frontdoor.export_step,
    ),
    Step(
        "link",
        "link people and households, cost the need, write the quality report",
        insight.link_step,
    ),
    Step(
        "publish",
        "publish people, households, timeline and costs to the operational database",
        insight.publish_step,
    ),
    Step(
        "frontdoor match",
        "provisional people the link joined to a person: their requests follow them",
        frontdoor.match_step,
    ),
    Step(
        "directory",
        "the synthetic services directory for the city's wards (Open Referral UK)",
        directory.load_for_city,
    ),
    Step(
        "casework",
        "index the published people for Find a person (names, postcodes, agency identifiers)",
        casework.index_step,
    ),
    Step(
        "economics",
        "appraise the example business cases for commissioners (reports in the web app)",
        appraise_examples,
    ),
    Step(
        "identify",
        "rules, cohorts and gated models over the linked city; publish flags",
        identify.identify_step,
    ),
    Step(
        "frontdoor",
        "a synthetic year of front-door requests, triage, consent, safeguarding and connections",
        frontdoor_activity.activity_step,
    ),
    Step(
        "conversations",
        "the year continued into conversations, family plans, meetings and reviews",
        conversations_activity.activity_step,
    ),
)


def city_is_current(out: Path, *, people: int, seed: int) -> bool:
    """Whether `out` holds a city with these people and seed that lists its wards (cities made
    before the manifest listed them are made again)."""
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        return False
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return (
        manifest.get("people") == people
        and manifest.get("seed") == seed
        and bool(manifest.get("wards"))
    )


def ensure_city(*, people: int, seed: int, out: Path, regenerate: bool) -> None:
    """Generate the city unless one with the same people and seed is already there."""
    if city_is_current(out, people=people, seed=seed) and not regenerate:
        console().print(
            f"Using the synthetic city already in {out} ({people:,} people, seed {seed})."
        )
        return
    from upstream.jobs.synth import synth  # the CLI command, for its progress bars

    synth(people=people, seed=seed, out=out)


def run_pipeline(city_dir: Path, data_dir: Path, steps: tuple[Step, ...] = PIPELINE) -> None:
    if not (city_dir / "manifest.json").exists():
        raise InputError(
            "no synthetic city here (no manifest.json); run `upstream synth` first",
            where=str(city_dir),
        )
    # Steps that publish write to the operational database: its tables must exist first.
    operational_database()
    for step in steps:
        console().print(f"[bold]{step.name}[/]: {step.description}")
        step.run(city_dir, data_dir)


def pipelines(
    city: Path = typer.Option(
        None,
        help="The synthetic city to run the pipelines over (default: $UPSTREAM_DATA_DIR/city).",
    ),
) -> None:
    """Run every pipeline that exists so far over a synthetic city."""
    from upstream.config import load_settings

    data_dir = load_settings().data_dir
    run_pipeline(city or data_dir / "city", data_dir)


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
    from upstream.jobs import web

    data_dir = load_settings().data_dir
    city_dir = data_dir / "city"
    ensure_city(people=people, seed=seed, out=city_dir, regenerate=regenerate)
    run_pipeline(city_dir, data_dir)
    web.demo_logins()
    web.run_server(host, port)


def register(app: typer.Typer) -> None:
    app.command("pipelines")(pipelines)
    app.command("demo")(demo)
