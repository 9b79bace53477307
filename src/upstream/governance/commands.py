"""`upstream audit verify`: check the audit log's hash chain; exit 1 at the first broken link."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console()
audit_app = typer.Typer(
    help="The audit log of every read and write of personal data.", no_args_is_help=True
)


@audit_app.command("verify")
def verify_command(
    expect_head: str = typer.Option(
        "",
        help="The head hash written down at the last check: also fail if the chain no longer reaches it.",
    ),
) -> None:
    """Walk the hash chain from the first entry; report the first broken link and exit 1."""
    from upstream.web.commands import migrate

    migrate()
    from upstream.governance.audit import verify

    result = verify()
    if not result.ok:
        console.print(
            f"[bold red]Audit log broken at entry {result.broken_at}:[/] {result.problem}",
            highlight=False,
        )
        raise typer.Exit(1)
    if expect_head and expect_head != result.head_hash:
        from upstream.governance.models import AuditEntry

        if not AuditEntry.objects.filter(hash=expect_head).exists():
            console.print(
                f"[bold red]Audit log rewritten:[/] no entry has the expected head hash {expect_head}",
                highlight=False,
            )
            raise typer.Exit(1)
    console.print(
        f"Audit log intact: {result.checked:,} entries. Head hash {result.head_hash}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
