"""A service provider's pages: the connections sent to their organisation, and answering one.

A provider (Role.SERVICE_PROVIDER, tied to a directory organisation by a `PartnerAccount`) sees
only connections sent to that organisation (`access.visible_connections`), and of each only what
consent covered when it was sent (`Connection.shared`) and the sender's message: never the
request itself. Their answer (accepted; declined with a coded reason; completed, helped or not)
goes through `connecting.answer`, which audits it; the sender sees it on the request's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.edge.twins import Table, respond
from upstream.errors import InvalidFields
from upstream.frontdoor import access, lists
from upstream.frontdoor.connecting import ANSWERS_FROM, Answer, answer
from upstream.frontdoor.intake import known_needs
from upstream.frontdoor.models import Connection, ConnectionStatus, DeclineReason
from upstream.frontdoor.workdays import working_days_between
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record

PROVIDERS = frozenset({Role.SERVICE_PROVIDER})
NO_ORGANISATION = (
    "Your account is not linked to an organisation in the directory yet. Ask the council's "
    "front-door team to link it."
)
INCOMING_COLUMNS = (
    lists.Column("person", "Person", ""),
    lists.Column("received", "Received", "sent_at"),
    lists.Column("service", "Service", "service__name"),
    lists.Column("status", "Status", "status"),
    lists.Column("answer_due", "Answer due", "answer_due"),
)
# What a connection may carry (connecting.shared_fields), as the provider reads it.
SHARED_LABELS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "preferred_contact": "How they would like to be contacted",
    "contact_detail": "Contact details",
    "what_matters": "What matters to them",
    "needs": "What they need help with",
    "language": "Language",
    "accessibility_needs": "Accessibility needs",
}
HELPED = {"yes": True, "no": False}
FORM_FIELDS = ("action", "accept_note", "decline_reason", "decline_note", "helped", "complete_note")
# Short words for the status tag (the model's labels are written for the sender's lists).
STATUS_TAGS = {
    ConnectionStatus.SENT: ("Not answered yet", "govuk-tag--blue"),
    ConnectionStatus.ACCEPTED: ("Accepted", "govuk-tag--turquoise"),
    ConnectionStatus.DECLINED: ("Declined", "govuk-tag--grey"),
    ConnectionStatus.COMPLETED: ("Completed", "govuk-tag--green"),
}
DONE = {
    ConnectionStatus.ACCEPTED: "You accepted this connection.",
    ConnectionStatus.DECLINED: "You declined this connection.",
    ConnectionStatus.COMPLETED: "You marked this connection as completed.",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _provider(request: HttpRequest, action: str) -> tuple[User, Actor]:
    """The signed-in provider and their actor; refused (audited) for any other role, and for a
    provider whose account is not tied to an organisation."""
    user, actor = _user(request), Actor.from_request(request)
    access.require_role(actor, user, PROVIDERS, action, "incoming connections")
    if not access.organisation_id(user):
        raise refuse(actor, action, NO_ORGANISATION)
    return user, actor


# --- the incoming list -----------------------------------------------------------------------


def _answer_due(connection: Connection, now: Any) -> str:
    """Working days left to answer, or how late the answer is (5 working days: issue 12)."""
    if connection.status != ConnectionStatus.SENT:
        answered = connection.answered_at
        return f"Answered {timezone.localtime(answered):%-d %b %Y}" if answered else "Answered"
    if connection.answer_due < now:
        late = working_days_between(connection.answer_due, now)
        return f"Overdue by {late} working day{'s' if late != 1 else ''}" if late else "Overdue"
    left = working_days_between(now, connection.answer_due)
    return f"{left} working day{'s' if left != 1 else ''} left" if left else "Due today"


def _incoming_row(connection: Connection) -> dict[str, Any]:
    return {
        "person": connection.shared.get("name") or "Name not shared",
        "link": reverse("provider:connection", args=[connection.pk]),
        "received": timezone.localtime(connection.sent_at).strftime("%-d %b %Y"),
        "service": connection.service.name,
        "status": connection.get_status_display(),
        "answer_due": _answer_due(connection, timezone.now()),
    }


# What the list shows first: the connections that still need something from the provider.
OPEN = "open"
EVERY = "all"
STATUS_CHOICES = [
    (OPEN, "To answer or complete"),
    (EVERY, "All"),
    *ConnectionStatus.choices,
]


def _status_filter(request: HttpRequest) -> tuple[str, dict[str, str]]:
    status = request.GET.get("status", "") or OPEN
    if status not in {value for value, _ in STATUS_CHOICES}:
        return EVERY, {"status": "Choose a status from the list"}
    return status, {}


def _filtered(connections: QuerySet[Connection], status: str) -> QuerySet[Connection]:
    if status == OPEN:
        return connections.filter(status__in=[ConnectionStatus.SENT, ConnectionStatus.ACCEPTED])
    if status == EVERY:
        return connections
    return connections.filter(status=status)


@login_required
def incoming_page(request: HttpRequest) -> HttpResponse:
    user, actor = _provider(request, "frontdoor.incoming")
    status, errors = _status_filter(request)
    connections: QuerySet[Connection] = access.visible_connections(user).select_related("service")
    connections = _filtered(connections, status)
    people = connections.exclude(request__person_id="").values_list("request__person_id", flat=True)
    record(
        actor,
        Event(
            action="frontdoor.incoming",
            people_shown=tuple(dict.fromkeys(people)),
            detail={"organisation": access.organisation_id(user), "status": status},
        ),
    )
    params = request.GET
    return respond(
        request,
        "frontdoor/provider/incoming.html",
        lambda: {
            "listing": lists.list_page(
                connections, INCOMING_COLUMNS, params, _incoming_row, default="answer_due"
            ),
            "organisation": user.partner.organisation,
            "statuses": STATUS_CHOICES,
            "status": status,
            "waiting": access.visible_connections(user)
            .filter(status=ConnectionStatus.SENT)
            .count(),
            "errors": errors,
        },
        table=lambda: Table(
            "incoming-connections",
            lists.all_rows(
                connections, INCOMING_COLUMNS, params, _incoming_row, default="answer_due"
            ),
            [c.key for c in INCOMING_COLUMNS],
        ),
        errors=errors,
    )


# --- one connection, and the answer ----------------------------------------------------------


def _shared_rows(shared: dict[str, Any]) -> list[tuple[str, str]]:
    needs = known_needs()
    rows = []
    for key, label in SHARED_LABELS.items():
        value = shared.get(key)
        if not value:
            continue
        if key == "needs":
            value = "; ".join(needs.get(n, n) for n in value)
        rows.append((label, str(value)))
    return rows


def _context(
    connection: Connection, form: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    moves = ANSWERS_FROM.get(ConnectionStatus(connection.status), set())
    return {
        "connection": connection,
        "shared": _shared_rows(connection.shared),
        "answer_due": _answer_due(connection, timezone.now()),
        "tag": STATUS_TAGS[ConnectionStatus(connection.status)],
        "may_accept": ConnectionStatus.ACCEPTED in moves,
        "may_decline": ConnectionStatus.DECLINED in moves,
        "may_complete": ConnectionStatus.COMPLETED in moves,
        "decline_reasons": DeclineReason.choices,
        "form": form,
        "errors": errors,
    }


@login_required
def connection_page(request: HttpRequest, connection_id: int) -> HttpResponse:
    user, actor = _provider(request, "frontdoor.connection.view")
    connection = get_object_or_404(
        Connection.objects.select_related("service", "request", "organisation"), pk=connection_id
    )
    action = (
        "frontdoor.connection.answer" if request.method == "POST" else "frontdoor.connection.view"
    )
    access.see_connection(actor, user, connection, action=action)
    if request.method != "POST":
        return _page(request, connection, {}, {})
    form = {k: str(request.POST.get(k, "")).strip() for k in FORM_FIELDS}
    reply, errors = _reply(form)
    if not errors:
        try:
            _answer(actor, user, connection.pk, reply)
        except InvalidFields as refused:
            errors = _field_errors(refused.fields, form.get("action", ""))
    if errors:
        connection.refresh_from_db()
        return _page(request, connection, form, errors)
    messages.success(request, DONE[ConnectionStatus(reply.status)])
    return redirect("provider:connection", connection_id=connection.pk)


def _page(
    request: HttpRequest,
    connection: Connection,
    form: dict[str, str],
    errors: dict[str, str],
) -> HttpResponse:
    return respond(
        request,
        "frontdoor/provider/connection.html",
        lambda: _context(connection, form, errors),
        data=lambda: _connection_json(connection),
        errors=errors,
    )


def _connection_json(connection: Connection) -> dict[str, Any]:
    """The page's JSON twin: what the page shows, no more."""
    return {
        "id": connection.pk,
        "service": connection.service.name,
        "received": connection.sent_at,
        "answer_due": connection.answer_due,
        "status": connection.status,
        "message": connection.message,
        "shared": dict(connection.shared),
        "decline_reason": connection.decline_reason,
        "helped": connection.helped,
        "answer_note": connection.answer_note,
        "answered_at": connection.answered_at,
    }


