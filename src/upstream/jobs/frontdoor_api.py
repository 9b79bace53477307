"""`upstream frontdoor api-key`: make a partner organisation's key for the partner API
(/api/frontdoor/, docs/frontdoor.md "The partner API"), or revoke one.

The key is printed once and never kept (only its SHA-256 hash is: `frontdoor.apikeys`), so the
operator hands it to the organisation at once. Issuing and revoking are audited as `system`.
"""

from __future__ import annotations

import typer

from upstream.errors import InputError
from upstream.jobs.database import operational_database
from upstream.jobs.frontdoor import frontdoor_app, system_actor
from upstream.jobs.output import console

COMMAND = "upstream frontdoor api-key"


def api_key_command(
    organisation: str = typer.Option(
        "",
        "--organisation",
        metavar="NAME_OR_ID",
        help="The directory organisation the key is for: its exact name or its ID.",
    ),
    name: str = typer.Option(
        "", "--name", metavar="LABEL", help="What the key is for, e.g. 'case management system'."
    ),
    revoke: str = typer.Option(
        "",
        "--revoke",
        metavar="PREFIX",
        help="Revoke the key with this prefix (the 8 characters after ufd_).",
    ),
) -> None:
    """Make an API key for a partner organisation (shown once), or revoke one with --revoke."""
    if revoke and (organisation or name):
        raise InputError("give --revoke alone, or --organisation and --name", where=COMMAND)
    if not revoke and not (organisation and name):
        raise InputError("give --organisation and --name (or --revoke PREFIX)", where=COMMAND)
    operational_database()
    if revoke:
        _revoke(revoke)
    else:
        _issue(organisation, name)


def _issue(organisation: str, name: str) -> None:
    from upstream.frontdoor.apikeys import find_organisation, issue_key

    issued = issue_key(system_actor(COMMAND), find_organisation(organisation), name)
    out = console(soft_wrap=True)
    out.print(
        f"API key for {issued.api_key.organisation.name} ({issued.api_key.name}), "
        f"prefix {issued.api_key.prefix}:",
        highlight=False,
    )
    out.print(issued.key, highlight=False)
    out.print(
        "Copy it now: it is not kept and cannot be shown again. "
        "Send it in the X-API-Key header (or Authorization: Bearer).",
        highlight=False,
    )


def _revoke(prefix: str) -> None:
    from upstream.frontdoor.apikeys import revoke_key

    revoked = revoke_key(system_actor(COMMAND), prefix)
    console(soft_wrap=True).print(
        f"Revoked the key {revoked.prefix} ({revoked.name}) of {revoked.organisation.name}.",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add `api-key` to the `frontdoor` group (jobs.frontdoor registers the group itself)."""
    frontdoor_app.command("api-key")(api_key_command)
