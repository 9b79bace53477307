"""The front door's pages for council staff: the queue, taking a request (finding the person
first, so what is known is shown and not asked again), the request page with triage, consent,
connections and safeguarding, the team's waiting list, the safeguarding queue and unanswered
connections.

Thin: each view reads the form, calls the domain modules (which audit), and answers with a page
or its twins. Refusals are domain errors the web edge answers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework import forms as casework_forms
from upstream.casework import services as casework_services
from upstream.casework.views import ids_checked
from upstream.directory.models import Service
from upstream.directory.search import ServiceQuery, search
from upstream.directory.terms import need_groups
from upstream.edge.twins import Table, respond
from upstream.errors import Denied, InputError, InvalidFields
from upstream.frontdoor import (
    access,
    connecting,
    consent,
    forms,
    lists,
    measures,
    routing,
    safeguarding,
)
from upstream.frontdoor.intake import known_needs, take_request
from upstream.frontdoor.models import (
    AskedBy,
    Channel,
    ConsentMethod,
    ConsentState,
    ContactMethod,
    Place,
    Request,
    RequestStatus,
    Route,
    SafeguardingConcern,
    SafeguardingTeam,
    Urgency,
)
from upstream.frontdoor.story import Known, what_is_known
from upstream.frontdoor.workdays import working_days_between
from upstream.governance.audit import Actor, Event, record
from upstream.people.models import Person


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _request_or_404(reference: str) -> Request:
    return get_object_or_404(
        Request.objects.select_related("provisional", "recorded_by", "triaged_by"),
        reference=reference[:20],
    )


def _choices() -> dict[str, Any]:
    return {
        "channels": [
            (c, label)
            for c, label in Channel.choices
            if c in {"phone", "face_to_face", "proactive"}
        ],
        "places": Place.choices,
        "asked_by_choices": AskedBy.choices,
        "urgencies": Urgency.choices,
        "contact_methods": ContactMethod.choices,
        "need_groups": need_groups(),
    }


def subject_name(item: Request) -> str:
    if item.provisional is not None:
        return f"{item.provisional.given_name} {item.provisional.family_name} (not yet matched)"
    return item.person_id


def _needs_text(needs: list[str]) -> str:
    names = known_needs()
    return "; ".join(names.get(n, n) for n in needs)


# The front-door officer's queue: new requests awaiting triage, oldest first, with their age.

QUEUE_COLUMNS = (
    lists.Column("reference", "Request", "reference"),
    lists.Column("received", "Received", "received_at"),
    lists.Column("age", "Age (working days)", ""),
    lists.Column("channel", "Channel", "channel"),
    lists.Column("urgency", "Urgency", "urgency"),
    lists.Column("needs", "Needs", ""),
    lists.Column("repeat", "Repeat", ""),
)


def _queue_row(item: Request) -> dict[str, Any]:
    return {
        "reference": item.reference,
        "link": reverse("frontdoor:request", args=[item.reference]),
        "received": timezone.localtime(item.received_at).strftime("%-d %b %Y %H:%M"),
        "age": working_days_between(item.received_at, timezone.now()),
        "channel": item.get_channel_display(),
        "urgency": item.get_urgency_display(),
        "needs": _needs_text(item.needs),
        "repeat": "Yes" if item.repeat_of_id else "No",
    }


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.TRIAGERS, "frontdoor.queue", "the front-door queue")
    waiting = access.visible_requests(user).filter(status=RequestStatus.AWAITING_TRIAGE)
    record(actor, Event(action="frontdoor.queue", detail={"count": waiting.count()}))
    return _list_response(
        request,
        "frontdoor/queue.html",
        waiting,
        QUEUE_COLUMNS,
        _queue_row,
        default="received",
        name="front-door-queue",
        extra={"concerns": safeguarding.queue().count()},
    )


def _list_response(
    request: HttpRequest,
    template: str,
    queryset: Any,
    columns: tuple[lists.Column, ...],
    row: Any,
    *,
    default: str,
    name: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    params = request.GET
    return respond(
        request,
        template,
        lambda: {
            "listing": lists.list_page(queryset, columns, params, row, default=default),
            **(extra or {}),
        },
        table=lambda: Table(
            name,
            lists.all_rows(queryset, columns, params, row, default=default),
            [c.key for c in columns],
        ),
    )


# Taking a request: find the person first.


@login_required
def new_request_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.TAKERS, "frontdoor.new", "taking requests for help")
    query, errors = casework_forms.search_query(request.GET)
    results: list[casework_services.Result] = []
    searched = not query.is_empty and not errors
    try:
        if searched:
            results = casework_services.search_people(actor, user, query)
    except InputError as error:
        errors[error.where or "name"] = error.message
        searched = False
    return render(
        request,
        "frontdoor/new.html",
        {
            "query": query,
            "params": request.GET,
            "errors": errors,
            "results": results,
            "searched": searched,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
@ids_checked
def start_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """The front door starts working with the person it found: their story is shown next."""
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor, user, frozenset({Role.FRONT_DOOR_OFFICER}), "frontdoor.start", "starting requests"
    )
    if not Person.objects.filter(person_id=person_id).exists():
        raise Denied("There is no one with that ID to take a request for.", "")
    routing.start_contact(actor, user, person_id)
    return redirect("frontdoor:new-for", person_id=person_id)


@login_required
@ids_checked
def new_for_person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.TAKERS, "frontdoor.new", "taking requests for help")
    known = what_is_known(actor, user, person_id, view="front door: new request")
    errors: dict[str, str] = {}
    if request.method == "POST":
        ask = forms.ask_from(request.POST)
        try:
            taken = take_request(actor, ask, by=user, person_id=known.decision.person_id)
        except InvalidFields as problems:
            errors = problems.fields
        else:
            if taken.joined:
                messages.success(
                    request,
                    f"Added to the open request {taken.request.reference} for the same need: nothing was duplicated.",
                )
            else:
                messages.success(
                    request,
                    f"Request {taken.request.reference} recorded"
                    + (" (a repeat within 12 months)" if taken.repeat else "")
                    + ".",
                )
            return redirect("frontdoor:request", reference=taken.request.reference)
    return render(
        request,
        "frontdoor/new_for_person.html",
        {
            "known": known,
            "errors": errors,
            "form": request.POST,
            "chosen_needs": request.POST.getlist("needs"),
            **_choices(),
        },
        status=400 if errors else 200,
    )


@login_required
def new_person_page(request: HttpRequest) -> HttpResponse:
    """A request for someone not found: the identity as given (a provisional person)."""
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.TAKERS, "frontdoor.new", "taking requests for help")
    errors: dict[str, str] = {}
    if request.method == "POST":
        identity = forms.identity_from(request.POST, errors)
        ask = forms.ask_from(request.POST)
        try:
            if errors:
                raise InvalidFields(errors)
            taken = take_request(actor, ask, by=user, identity=identity)
        except InvalidFields as problems:
            errors = {**errors, **problems.fields}
            if "date_of_birth" in errors:  # the date input's id
                errors["dob"] = errors.pop("date_of_birth")
        else:
            messages.success(
                request,
                f"Request {taken.request.reference} recorded. The next linkage run will match {identity.given_name} {identity.family_name} to the people we know, if they are known.",
            )
            return redirect("frontdoor:request", reference=taken.request.reference)
    return render(
        request,
        "frontdoor/new_person.html",
        {
            "errors": errors,
            "form": request.POST,
            "chosen_needs": request.POST.getlist("needs"),
            **_choices(),
        },
        status=400 if errors else 200,
    )


# The request page: what was asked, what is known, triage, consent, connections, safeguarding.


def _story_or_reason(
    actor: Actor, user: User, item: Request, *, audited: bool = True
) -> tuple[Known | None, str]:
    if not item.person_id:
        return None, ""
    try:
        known = what_is_known(
            actor, user, item.person_id, view="front door: request", exclude=item, audited=audited
        )
    except Denied as denied:
        return None, denied.message
    return known, ""


@login_required
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.check_request(actor, user, item, action="frontdoor.request.view")
    known, withheld = _story_or_reason(actor, user, item, audited=False)
    # One audit entry for the page: the request, and whether the person's story was shown.
    story = known.decision.basis if known else ("withheld" if withheld else "")
    access.record_read(actor, user, item, action="frontdoor.request.view", story=story)
    return render(request, "frontdoor/request.html", _request_context(user, item, known, withheld))


def _request_context(
    user: User, item: Request, known: Known | None, withheld: str, **extra: Any
) -> dict[str, Any]:
    may_triage = user.role_enum in access.TRIAGERS and item.is_open and not item.route
    suggestion = (
        routing.suggestion_for(item, flags=known.flag_ids if known else ()) if may_triage else None
    )
    return {
        "item": item,
        "known": known,
        "withheld": withheld,
        "subject": subject_name(item),
        "needs": [known_needs().get(n, n) for n in item.needs],
        "suggestion": suggestion,
        "may_triage": may_triage,
        "may_connect": user.role_enum in access.CONNECTORS and connecting.may_connect(item),
        "routes": Route.choices,
        "teams": routing.teams(),
        "consents": [_consent_shown(c) for c in item.consents.prefetch_related("events")],
        "connections": item.connections.select_related("service", "organisation"),
        "concerns": item.concerns.all(),
        "contacts": item.contacts.all(),
        "safeguarding_teams": SafeguardingTeam.choices,
        "errors": {},
        "form": {},
        **extra,
    }


def _consent_shown(found: Any) -> dict[str, Any]:
    """A consent in words: its purpose, what may be shared and with whom."""
    organisations = len(found.recipient_organisations)
    recipients = [consent.RECIPIENT_TYPES.get(t, t) for t in found.recipient_types]
    if organisations:
        recipients.append(f"{organisations} named organisation{'s' if organisations > 1 else ''}")
    return {
        "consent": found,
        "purpose": consent.PURPOSES.get(found.purpose, found.purpose),
        "categories": "; ".join(consent.CATEGORIES.get(c, c) for c in found.data_categories),
        "recipients": "; ".join(recipients),
    }


@login_required
@require_POST
def triage_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.require_role(actor, user, access.TRIAGERS, "frontdoor.triage", "triage")
    access.see_request(actor, user, item, action="frontdoor.request.view")
    route = casework_forms.text(request.POST, "route", 10)
    team = casework_forms.text(request.POST, "team", 100)
    reason = casework_forms.text(request.POST, "override_reason", 2100)
    try:
        routing.triage(actor, user, item, route=route, team=team, reason=reason)
    except InvalidFields as problems:
        known, withheld = _story_or_reason(actor, user, item)
        context = _request_context(
            user, item, known, withheld, errors=problems.fields, form=request.POST
        )
        return render(request, "frontdoor/request.html", context, status=400)
    where = item.team or "closed with information and advice"
    messages.success(
        request, f"Triaged: {item.get_route_display().split(':')[0].lower()}, {where}."
    )
    return redirect("frontdoor:request", reference=item.reference)


@login_required
def safeguarding_raise_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.require_role(
        actor, user, access.TAKERS, "frontdoor.safeguarding.raise", "raising safeguarding concerns"
    )
    access.see_request(actor, user, item, action="frontdoor.request.view")
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            concern = safeguarding.raise_concern(
                actor,
                user,
                item,
                team=casework_forms.text(request.POST, "team", 10),
                concern=casework_forms.text(request.POST, "concern", 4100),
            )
        except InvalidFields as problems:
            errors = problems.fields
        else:
            due = timezone.localtime(concern.due_at).strftime("%-d %b %Y %H:%M")
            messages.success(
                request,
                f"Safeguarding concern sent to {concern.get_team_display()}: a decision is due by {due}.",
            )
            return redirect("frontdoor:request", reference=item.reference)
    return render(
        request,
        "frontdoor/safeguarding_raise.html",
        {"item": item, "errors": errors, "form": request.POST, "teams": SafeguardingTeam.choices},
        status=400 if errors else 200,
    )


@login_required
def consent_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.require_role(actor, user, access.CONNECTORS, "frontdoor.consent", "recording consent")
    access.see_request(actor, user, item, action="frontdoor.request.view")
    errors: dict[str, str] = {}
    if request.method == "POST":
        asked = consent.Asked(
            purpose=casework_forms.text(request.POST, "purpose", 40),
            categories=tuple(request.POST.getlist("categories"))[:10],
            types=tuple(request.POST.getlist("types"))[:10],
            state=casework_forms.text(request.POST, "state", 10),
            method=casework_forms.text(request.POST, "method", 10),
            note=casework_forms.text(request.POST, "note", 2000),
        )
        try:
            consent.record_consent(actor, item, asked)
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, "Consent recorded.")
            return redirect("frontdoor:request", reference=item.reference)
    return render(
        request,
        "frontdoor/consent.html",
        {
            "item": item,
            "errors": errors,
            "form": request.POST,
            "purposes": consent.PURPOSES,
            "categories": consent.CATEGORIES,
            "types": consent.RECIPIENT_TYPES,
            "states": [
                (s, label)
                for s, label in ConsentState.choices
                if s in {"given", "refused", "requested"}
            ],
            "methods": [(m, label) for m, label in ConsentMethod.choices if m != "api"],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def consent_change_page(request: HttpRequest, reference: str, consent_id: int) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.require_role(actor, user, access.CONNECTORS, "frontdoor.consent", "recording consent")
    access.see_request(actor, user, item, action="frontdoor.request.view")
    found = get_object_or_404(item.consents, pk=consent_id)
    state = casework_forms.text(request.POST, "state", 10)
    consent.change_consent(
        actor, found, state, casework_forms.text(request.POST, "method", 10) or "verbal"
    )
    messages.success(request, f"Consent is now {found.get_state_display().lower()}.")
    return redirect("frontdoor:request", reference=item.reference)


def _service_query(item: Request, params: Any) -> ServiceQuery:
    """The directory pre-filtered by the person's first need, age, postcode and today."""
    need = casework_forms.text(params, "need", 100) or (item.needs[0] if item.needs else "")
    age = routing.facts_for(item).age
    postcode = casework_forms.text(params, "postcode", 10)
    if not postcode and item.provisional is not None:
        postcode = item.provisional.postcode
    day = casework_forms.text(params, "day", 2)
    try:
        page = max(1, int(params.get("page", "1")))
    except ValueError:
        page = 1
    return ServiceQuery(
        text=casework_forms.text(params, "q", 100),
        need=need,
        age=age,
        postcode=postcode,
        day=day if day in {"MO", "TU", "WE", "TH", "FR", "SA", "SU"} else "",
        statuses=("active",),
        page=page,
    )


