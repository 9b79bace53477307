"""Connecting a person to a service, with consent, and hearing back (the closed loop).

A connection carries what the service needs to know and only the categories that a consent in
force covers for that organisation and purpose, checked at the moment of sharing; refused,
withdrawn or missing consent means nothing is sent and the page says why. The receiving
organisation answers accepted / declined (with a coded reason) / completed (helped or not);
a connection with no answer in 5 working days surfaces to the sender and their team manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.directory.models import Service
from upstream.errors import InputError, InvalidFields
from upstream.frontdoor.consent import CONNECT_TO_HELP, Cover, cover_for, organisation_kind
from upstream.frontdoor.models import (
    Connection,
    ConnectionEvent,
    ConnectionStatus,
    DeclineReason,
    Request,
    RequestStatus,
    Route,
)
from upstream.frontdoor.workdays import add_working_days
from upstream.governance.audit import Actor, Event, record
from upstream.people.models import Person

# Issue 12: connections with no answer in 5 working days surface to the sender and manager.
ANSWER_WITHIN_WORKING_DAYS = 5
OPEN_SERVICE = {"active", "temporarily closed"}
MAX_MESSAGE = 4000


class NotSharedError(InputError):
    """Consent does not cover sharing with this service: nothing was sent."""


def cover(request: Request, service: Service) -> Cover:
    org = service.organization
    if org is None:  # Open Referral UK allows a service without one; nobody can answer it
        return Cover(None, (), "This service has no organisation to answer a connection.")
    return cover_for(request, str(org.id), organisation_kind(org.name), CONNECT_TO_HELP)


def shared_fields(request: Request, categories: tuple[str, ...]) -> dict[str, Any]:
    """The request's details in the categories consent covers, nothing else."""
    shared: dict[str, Any] = {}
    if "contact" in categories:
        shared["name"] = _name(request)
        shared["preferred_contact"] = request.get_preferred_contact_display()
        shared["contact_detail"] = request.contact_detail
    if "what_matters" in categories:
        shared["what_matters"] = request.what_matters
    if "needs" in categories:
        shared["needs"] = list(request.needs)
    if "access" in categories:
        shared["language"] = request.language
        shared["accessibility_needs"] = request.accessibility_needs
    if "date_of_birth" in categories:
        shared["date_of_birth"] = _born(request)
    return shared


def _name(request: Request) -> str:
    if request.provisional is not None:
        return f"{request.provisional.given_name} {request.provisional.family_name}"
    person = Person.objects.filter(person_id=request.person_id).first()
    return f"{person.given_name} {person.family_name}" if person else ""


def _born(request: Request) -> str:
    if request.provisional is not None and request.provisional.date_of_birth:
        return request.provisional.date_of_birth.isoformat()
    person = Person.objects.filter(person_id=request.person_id).first()
    return person.date_of_birth.isoformat() if person and person.date_of_birth else ""


def may_connect(request: Request) -> bool:
    """Open requests, and universal ones closed with information: connecting one to a
    community service after triage is still the universal offer (it becomes "connected")."""
    return request.is_open or request.route == Route.UNIVERSAL


def connect(
    actor: Actor, user: User, request: Request, service: Service, message: str
) -> Connection:
    """Send a connection, sharing only what consent covers. Raises `NotSharedError` (nothing
    sent, audited) when consent does not cover this organisation for connecting to help."""
    problems: dict[str, str] = {}
    if not message.strip():
        problems["message"] = "Say what the service needs to know"
    elif len(message) > MAX_MESSAGE:
        problems["message"] = f"The message must be {MAX_MESSAGE:,} characters or fewer"
    if service.status not in OPEN_SERVICE:
        problems["service"] = f"{service.name} is {service.status}"
    if not may_connect(request):
        problems["service"] = "This request is closed"
    if service.organization is None:
        problems["service"] = f"{service.name} has no organisation to answer a connection"
    if problems:
        raise InvalidFields(problems)
    covered = cover(request, service)
    if not covered.allowed:
        record(
            actor,
            Event(
                action="frontdoor.connect",
                outcome="denied",
                person=request.person_id,
                reason=covered.why,
                detail={"request": request.reference, "service": str(service.id)},
            ),
        )
        raise NotSharedError(covered.why, where="consent")
    return _send(actor, user, request, service, message, covered)


