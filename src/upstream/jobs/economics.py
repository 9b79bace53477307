"""`upstream appraise CASEFILE`, and the demo step that appraises the example cases."""

from __future__ import annotations

from pathlib import Path

import typer

from upstream.economics.casefile import DRAWS, SEEDS
from upstream.errors import InputError


def appraise_command(
    casefile: Path = typer.Argument(
        ..., help="A case file (TOML): intervention, programme or portfolio."
    ),
    out: Path = typer.Option(
        None, "--out", help="Folder for the report (default: next to the case file)."
    ),
    seed: int = typer.Option(
        None,
        "--seed",
        help=f"Monte Carlo seed, {SEEDS[0]} to {SEEDS[1]:,} (overrides the case file).",
    ),
    draws: int = typer.Option(
        None,
        "--draws",
        help=f"Monte Carlo draws, {DRAWS[0]} to {DRAWS[1]:,} (overrides the case file).",
    ),
) -> None:
    """Appraise a case file: HTML report with charts, CSV tables, JSON and XLSX."""
    from dataclasses import replace

    from upstream.economics.appraise import appraise
    from upstream.economics.casefile import read_case
    from upstream.economics.report import write_all
    from upstream.errors import make_user_folder

    _check_range("--seed", seed, SEEDS)
    _check_range("--draws", draws, DRAWS)
    case = read_case(casefile)
    if seed is not None or draws is not None:
        settings = case.settings
        case.settings = replace(
            settings,
            seed=settings.seed if seed is None else seed,
            draws=settings.draws if draws is None else draws,
        )
    target = out or casefile.with_suffix("").parent / f"{casefile.stem}-report"
    make_user_folder(target, what="report")  # before the Monte Carlo, so a bad --out fails fast
    written = write_all(appraise(case), target)
    typer.echo(f"wrote {len(written)} files to {target} (open {target / 'report.html'})")


def _check_range(option: str, value: int | None, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if value is not None and not low <= value <= high:
        raise InputError(f"must be from {low:,} to {high:,}, got {value:,}", where=option)


def register(app: typer.Typer) -> None:
    """Add the economics commands to the CLI."""
    app.command("appraise")(appraise_command)