@login_required
def connect_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _request_or_404(reference)
    access.require_role(
        actor, user, access.CONNECTORS, "frontdoor.connect", "connecting people to services"
    )
    access.see_request(actor, user, item, action="frontdoor.request.view")
    errors: dict[str, str] = {}
    chosen: Service | None = None
    if request.method == "POST":
        chosen_id = _uuid(request.POST.get("service", ""))
        chosen = (
            Service.objects.filter(pk=chosen_id or uuid.UUID(int=0))
            .select_related("organization")
            .first()
        )
        try:
            if chosen is None:
                raise InvalidFields({"service": "Choose a service"})
            connecting.connect(
                actor, user, item, chosen, casework_forms.text(request.POST, "message", 4100)
            )
        except InvalidFields as problems:
            errors = problems.fields
        except connecting.NotSharedError as refused:
            errors = {"service": refused.message}
        else:
            messages.success(
                request, f"Connected to {chosen.name}. They have 5 working days to answer."
            )
            return redirect("frontdoor:request", reference=item.reference)
    query = _service_query(item, request.GET)
    found = search(query)
    by_id = Service.objects.select_related("organization").in_bulk(
        [h.service_id for h in found.hits]
    )
    services = [by_id[h.service_id] for h in found.hits if h.service_id in by_id]
    covers = {str(s.id): connecting.cover(item, s) for s in services}
    return render(
        request,
        "frontdoor/connect.html",
        {
            "item": item,
            "errors": errors,
            "form": request.POST,
            "query": query,
            "result": found,
            "services": [(s, covers[str(s.id)]) for s in services],
            "need_groups": need_groups(),
            "chosen": chosen,
        },
        status=400 if errors else 200,
    )


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


