"""`upstream audit verify` and `upstream audit checkpoint`: check the audit log's hash chain,
and anchor its head outside the database.

Both read the operational database as it is: they never create or migrate one, so a mistyped
UPSTREAM_DATABASE_URL is an error (exit 2), never an empty log reported intact. A broken chain
exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from upstream.errors import InputError
from upstream.governance.checkpoints import Anchor, append_anchor, last_anchor, parse_anchor
from upstream.jobs.database import setup_django
from upstream.jobs.output import console

if TYPE_CHECKING:
    from upstream.governance.audit import Verification

audit_app = typer.Typer(
    help="The audit log of every read and write of personal data.", no_args_is_help=True
)


def open_audit_log() -> None:
    """Set Django up over the existing operational database; refuse one that is not there or
    holds no audit log, without creating, migrating or writing anything."""
    setup_django(make_data_dir=False)
    from django.db import DatabaseError, connection

    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name  # as Django's test databases
    if connection.vendor == "sqlite" and not in_memory:
        path = Path(name)
        # SQLite makes a database wherever it is pointed, and an empty file into one.
        if not path.is_file():
            raise InputError(
                "no database here (check UPSTREAM_DATABASE_URL or UPSTREAM_DATA_DIR)",
                where=str(path),
            )
        if path.stat().st_size == 0:
            raise InputError("an empty file, not a database", where=str(path))
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
        raise InputError(f"cannot open the database: {first_line}", where=name) from None
    if "governance_auditentry" not in tables:
        raise InputError("this database holds no audit log (it was never migrated)", where=name)


def _anchor(expect_head: str, checkpoint: Path | None) -> Anchor | None:
    if expect_head and checkpoint:
        raise InputError("give --expect-head or --checkpoint, not both", where="audit verify")
    if expect_head:
        return parse_anchor(expect_head)
    if checkpoint is None:
        return None
    anchor = last_anchor(checkpoint)
    if anchor is None:
        raise InputError("no checkpoint in this file yet", where=str(checkpoint))
    return anchor


def _fail_if_broken(result: Verification) -> None:
    if not result.ok:
        console(soft_wrap=True).print(
            f"[bold red]Audit log broken at entry {result.broken_at}:[/] {result.problem}",
            highlight=False,
        )
        raise typer.Exit(1)


@audit_app.command("verify")
def verify_command(
    expect_head: str = typer.Option(
        "",
        "--expect-head",
        metavar="SEQ:HASH",
        help="An entry and head hash written down earlier (by `audit checkpoint`): also fail if the chain no longer contains it, which finds entries cut from the end.",
    ),
    checkpoint: Path | None = typer.Option(
        None,
        "--checkpoint",
        metavar="FILE",
        help="A file written by `upstream audit checkpoint`: check against its last line.",
    ),
) -> None:
    """Walk the hash chain from the first entry; report the first broken link and exit 1."""
    anchor = _anchor(expect_head, checkpoint)
    open_audit_log()
    from upstream.governance.audit import verify

    result = verify(anchor)
    _fail_if_broken(result)
    reaches = (
        f" Contains the anchored entry {anchor.sequence}." if anchor and anchor.sequence else ""
    )
    console(soft_wrap=True).print(
        f"Audit log intact: {result.checked:,} entries. Head {result.checked}:{result.head_hash}.{reaches}",
        highlight=False,
    )


@audit_app.command("checkpoint")
def checkpoint_command(
    out: Path = typer.Option(
        ...,
        "--out",
        metavar="FILE",
        help="The file to append the head to (made if missing); keep it outside this server.",
    ),
) -> None:
    """Verify the chain (against the file's last line too), then append the head to the file."""
    previous = last_anchor(out) if out.is_file() else None
    open_audit_log()
    from upstream.governance.audit import verify

    result = verify(previous)
    _fail_if_broken(result)  # never anchor a broken or shortened chain: nothing is appended
    anchor = append_anchor(out, result.checked, result.head_hash)
    console(soft_wrap=True).print(
        f"Checkpoint appended to {out}: {anchor.sequence}:{anchor.hash} at {anchor.at}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
