"""CLI commands for the web app (filled in by the web work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the web commands to the CLI."""