# Team managers: waiting lists, the safeguarding queue, unanswered connections.

WAITING_COLUMNS = (
    lists.Column("reference", "Request", "reference"),
    lists.Column("team", "Team", "team"),
    lists.Column("triaged", "On the list since", "triaged_at"),
    lists.Column("waiting", "Waiting (working days)", ""),
    lists.Column("urgency", "Urgency", "urgency"),
    lists.Column("needs", "Needs", ""),
)


def _waiting_row(item: Request) -> dict[str, Any]:
    since = item.triaged_at or item.received_at
    return {
        "reference": item.reference,
        "link": reverse("frontdoor:request", args=[item.reference]),
        "team": item.team,
        "triaged": timezone.localtime(since).strftime("%-d %b %Y"),
        "waiting": working_days_between(since, timezone.now()),
        "urgency": item.get_urgency_display(),
        "needs": _needs_text(item.needs),
    }


@login_required
def waiting_list_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor,
        user,
        frozenset({Role.TEAM_MANAGER, Role.PRACTITIONER}),
        "frontdoor.waiting",
        "waiting lists",
    )
    waiting = access.visible_requests(user).filter(pk__in=routing.waiting(user.team).values("pk"))
    record(actor, Event(action="frontdoor.waiting_list", detail={"team": user.team}))
    return _list_response(
        request,
        "frontdoor/waiting_list.html",
        waiting,
        WAITING_COLUMNS,
        _waiting_row,
        default="triaged",
        name="waiting-list",
        extra={"team": user.team},
    )


