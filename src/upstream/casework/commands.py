"""`upstream casework index`: rebuild the person search index from the published tables."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console()
casework_app = typer.Typer(
    help="Casework: the person search index and demo caseloads.", no_args_is_help=True
)


@casework_app.command("index")
def index_command() -> None:
    """Rebuild the person search index (names, postcodes, agency identifiers) after a publish."""
    from upstream.web.commands import migrate

    migrate()
    from upstream.casework.search import rebuild_index

    console.print(f"Search index rebuilt: {rebuild_index():,} keys.")


def register(app: typer.Typer) -> None:
    app.add_typer(casework_app, name="casework")
