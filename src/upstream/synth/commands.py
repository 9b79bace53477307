"""CLI commands for the synthetic city (filled in by the synth work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the synthetic-city commands to the CLI."""