CONCERN_COLUMNS = (
    lists.Column("request", "Request", "request__reference"),
    lists.Column("team", "Queue", "team"),
    lists.Column("raised", "Raised", "raised_at"),
    lists.Column("due", "Decision due", "due_at"),
    lists.Column("clock", "Clock", ""),
)


def _concern_row(concern: SafeguardingConcern) -> dict[str, Any]:
    now = timezone.now()
    late = concern.due_at < now
    return {
        "request": concern.request.reference,
        "link": reverse("frontdoor:concern", args=[concern.pk]),
        "team": concern.get_team_display(),
        "raised": timezone.localtime(concern.raised_at).strftime("%-d %b %Y %H:%M"),
        "due": timezone.localtime(concern.due_at).strftime("%-d %b %Y %H:%M"),
        "clock": "Overdue" if late else "Due",
    }


@login_required
def safeguarding_queue_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor, user, access.DECIDERS, "frontdoor.safeguarding.queue", "the safeguarding queue"
    )
    team = request.GET.get("team", "")
    team = team if team in SafeguardingTeam.values else ""
    concerns = safeguarding.queue(team)
    record(
        actor,
        Event(action="frontdoor.safeguarding.queue", purpose="safeguarding", detail={"team": team}),
    )
    return _list_response(
        request,
        "frontdoor/safeguarding_queue.html",
        concerns,
        CONCERN_COLUMNS,
        _concern_row,
        default="due",
        name="safeguarding-queue",
        extra={"team": team, "teams": SafeguardingTeam.choices},
    )


