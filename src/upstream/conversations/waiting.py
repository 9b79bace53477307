"""Waiting well (issue 13): a team's waiting list with its size and age, a contact while someone
waits, and the way off it, conversation 1 with a worker who stays.

A practitioner picks a request up, or the team manager allocates it to a named worker: either
way the person gets a key worker at once (an `Allocation` with that worker, in place of the
team's unallocated one from triage) and conversation 1 starts, owned by that worker. Nothing
sits in between: there is no hand-off queue (domain brief §3.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations.access import TEAM_ROLES, WORKERS
from upstream.conversations.models import Conversation, Kind, WaitingContact
from upstream.errors import InvalidFields
from upstream.frontdoor import routing
from upstream.frontdoor.models import Request, RequestStatus
from upstream.frontdoor.workdays import working_days_between
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation
from upstream.people.models import Person

MAX_NOTE = 2000
CONTACT_METHODS = {
    "phone": "Phone",
    "text": "Text message",
    "email": "Email",
    "letter": "Letter",
    "visit": "Visit",
    "video": "Video call",
}
NOT_ON_YOUR_LIST = "This request is not on your team's waiting list."
NOT_MATCHED = (
    "We do not know who this person is yet: the next linkage run will try to match them. "
    "Contact them while they wait."
)


@dataclass(frozen=True)
class ListSize:
    """How big and how old a team's waiting list is (issue 13: size and age)."""

    count: int
    oldest_days: int  # working days the longest wait has lasted (0 when nobody waits)


def waiting_since(request: Request) -> datetime:
    return request.triaged_at or request.received_at


def size(team: str) -> ListSize:
    on_list = routing.waiting(team)
    oldest = on_list.order_by("triaged_at", "received_at").first()
    if oldest is None:
        return ListSize(0, 0)
    return ListSize(on_list.count(), working_days_between(waiting_since(oldest), timezone.now()))


def on_list(team: str) -> QuerySet[Request]:
    return routing.waiting(team)


def team_workers(team: str) -> QuerySet[User]:
    """Who in the team may hold a conversation (active practitioners and managers)."""
    return User.objects.filter(team=team, role__in=list(WORKERS), is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def contact_while_waiting(
    actor: Actor, user: User, request: Request, *, method: str, note: str
) -> WaitingContact:
    """Record a contact with someone while they wait (how they are, whether anything changed)."""
    _require_on_list(actor, user, request, action="conversations.waiting.contact")
    problems: dict[str, str] = {}
    if method not in CONTACT_METHODS:
        problems["method"] = "Choose how you were in touch"
    if not note.strip():
        problems["note"] = "Enter what was said, and whether anything has changed"
    elif len(note) > MAX_NOTE:
        problems["note"] = f"The note must be {MAX_NOTE:,} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        contact = WaitingContact.objects.create(
            request=request, at=timezone.now(), by=user, method=method, note=note.strip()
        )
        record(
            actor,
            Event(
                action="conversations.waiting.contact",
                person=request.person_id,
                detail={"request": request.reference, "method": method},
            ),
        )
    return contact


def pick_up(actor: Actor, worker: User, request: Request) -> Conversation:
    """A practitioner (or manager) in the request's team takes the person on: they become the
    key worker and conversation 1 starts, theirs."""
    _require_on_list(actor, worker, request, action="conversations.pick_up")
    return _start(actor, request, worker=worker, by=worker, action="conversations.pick_up")


def allocate(actor: Actor, manager: User, request: Request, worker_username: str) -> Conversation:
    """The team manager allocates someone from the waiting list to a named worker in the team:
    conversation 1 starts, owned by that worker."""
    if manager.role_enum != Role.TEAM_MANAGER:
        raise refuse(
            actor,
            "conversations.allocate",
            "Only a team manager can allocate from the waiting list.",
            person=request.person_id,
            detail={"request": request.reference},
        )
    _require_on_list(actor, manager, request, action="conversations.allocate")
    worker = team_workers(str(manager.team)).filter(username=worker_username).first()
    if worker is None:
        raise InvalidFields({"worker": "Choose a worker in your team"})
    return _start(actor, request, worker=worker, by=manager, action="conversations.allocate")


def _require_on_list(actor: Actor, user: User, request: Request, *, action: str) -> None:
    on_their_list = (
        user.role_enum in TEAM_ROLES
        and bool(user.team)
        and request.team == user.team
        and request.status == RequestStatus.WAITING_LIST
    )
    if not on_their_list:
        raise refuse(
            actor,
            action,
            NOT_ON_YOUR_LIST,
            person=request.person_id,
            detail={"request": request.reference},
        )


def _start(actor: Actor, request: Request, *, worker: User, by: User, action: str) -> Conversation:
    if not request.person_id:
        raise InvalidFields({"worker": NOT_MATCHED})
    now = timezone.now()
    with transaction.atomic():
        # Two workers pressing "Pick up" at once: the second waits here, then finds it taken.
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if not routing.waiting(locked.team).filter(pk=locked.pk).exists():
            raise InvalidFields({"worker": "Someone has already picked this request up"})
        _key_worker(locked, worker, by, now)
        conversation = Conversation.objects.create(
            person_id=locked.person_id,
            request=locked,
            kind=Kind.LISTEN_AND_CONNECT,
            owner=worker,
            team=locked.team,
            ward=_ward(locked.person_id),
            started_at=now,
        )
        record(
            actor,
            Event(
                action=action,
                person=locked.person_id,
                detail={
                    "request": locked.reference,
                    "conversation": conversation.pk,
                    "worker": worker.username,
                    "team": locked.team,
                },
            ),
        )
    return conversation


def _key_worker(request: Request, worker: User, by: User, now: datetime) -> None:
    """The team's unallocated place on its caseload (from triage) becomes the worker's."""
    Allocation.objects.filter(
        person_id=request.person_id, team=request.team, worker__isnull=True, ended_at__isnull=True
    ).update(ended_at=now)
    Allocation.objects.create(
        person_id=request.person_id,
        team=request.team,
        worker=worker,
        allocated_by=by,
        allocated_at=now,
        # The person is on the team's caseload now, with a key worker: no longer the front
        # door's request-taking relationship (which the story of what is known leaves out).
        basis=Allocation.Basis.CASELOAD,
    )


def _ward(person_id: str) -> str:
    found = Person.objects.filter(person_id=person_id).values_list("ward", flat=True).first()
    return found or ""
