"""CLI commands for the web app: migrate, demo accounts, serve, and a pass-through to Django."""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def setup_django() -> None:
    """Configure Django once, on demand (never at import time)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.web.settings")
    import django

    django.setup()
    from django.conf import settings

    # The SQLite default lives in the data directory; make it on first use.
    settings.UPSTREAM.data_dir.mkdir(parents=True, exist_ok=True)


def migrate(verbosity: int = 0) -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def print_logins(password: str = "") -> None:
    from django.conf import settings

    from upstream.accounts.demo import ensure_demo_accounts

    logins = ensure_demo_accounts(
        password=password or os.environ.get("UPSTREAM_DEMO_PASSWORD", ""),
        is_production=settings.UPSTREAM.is_production,
    )
    table = Table(title="Demo accounts (one per role; synthetic data only)", title_justify="left")
    for column in ("Role", "Username", "Password"):
        table.add_column(column, no_wrap=True)
    for login in logins:
        table.add_row(login.role.label, login.username, login.password)
    console.print(table)


def run_server(host: str, port: int) -> None:
    from django.core.management import call_command

    console.print(f"[bold green]Upstream is running at http://{host}:{port}/[/] (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=False)


def demo_accounts(
    password: str = typer.Option(
        "",
        help="Password for every demo account (default: UPSTREAM_DEMO_PASSWORD, else a random one, printed).",
    ),
) -> None:
    """Create or reset one demo account per role and print the logins."""
    migrate()
    print_logins(password)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Apply database migrations and start the web app."""
    migrate()
    run_server(host, port)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `upstream manage check --deploy`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["upstream manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Add the web commands to the CLI."""
    app.command("serve")(serve)
    app.command("demo-accounts")(demo_accounts)
    app.command(
        "manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(manage)
