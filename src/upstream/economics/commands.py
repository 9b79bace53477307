"""CLI commands for economics (filled in by the economics work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the economics commands to the CLI."""
