"""Triage: the rules suggest a route, the officer decides (a different choice needs a reason),
and the request goes where it was routed: closed with information or a connection (universal),
onto a team's waiting list (targeted), or handed over with its record and consent (statutory).

The front door works with a person while it takes their request: an allocation to the front
door with the basis `request` (the working relationship the access decision rests on), ended
when the request leaves the front door. A request routed to a team puts the person on that
team's caseload, unallocated, until the team manager allocates a worker: the waiting list.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import FRONT_DOOR_TEAM
from upstream.errors import InvalidFields
from upstream.frontdoor.models import Request, RequestStatus, Route
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation
from upstream.people.models import Person
from upstream.triage import Facts, Suggestion, load_rules, suggest

MAX_REASON = 2000


def facts_for(request: Request, *, flags: tuple[str, ...] = ()) -> Facts:
    """What the triage rules read from a request and what is known of the person."""
    return Facts(
        needs=tuple(request.needs),
        urgency=request.urgency,
        age=_age(request),
        asked_by=request.asked_by,
        channel=request.channel,
        what_matters=request.what_matters,
        flags=flags,
        repeat=request.repeat_of_id is not None,
        already_involved=_involved(request),
        ward=_ward(request),
    )


def _ward(request: Request) -> str:
    """The ward of the person's latest address (a locality's team is chosen by ward)."""
    if not request.person_id:
        return ""
    found = Person.objects.filter(person_id=request.person_id).values_list("ward", flat=True)
    return found.first() or ""


def _age(request: Request) -> int | None:
    born: date | None = None
    if request.person_id:
        born = (
            Person.objects.filter(person_id=request.person_id)
            .values_list("date_of_birth", flat=True)
            .first()
        )
    elif request.provisional is not None:
        born = request.provisional.date_of_birth
    if born is None:
        return None
    on = timezone.localtime(request.received_at).date()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _involved(request: Request) -> bool:
    if not request.person_id:
        return False
    return (
        Allocation.objects.filter(person_id=request.person_id, ended_at__isnull=True)
        .exclude(basis=Allocation.Basis.REQUEST)
        .exists()
    )


def suggestion_for(request: Request, *, flags: tuple[str, ...] = ()) -> Suggestion:
    """The rules' suggestion, kept on the request the first time it is asked for (the rules
    may change; what the officer was shown may not)."""
    found = suggest(load_rules(), facts_for(request, flags=flags))
    if not request.suggested_rule:
        request.suggested_route = found.route
        request.suggested_team = found.team
        request.suggested_rule = found.rule_id
        request.suggestion_why = found.why
        request.rules_version = found.rules_version
        request.save(
            update_fields=[
                "suggested_route",
                "suggested_team",
                "suggested_rule",
                "suggestion_why",
                "rules_version",
            ]
        )
    return found


def teams() -> dict[str, str]:
    """Team name → route, from the rules (the teams triage can send to)."""
    return {name: team.route for name, team in load_rules().teams.items()}


def check_decision(request: Request, route: str, team: str, reason: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if route not in Route.values:
        problems["route"] = "Choose a route"
    elif route != Route.UNIVERSAL:
        known = teams()
        if not team:
            problems["team"] = "Choose the team it goes to"
        elif known.get(team) != route:
            problems["team"] = f"Choose a {route} team"
    different = route != request.suggested_route or (
        route != Route.UNIVERSAL and team != request.suggested_team
    )
    if different and not reason.strip():
        problems["override_reason"] = "Say why you chose differently from the suggestion"
    if len(reason) > MAX_REASON:
        problems["override_reason"] = f"The reason must be {MAX_REASON:,} characters or fewer"
    if not request.is_open or request.route:
        problems["route"] = "This request has already been triaged"
    return problems


def triage(
    actor: Actor, user: User, request: Request, *, route: str, team: str = "", reason: str = ""
) -> Request:
    """Record the officer's decision and send the request on."""
    if not request.suggested_rule:
        suggestion_for(request)
    team = "" if route == Route.UNIVERSAL else team
    problems = check_decision(request, route, team, reason)
    if problems:
        raise InvalidFields(problems)
    now = timezone.now()
    with transaction.atomic():
        request.route, request.team = route, team
        request.override_reason = reason.strip() if request.overridden else ""
        request.triaged_by, request.triaged_at = user, now
        request.status = _status_after(request, route)
        if request.status == RequestStatus.CLOSED:
            request.closed_at = now
            request.outcome = request.outcome or "Information and advice given"
        request.save()
        _leave_front_door(request, now)
        if team and request.person_id:
            _onto_team_caseload(request, user, now)
        record(
            actor,
            Event(
                action="frontdoor.request.triage",
                person=request.person_id,
                reason=request.override_reason,
                detail={
                    "request": request.reference,
                    "route": route,
                    "team": team,
                    "suggested": request.suggested_route,
                    "rule": request.suggested_rule,
                    "overridden": request.overridden,
                },
            ),
        )
    return request


def _status_after(request: Request, route: str) -> str:
    if route == Route.TARGETED:
        return RequestStatus.WAITING_LIST
    if route == Route.STATUTORY:
        return RequestStatus.HANDED_OVER
    return RequestStatus.CONNECTED if request.connections.exists() else RequestStatus.CLOSED


def start_contact(actor: Actor, officer: User, person_id: str) -> Allocation:
    """The front door starts working with a person found in Find a person: the working
    relationship that shows what is already known (audited; ended when the request leaves the
    front door, or reused while one is open)."""
    existing = Allocation.objects.filter(
        person_id=person_id,
        worker=officer,
        basis=Allocation.Basis.REQUEST,
        ended_at__isnull=True,
    ).first()
    if existing is not None:
        return existing
    allocation = Allocation.objects.create(
        person_id=person_id,
        team=FRONT_DOOR_TEAM,
        worker=officer,
        allocated_by=officer,
        allocated_at=timezone.now(),
        basis=Allocation.Basis.REQUEST,
    )
    record(
        actor,
        Event(
            action="frontdoor.contact.start",
            person=person_id,
            reason="Taking a request for help",
            detail={"allocation": allocation.pk},
        ),
    )
    return allocation


def _leave_front_door(request: Request, now: datetime) -> None:
    if not request.person_id:
        return
    still_open = Request.objects.filter(
        person_id=request.person_id, status=RequestStatus.AWAITING_TRIAGE
    ).exclude(pk=request.pk)
    if not still_open.exists():
        Allocation.objects.filter(
            person_id=request.person_id,
            basis=Allocation.Basis.REQUEST,
            team=FRONT_DOOR_TEAM,
            ended_at__isnull=True,
        ).update(ended_at=now)


def _onto_team_caseload(request: Request, user: User, now: datetime) -> None:
    on_list = Allocation.objects.filter(
        person_id=request.person_id, team=request.team, ended_at__isnull=True
    )
    if not on_list.exists():
        Allocation.objects.create(
            person_id=request.person_id,
            team=request.team,
            worker=None,
            allocated_by=user,
            allocated_at=now,
            basis=Allocation.Basis.REQUEST,
        )


def waiting(team: str = "") -> QuerySet[Request]:
    """Requests on a team's waiting list whose person has no key worker in that team yet (a
    request for someone not matched yet waits until the team allocates them)."""
    on_list = Request.objects.filter(status=RequestStatus.WAITING_LIST)
    if team:
        on_list = on_list.filter(team=team)
    allocated = Allocation.objects.filter(
        ended_at__isnull=True,
        worker__isnull=False,
        team=OuterRef("team"),
        person_id=OuterRef("person_id"),
    )
    return on_list.exclude(~Q(person_id="") & Exists(allocated))
