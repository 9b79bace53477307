"""`upstream identify` and `upstream identify-rules`, and the demo step that identifies and
publishes flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from upstream.jobs.database import operational_database
from upstream.jobs.output import console

if TYPE_CHECKING:
    from upstream.identify.inputs import LinkedCity


def identify(
    city: Path = typer.Option(
        None, "--city", help="Synthetic city folder (default: $UPSTREAM_DATA_DIR/city)."
    ),
    as_of: list[str] = typer.Option(
        [], "--as-of", help="Date(s) to run the rules on, YYYY-MM-DD (default: every 31 March)."
    ),
    out: Path = typer.Option(
        None, "--out", help="Workspace and reports (default: $UPSTREAM_DATA_DIR/identify)."
    ),
    truth_linked: bool = typer.Option(
        False, "--truth-linked", help="Use the synthetic truth even if insight has linked events."
    ),
    models: bool = typer.Option(True, help="Train and gate the models in identify/models/."),
    publish: bool = typer.Option(True, help="Publish flags to the operational database."),
) -> None:
    """Run the rules (and gated models) over the linked city; write the cohort report."""
    from upstream.config import load_settings
    from upstream.identify.pipeline import run_identification

    data_dir = load_settings().data_dir
    city = city or data_dir / "city"
    out = out or data_dir / "identify"
    dates = _dates(as_of)
    linked = _truth_linked(city) if truth_linked else load_input(city, data_dir)
    truth = city if (city / "truth" / "needs.parquet").exists() else None
    run = run_identification(linked, out, as_of_dates=dates, truth_dir=truth, with_models=models)
    typer.echo(f"input: {run.input_kind}")
    for name, count in run.flags.items():
        typer.echo(f"  {name}: {count:,} flags on {run.as_of}")
    for model in run.models:
        typer.echo(
            f"  model {model.config.id}: {model.status}"
            + "".join(f"\n    - {r}" for r in model.reasons)
        )
    typer.echo(f"cohort report: {out / 'report' / 'cohort-report.html'}")
    if publish:
        typer.echo(f"published: {publish_flags(out)}")


def _dates(as_of: list[str]) -> list[date] | None:
    from upstream.errors import InputError

    try:
        return [date.fromisoformat(d) for d in as_of] or None
    except ValueError as error:
        raise InputError(f"--as-of must be YYYY-MM-DD: {error}", where="--as-of") from error


def _truth_linked(city_dir: Path) -> LinkedCity:
    # The synthetic city's own truth, to measure rules against it (never a council's data).
    from upstream.synth.truth_linked import truth_linked_events

    return truth_linked_events(city_dir)


def load_input(city_dir: Path | None, data_dir: Path) -> LinkedCity:
    """Insight's linked events when linkage has written them; else the synthetic truth."""
    from upstream.identify.inputs import insight_linked_events

    linked = insight_linked_events(data_dir)
    if linked is not None:
        return linked
    return _truth_linked(city_dir or data_dir / "city")


def publish_flags(out: Path) -> dict[str, int]:
    operational_database()
    from upstream.flags.publish import publish_workspace

    return publish_workspace(out)


def identify_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step: run identification over the linked city and publish its flags."""
    from upstream.identify.pipeline import run_identification

    city = load_input(city_dir, data_dir)
    truth = city_dir if (city_dir / "truth" / "needs.parquet").exists() else None
    run = run_identification(city, data_dir / "identify", truth_dir=truth)
    console().print(
        f"identify: {sum(run.flags.values()):,} flags on {run.as_of} from {run.input_kind}"
    )
    publish_flags(data_dir / "identify")


def identify_rules(
    folder: Path = typer.Option(None, "--rules", help="Folder of rule files (default: shipped)."),
) -> None:
    """Check the rule files and list each rule set with its version and needs."""
    from upstream.identify.rules import load_rulesets

    for ruleset in load_rulesets(folder):
        qualify = f"{ruleset.min_needs}+ of" if ruleset.min_needs else "each of"
        typer.echo(
            f"{ruleset.id} v{ruleset.version} ({ruleset.subject}, {ruleset.population}, "
            f"{ruleset.lookback_months} months): {qualify} {', '.join(n.id for n in ruleset.needs)}"
        )


def register(app: typer.Typer) -> None:
    app.command("identify")(identify)
    app.command("identify-rules")(identify_rules)