def _reply(form: dict[str, str]) -> tuple[Answer, dict[str, str]]:
    """The answer a form asks for; which of the three forms was sent is `action`."""
    action = form.get("action", "")
    if action == "accept":
        return Answer(ConnectionStatus.ACCEPTED, note=form.get("accept_note", "")), {}
    if action == "decline":
        reply = Answer(
            ConnectionStatus.DECLINED,
            decline_reason=form.get("decline_reason", ""),
            note=form.get("decline_note", ""),
        )
        return reply, {}
    if action == "complete":
        reply = Answer(
            ConnectionStatus.COMPLETED,
            helped=HELPED.get(form.get("helped", "")),
            note=form.get("complete_note", ""),
        )
        return reply, {}
    return Answer(""), {"answer": "Choose accept, decline or complete"}


def _answer(actor: Actor, user: User, connection_id: int, reply: Answer) -> None:
    # Locked while answered, so two people answering at once cannot both move it on.
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection_id)
        answer(actor, user, locked, reply)


def _field_errors(fields: dict[str, str], action: str) -> dict[str, str]:
    """The service's problems, by the id of the field on this page that shows each."""
    ids = {"status": "answer", "note": f"{action}_note" if action else "answer"}
    return {ids.get(name, name): message for name, message in fields.items()}