@login_required
def concern_page(request: HttpRequest, concern_id: int) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor, user, access.DECIDERS, "frontdoor.safeguarding.decide", "safeguarding decisions"
    )
    concern = get_object_or_404(
        SafeguardingConcern.objects.select_related("request", "raised_by"), pk=concern_id
    )
    record(
        actor,
        Event(
            action="frontdoor.safeguarding.view",
            person=concern.person_id,
            purpose="safeguarding",
            detail={"concern": concern.pk},
        ),
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            safeguarding.decide(
                actor,
                user,
                concern,
                decision=casework_forms.text(request.POST, "decision", 40),
                reason=casework_forms.text(request.POST, "decision_reason", 4100),
                wanted=casework_forms.text(request.POST, "outcomes_wanted", 4100),
                met=casework_forms.text(request.POST, "outcomes_met", 10),
            )
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, "Decision recorded.")
            return redirect("frontdoor:safeguarding")
    allowed = (
        safeguarding.ADULT_DECISIONS
        if concern.team == SafeguardingTeam.ADULTS
        else safeguarding.CHILD_DECISIONS
    )
    return render(
        request,
        "frontdoor/concern.html",
        {
            "concern": concern,
            "errors": errors,
            "form": request.POST,
            "decisions": [(k, v) for k, v in safeguarding.DECISIONS.items() if k in allowed],
            "outcomes_met": safeguarding.OUTCOMES_MET,
            "adult": concern.team == SafeguardingTeam.ADULTS,
        },
        status=400 if errors else 200,
    )


