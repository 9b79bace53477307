"""CLI commands for identification: `upstream identify` and `upstream identify-rules`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer


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
    from upstream.errors import InputError
    from upstream.identify.inputs import truth_linked_events
    from upstream.identify.pipeline import load_input, run_identification

    data_dir = load_settings().data_dir
    city = city or data_dir / "city"
    out = out or data_dir / "identify"
    try:
        dates = [date.fromisoformat(d) for d in as_of] or None
    except ValueError as error:
        raise InputError(f"--as-of must be YYYY-MM-DD: {error}", where="--as-of") from error
    linked = truth_linked_events(city) if truth_linked else load_input(city, data_dir)
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
        from upstream.flags.publish import publish_workspace

        counts = publish_workspace(out)
        typer.echo(f"published: {counts}")


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