def _send(
    actor: Actor, user: User, request: Request, service: Service, message: str, covered: Cover
) -> Connection:
    now = timezone.now()
    shared = shared_fields(request, covered.categories)
    with transaction.atomic():
        connection = Connection.objects.create(
            request=request,
            service=service,
            organisation=service.organization,  # type: ignore[misc]  # checked in connect
            consent=covered.consent,
            message=message.strip(),
            shared=shared,
            sent_by=user,
            sent_at=now,
            answer_due=add_working_days(now, ANSWER_WITHIN_WORKING_DAYS),
        )
        ConnectionEvent.objects.create(
            connection=connection, status=ConnectionStatus.SENT, at=now, by=actor.username
        )
        if request.status == RequestStatus.CLOSED:
            request.status = RequestStatus.CONNECTED
            request.save(update_fields=["status"])
        record(
            actor,
            Event(
                action="frontdoor.connect",
                person=request.person_id,
                detail={
                    "request": request.reference,
                    "connection": connection.pk,
                    "service": str(service.id),
                    "shared": sorted(shared),
                },
            ),
        )
    return connection


@dataclass(frozen=True)
class Answer:
    status: str  # accepted, declined or completed
    decline_reason: str = ""
    helped: bool | None = None
    note: str = ""


ANSWERS_FROM = {
    ConnectionStatus.SENT: {ConnectionStatus.ACCEPTED, ConnectionStatus.DECLINED},
    ConnectionStatus.ACCEPTED: {ConnectionStatus.COMPLETED, ConnectionStatus.DECLINED},
}


def check_answer(connection: Connection, answer: Answer) -> dict[str, str]:
    problems: dict[str, str] = {}
    allowed = ANSWERS_FROM.get(ConnectionStatus(connection.status), set())
    if answer.status not in allowed:
        problems["status"] = (
            f"A connection that is {connection.get_status_display().lower()} cannot be "
            f"{answer.status or 'left without an answer'}"
            if allowed
            else "This connection has already been answered"
        )
    if answer.status == ConnectionStatus.DECLINED and answer.decline_reason not in (
        DeclineReason.values
    ):
        problems["decline_reason"] = "Choose why the connection was declined"
    if answer.status == ConnectionStatus.COMPLETED and answer.helped is None:
        problems["helped"] = "Say whether the person was helped"
    if len(answer.note) > MAX_MESSAGE:
        problems["note"] = f"The note must be {MAX_MESSAGE:,} characters or fewer"
    return problems


def answer(actor: Actor, user: User | None, connection: Connection, reply: Answer) -> Connection:
    """The receiving organisation's answer (the caller has checked it is theirs; `user` is None
    when an organisation answers through the API with its key)."""
    problems = check_answer(connection, reply)
    if problems:
        raise InvalidFields(problems)
    now = timezone.now()
    with transaction.atomic():
        connection.status = reply.status
        if reply.status == ConnectionStatus.DECLINED:
            connection.decline_reason = reply.decline_reason
        if reply.status == ConnectionStatus.COMPLETED:
            connection.helped = reply.helped
        connection.answer_note = reply.note.strip()
        connection.answered_by, connection.answered_at = user, now
        connection.save()
        ConnectionEvent.objects.create(
            connection=connection,
            status=reply.status,
            at=now,
            by=actor.username,
            note=reply.decline_reason or reply.note.strip()[:500],
        )
        record(
            actor,
            Event(
                action="frontdoor.connection.answer",
                person=connection.request.person_id,
                detail={"connection": connection.pk, "status": reply.status},
            ),
        )
    return connection


def overdue(now: datetime | None = None) -> QuerySet[Connection]:
    """Sent connections with no answer past their 5 working days."""
    return Connection.objects.filter(
        status=ConnectionStatus.SENT, answer_due__lt=now or timezone.now()
    )


def overdue_for(user: User, now: datetime | None = None) -> QuerySet[Connection]:
    """What surfaces to a sender, and to a team manager for their team's senders."""
    mine = Q(sent_by=user)
    if user.role_enum.value == "team_manager" and user.team:
        mine |= Q(sent_by__team=user.team) | Q(request__team=user.team)
    return overdue(now).filter(mine).select_related("service", "request", "sent_by")
