"""`upstream frontdoor …`: the front door's batch commands, and the demo steps that run them.

`export` and `match`: provisional people matched by the next linkage run (docs/frontdoor.md,
"Someone we don't know yet"): `frontdoor export` before `upstream link`, `frontdoor match`
after `upstream publish`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from upstream.jobs.database import operational_database
from upstream.jobs.output import console

if TYPE_CHECKING:
    from upstream.frontdoor.matching import Export, Matches
    from upstream.governance.audit import Actor

frontdoor_app = typer.Typer(
    help="The front door: requests for help and the people not known yet.", no_args_is_help=True
)


def _data_dir() -> Path:
    from upstream.config import load_settings

    return load_settings().data_dir


def system_actor(command: str) -> Actor:
    """Who a batch job acts as in the audit log: `system`, with the command as the resource."""
    from upstream.governance.audit import Actor

    return Actor(username="system", resource=command)


def provisional_people(n: int) -> str:
    return f"{n:,} provisional {'person' if n == 1 else 'people'}"


def export_line(export: Export) -> str:
    if export.status == "nothing to export":
        return "No provisional people: nothing to export."
    line = (
        f"Exported {provisional_people(export.exported)} ({export.already_matched:,} already "
        f"matched) as extract {export.extract_id}: {export.status}."
    )
    if export.rejected:
        line += f" {export.rejected:,} rejected: see the workspace table `problems`."
    return line


def match_line(matches: Matches) -> str:
    return (
        f"Matched {provisional_people(matches.matched)} in {matches.link_run}; "
        f"{matches.requests_moved:,} requests moved to their person; "
        f"{matches.still_unmatched:,} still unmatched ({matches.already_matched:,} matched earlier)."
    )


def export_provisional(data_dir: Path) -> Export:
    operational_database()
    from upstream.frontdoor.matching import export_provisional_people

    return export_provisional_people(data_dir, system_actor("upstream frontdoor export"))


def match_provisional() -> Matches:
    operational_database()
    from upstream.frontdoor.matching import match_provisional_people

    return match_provisional_people(system_actor("upstream frontdoor match"))


@frontdoor_app.command("export")
def export_command() -> None:
    """Write the provisional people into the front door's extract and import it into the
    insight workspace, so the next `upstream link` matches them."""
    console().print(export_line(export_provisional(_data_dir())))


@frontdoor_app.command("match")
def match_command() -> None:
    """After `upstream publish`: match provisional people the linkage joined to a person, and
    move their requests to that person."""
    console().print(match_line(match_provisional()))


@frontdoor_app.command("expire-consents")
def expire_consents_command() -> None:
    """Mark consents given more than 12 months ago as expired (an event each, audited). Sharing
    checks the expiry date itself, so this keeps what the pages show true; run it daily."""
    operational_database()
    from upstream.frontdoor.consent import expire_lapsed

    count = expire_lapsed(system_actor("upstream frontdoor expire-consents"))
    console().print(f"Expired {count:,} consent{'s' if count != 1 else ''} past their 12 months.")


def export_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step (before link): export the provisional people."""
    print(f"  {export_line(export_provisional(data_dir))}")


def match_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step (after publish): match the provisional people the linkage run joined."""
    print(f"  {match_line(match_provisional())}")


def register(app: typer.Typer) -> None:
    app.add_typer(frontdoor_app, name="frontdoor")
