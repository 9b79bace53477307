"""Who may see and act on a request for help, its consent and its connections.

A request is personal data in its own right (what matters to someone, their needs, how to reach
them), so every read and write is audited, and each role sees only the requests its work needs:

- front-door officers: every request at the front door (their queue is the whole door);
- practitioners and team managers: requests routed to their team, and requests for people on
  their caseload (their working relationship, `governance.access`);
- partner professionals: the referrals their organisation made;
- service providers: no request; only the connections sent to their organisation, with what
  consent allowed to be shared;
- citizens: the requests they made while signed in, or claimed with their reference;
- the data protection officer: any, to answer subject-access requests and check the door.

The person's agency records shown beside a request (the story told once) go through the one
access decision, `governance.access.decide`, like every other page that shows them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.frontdoor.models import Connection, Request
from upstream.governance.access import caseload, refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation
from upstream.governance.purposes import default_purpose

NOT_YOURS = "This request is not one your work needs."
NOT_YOUR_CONNECTION = "This connection was not sent to your organisation."

TAKERS = frozenset({Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER, Role.TEAM_MANAGER})
TRIAGERS = frozenset({Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER})
CONNECTORS = frozenset({Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER, Role.TEAM_MANAGER})
DECIDERS = frozenset({Role.TEAM_MANAGER})


def organisation_id(user: User) -> uuid.UUID | None:
    """The directory organisation a partner's account belongs to, if any."""
    partner = getattr(user, "partner", None)
    return partner.organisation_id if partner is not None else None


def visible_requests(user: User) -> QuerySet[Request]:
    """The requests this user may see, as a query (lists and counts use it too)."""
    role = user.role_enum
    everything = Request.objects.all()
    if role in {Role.FRONT_DOOR_OFFICER, Role.DATA_PROTECTION_OFFICER}:
        return everything
    if role in {Role.PRACTITIONER, Role.TEAM_MANAGER}:
        people = Allocation.objects.filter(caseload(user)).values("person_id")
        mine = Q(recorded_by=user) | Q(person_id__in=people) & ~Q(person_id="")
        if user.team:
            mine |= Q(team=user.team)
        return everything.filter(mine)
    org = organisation_id(user)
    if role == Role.PARTNER_PROFESSIONAL and org is not None:
        return everything.filter(referring_organisation_id=org)
    if role == Role.CITIZEN:
        return everything.filter(citizen=user)
    return everything.none()


def may_see(user: User, request: Request) -> bool:
    return visible_requests(user).filter(pk=request.pk).exists()


def see_request(actor: Actor, user: User, request: Request, *, action: str) -> None:
    """Refuse (audited) unless the user may see this request; audit the read when they may."""
    check_request(actor, user, request, action=action)
    record_read(actor, user, request, action=action)


def check_request(actor: Actor, user: User, request: Request, *, action: str) -> None:
    """Refuse (audited) unless the user may see this request (the read is audited by the
    caller, once, with what the page showed)."""
    if not may_see(user, request):
        raise refuse(
            actor,
            action,
            NOT_YOURS,
            person=request.person_id,
            detail={"request": request.reference},
        )


def record_read(actor: Actor, user: User, request: Request, *, action: str, **shown: Any) -> None:
    record(
        actor,
        Event(
            action=action,
            person=request.person_id,
            purpose=_purpose(user),
            detail={"request": request.reference, **shown},
        ),
    )


def _purpose(user: User) -> str:
    """The purpose a request is read for: the role's working purpose (the front door's is
    triage); none for citizens and partners, who read their own requests and referrals."""
    found = default_purpose(user.role_enum)
    return found.value if found else ""


def require_role(actor: Actor, user: User, roles: frozenset[Role], action: str, what: str) -> None:
    if user.role_enum not in roles:
        raise refuse(actor, action, f"Your role does not include {what}.")


def visible_connections(user: User) -> QuerySet[Connection]:
    """Connections a provider may answer (their organisation's), or those on requests the user
    may see."""
    if user.role_enum == Role.SERVICE_PROVIDER:
        org = organisation_id(user)
        if org is None:
            return Connection.objects.none()
        return Connection.objects.filter(organisation_id=org)
    return Connection.objects.filter(request__in=visible_requests(user))


def see_connection(actor: Actor, user: User, connection: Connection, *, action: str) -> None:
    if not visible_connections(user).filter(pk=connection.pk).exists():
        raise refuse(
            actor,
            action,
            NOT_YOUR_CONNECTION,
            person=connection.request.person_id,
            detail={"connection": connection.pk},
        )
    record(
        actor,
        Event(
            action=action,
            person=connection.request.person_id,
            detail={"connection": connection.pk, "request": connection.request.reference},
        ),
    )
