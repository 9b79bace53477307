"""`upstream cld export` and `upstream reviews …`: the Client Level Data export of a quarter,
the review policy's check, and the late work a daily job would send each team.

Bad input is one line and exit 2 (`upstream.cli.UpstreamCommands`); the export checks every
row before writing, so an invalid row writes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import typer

from upstream.errors import InputError, reason
from upstream.jobs.database import operational_database
from upstream.jobs.frontdoor import system_actor

cld_app = typer.Typer(
    help="Adult social care Client Level Data: the quarter's events, as NHS England asks.",
    no_args_is_help=True,
)
reviews_app = typer.Typer(
    help="Reviews: check the review policy; count late work per team.", no_args_is_help=True
)

# The synthetic council's code; a council sets its own three-digit code with --la-code.
DEMO_LA_CODE = "999"


@cld_app.command("export")
def export_command(
    quarter: str = typer.Option(..., "--quarter", help="A calendar quarter, e.g. 2025Q4."),
    out: Path = typer.Option(..., "--out", metavar="FILE", help="The CSV file to write."),
    la_code: str = typer.Option(
        DEMO_LA_CODE, "--la-code", help="The council's three-digit local authority code."
    ),
) -> None:
    """Write the quarter's Request, Assessment, Service and Review events (adults only), one
    row each, every row checked first: an invalid row names its field and nothing is written."""
    from upstream.conversations.quarters import quarter as parse_quarter

    period = parse_quarter(quarter)  # before the database: a bad --quarter fails fast
    if out.is_dir():
        raise InputError("is a folder; give a file for the export", where=str(out))
    operational_database()
    from upstream.conversations.cld import FIELDS, SPECIFICATION, build
    from upstream.governance.audit import Event, record

    export = build(period, la_code=la_code.strip())
    _write(out, _as_csv(export.rows, FIELDS))
    record(
        system_actor("upstream cld export"),
        Event(
            action="conversations.cld.export",
            purpose="analysis",
            detail={"quarter": period.label, "rows": len(export.rows), "file": str(out)},
        ),
    )
    counts = {t: sum(r["Event_Type"] == t for r in export.rows) for t in _TYPES}
    typer.echo(
        f"Wrote {len(export.rows):,} events for {period.label} to {out} ("
        + ", ".join(f"{n:,} {t.lower()}s" for t, n in counts.items())
        + f"); {export.left_out:,} left out (children, or people not matched yet). "
        + f"Shape: {SPECIFICATION}."
    )


_TYPES = ("Request", "Assessment", "Service", "Review")


def _write(out: Path, text: str) -> None:
    """All or nothing: a temporary file beside the target, renamed over it."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".cld-", suffix=".csv")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, out)
    except OSError as error:
        raise InputError(f"cannot write the export here: {reason(error)}", where=str(out)) from None


@reviews_app.command("check")
def check_command(
    file: Path | None = typer.Argument(
        None, help="A policy file (default: the bundled current version).", show_default=False
    ),
) -> None:
    """Check a review policy file: its version and sources, a whole number of weeks for every
    risk, none past the longest, a higher risk never later. Prints "ok: …" or one line per
    problem and exits 2."""
    operational_database()
    from upstream.conversations import review_policy

    path = file or review_policy.current_file()
    problems = review_policy.check(path)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(2)
    policy = review_policy.load(path)
    weeks = ", ".join(f"{risk} {n} weeks" for risk, n in policy.weeks.items())
    typer.echo(f"ok: version {policy.version}: {weeks} ({path})")


@reviews_app.command("overdue")
def overdue_command(
    on: str = typer.Option("", "--on", help="The day to count for (default: today), YYYY-MM-DD."),
) -> None:
    """Count late reviews, emergency plan steps and family plan actions per team: what a daily
    job would send each team's people."""
    given = _day(on)  # before the database: a bad --on fails fast
    operational_database()
    from django.utils import timezone

    from upstream.conversations.overdue import by_team

    day = given or timezone.localdate()
    from upstream.governance.audit import Event, record

    counts = by_team(day)
    record(
        system_actor("upstream reviews overdue"),
        Event(action="conversations.overdue", detail={"on": day.isoformat(), "teams": len(counts)}),
    )
    if not counts:
        typer.echo(f"Nothing late on {day.isoformat()}.")
    for team in counts:
        typer.echo(
            f"{team.team or '(no team)'}: {team.reviews:,} reviews, {team.plan_steps:,} "
            f"emergency plan steps, {team.family_actions:,} family plan actions late"
        )


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", where="--on") from None


def register(app: typer.Typer) -> None:
    app.add_typer(cld_app, name="cld")
    app.add_typer(reviews_app, name="reviews")


def _as_csv(rows: list[dict[str, str]], fields: Sequence[str]) -> str:
    """The export's text: written here, in a job, as every file the commands write is (the web
    edge writes the pages' CSV twins; tests/web/test_twins.py keeps CSV writers to those)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
