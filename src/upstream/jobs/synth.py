"""`upstream synth`: generate the synthetic city."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from upstream.synth import params


def synth(
    people: int = typer.Option(
        20_000,
        "--people",
        help=f"People in the city ({params.MIN_PEOPLE:,} to {params.MAX_PEOPLE:,}).",
    ),
    seed: int = typer.Option(42, "--seed", help="Random seed: same seed and size, same bytes."),
    out: Path = typer.Option(
        None,
        "--out",
        help="Directory for the city, replaced if made by synth (default: $UPSTREAM_DATA_DIR/city).",
    ),
) -> None:
    """Generate the synthetic city: truth tables, agency extracts and a manifest."""
    from upstream.config import load_settings
    from upstream.errors import make_user_folder
    from upstream.synth.city import STAGES, check_arguments, generate_city
    from upstream.synth.writer import check_out_dir

    out = out or load_settings().data_dir / "city"
    check_arguments(people, seed)
    # Before the progress bar, so a bad or unwritable folder is one clean line.
    check_out_dir(out)
    make_user_folder(out, what="city")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task(f"synth: {people:,} people", total=len(STAGES))

        def step(stage: str) -> None:
            bar.update(task, advance=1, description=f"synth: {stage}")

        manifest = generate_city(people=people, seed=seed, out=out, progress=step)
    typer.echo(
        f"wrote {manifest['records_in_extracts']:,} extract records for {people:,} people to {out}"
    )


def register(app: typer.Typer) -> None:
    """Add the synthetic-city commands to the CLI."""
    app.command("synth")(synth)