OVERDUE_COLUMNS = (
    lists.Column("request", "Request", "request__reference"),
    lists.Column("service", "Service", "service__name"),
    lists.Column("sent", "Sent", "sent_at"),
    lists.Column("due", "Answer was due", "answer_due"),
    lists.Column("sent_by", "Sent by", "sent_by__username"),
)


def _overdue_row(connection: Any) -> dict[str, Any]:
    return {
        "request": connection.request.reference,
        "link": reverse("frontdoor:request", args=[connection.request.reference]),
        "service": connection.service.name,
        "sent": timezone.localtime(connection.sent_at).strftime("%-d %b %Y"),
        "due": timezone.localtime(connection.answer_due).strftime("%-d %b %Y"),
        "sent_by": connection.sent_by.get_full_name() or connection.sent_by.username,
    }


@login_required
def overdue_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.CONNECTORS, "frontdoor.overdue", "connections")
    overdue = connecting.overdue_for(user)
    record(actor, Event(action="frontdoor.overdue", detail={"count": overdue.count()}))
    return _list_response(
        request,
        "frontdoor/overdue.html",
        overdue,
        OVERDUE_COLUMNS,
        _overdue_row,
        default="due",
        name="unanswered-connections",
    )


# Measures: counts only, for those who run and commission the front door.

MEASURE_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER, Role.COMMISSIONER, Role.ANALYST}
)
MEASURE_PERIODS = {"3": "Last 3 months", "6": "Last 6 months", "12": "Last 12 months"}
BAR_WIDTH = 300  # pixels for 100% in the measures page's bars (inline SVG: no inline styles)


@login_required
def measures_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, MEASURE_ROLES, "frontdoor.measures", "front-door measures")
    months = request.GET.get("months", "12")
    months = months if months in MEASURE_PERIODS else "12"
    today = timezone.localdate()
    period = measures.Period(today - timedelta(days=int(months) * 365 // 12 - 1), today)
    found = measures.measure(period)
    return respond(
        request,
        "frontdoor/measures.html",
        lambda: {
            "m": found,
            "months": months,
            "periods": MEASURE_PERIODS,
            "channel_bars": _bars(found.by_channel),
            "route_bars": _bars(found.by_route),
            "answer_bars": _bars(found.answers),
        },
        data=lambda: found.rows(),
        table=lambda: Table(
            "front-door-measures", found.rows(), ["measure", "group", "value", "percent"]
        ),
    )


def _bars(shares: list[measures.Share]) -> list[dict[str, Any]]:
    return [
        {
            "label": s.label.split(" (")[0].split(":")[0],
            "count": s.count,
            "percent": s.percent,
            "width": max(1, round(BAR_WIDTH * s.percent / 100)),
            "y": 8 + i * 28,
        }
        for i, s in enumerate(shares)
    ]
