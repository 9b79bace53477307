"""`upstream serve`, `upstream demo-accounts` and `upstream manage`: the web app's commands."""

from __future__ import annotations

import os

import typer
from rich.table import Table

from upstream.jobs.database import operational_database, setup_django
from upstream.jobs.output import console


def demo_logins(password: str = "") -> None:
    """Create or reset one demo account per role, give the demo team its caseload once people
    are published, and print the logins."""
    from django.conf import settings

    from upstream.accounts.demo import DEMO_TEAM, demo_user, ensure_demo_accounts
    from upstream.accounts.roles import Role
    from upstream.jobs.casework import allocate_demo_caseload

    logins = ensure_demo_accounts(
        password=password or os.environ.get("UPSTREAM_DEMO_PASSWORD", ""),
        is_production=settings.UPSTREAM.is_production,
    )
    allocate_demo_caseload(
        team=DEMO_TEAM,
        practitioner=demo_user(Role.PRACTITIONER),
        manager=demo_user(Role.TEAM_MANAGER),
    )
    table = Table(title="Demo accounts (one per role; synthetic data only)", title_justify="left")
    for column in ("Role", "Username", "Password"):
        table.add_column(column, no_wrap=True)
    for login in logins:
        table.add_row(login.role.label, login.username, login.password)
    console().print(table)


def run_server(host: str, port: int) -> None:
    from django.core.management import call_command

    console().print(f"[bold green]Upstream is running at http://{host}:{port}/[/] (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=False)


def demo_accounts(
    password: str = typer.Option(
        "",
        help="Password for every demo account (default: UPSTREAM_DEMO_PASSWORD, else a random one, printed).",
    ),
) -> None:
    """Create or reset one demo account per role and print the logins."""
    operational_database()
    demo_logins(password)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Apply database migrations and start the web app."""
    operational_database()
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
