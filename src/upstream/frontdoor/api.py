"""The partner API, under /api/frontdoor/: partner organisations refer people for help and
follow their referrals; service providers read and answer the connections sent to them.

A partner organisation authenticates with its API key (`X-API-Key: ufd_…`, or
`Authorization: Bearer ufd_…`; `upstream frontdoor api-key` makes one) and sees only its own:
the requests it referred, the connections sent to it. A request or connection that is not
theirs is a 404, the same answer as one that does not exist, so a key cannot find out what
exists. Every read and write is audited as `api:<organisation>` (the services audit what they
write; reads here). A POST with an `Idempotency-Key` is done once (`frontdoor.idempotency`).

Signed-in staff (the session, as the rest of /api/) may read a request's triage suggestion.
The routers are mounted on the one API (`api.urls`), whose error handlers make every error an
RFC 9457 problem; no operation here catches a domain error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.directory.models import Organization
from upstream.edge.errors import Problem as EdgeProblem
from upstream.edge.errors import problem_json
from upstream.errors import InvalidFields, NotFound
from upstream.frontdoor import api_schemas as s
from upstream.frontdoor import apikeys, idempotency
from upstream.frontdoor.access import TAKERS, require_role, see_request
from upstream.frontdoor.connecting import ANSWERS_FROM
from upstream.frontdoor.connecting import Answer as Reply
from upstream.frontdoor.connecting import answer as answer_connection
from upstream.frontdoor.consent import Asked, check_asked, record_consent
from upstream.frontdoor.intake import Ask, Identity, check_ask, check_identity, take_request
from upstream.frontdoor.models import (
    AskedBy,
    Channel,
    Connection,
    ConnectionStatus,
    ConsentMethod,
    Place,
    Request,
    RequestStatus,
)
from upstream.governance.audit import Actor, Event, client_address, record

PER_PAGE = 50
MAX_PAGE = 10_000
MAX_ID = 2**53 - 1
REFERENCE = r"^[A-Za-z0-9-]{1,20}$"  # Request.reference; anything else cannot be one
IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,200}$"  # visible ASCII, as the draft's examples
NO_SUCH_REQUEST = "None of your organisation's requests has this reference."
NO_SUCH_CONNECTION = "No connection sent to your organisation has this ID."
NO_KEY = (
    "Send your organisation's API key in the X-API-Key header "
    "(or as Authorization: Bearer). Ask the council for one."
)
BAD_KEY = "This API key is not valid or has been revoked. Ask the council for a new one."
ERRORS: dict[int, Any] = {code: s.Problem for code in (400, 401, 403, 404, 409, 422)}


@dataclass(frozen=True)
class Partner:
    """Who an API call comes from: the organisation whose key it carries."""

    organisation: Organization
    prefix: str


def _partner_for(key: str | None) -> Partner | None:
    if not key:
        return None
    found = apikeys.authenticate(key)
    if found is None:
        raise HttpError(401, BAD_KEY)
    return Partner(found.organisation, found.prefix)


class KeyHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Partner | None:
        return _partner_for(key)


class KeyBearer(HttpBearer):
    """The same key as a bearer token; tried last, so it names what is missing."""

    def __call__(self, request: HttpRequest) -> Partner | None:
        found: Partner | None = super().__call__(request)
        if found is None:
            raise HttpError(401, NO_KEY)
        return found

    def authenticate(self, request: HttpRequest, token: str) -> Partner | None:
        return _partner_for(token)


requests = Router(tags=["front door: referrals"], auth=[KeyHeader(), KeyBearer()])
connections = Router(tags=["front door: connections"], auth=[KeyHeader(), KeyBearer()])
triage = Router(tags=["front door: triage"])


def _partner(request: HttpRequest) -> Partner:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _actor(request: HttpRequest) -> Actor:
    partner = _partner(request)
    return Actor(
        username=f"api:{partner.organisation.name}"[:150],
        role="partner_organisation",
        ip_address=client_address(request),
        resource=request.get_full_path()[:300],
    )


def _read(
    request: HttpRequest, action: str, *, people: tuple[str, ...] = (), **detail: Any
) -> None:
    """Audit a read: who, whose records, and which key."""
    detail["api_key"] = _partner(request).prefix
    record(
        _actor(request),
        Event(action=action, people_shown=tuple(p for p in people if p), detail=detail),
    )


def _json(schema: type[Schema], status: int, data: dict[str, Any]) -> idempotency.Answer:
    """An answer as JSON will carry it, so the one kept for a retry is the same answer."""
    return idempotency.Answer(status, schema.model_validate(data).model_dump(mode="json"))


def _replayable(response: HttpResponse, answer: idempotency.Answer) -> Status[dict[str, Any]]:
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(answer.status, answer.body)


# --- referrals -------------------------------------------------------------------------------


@requests.post(
    "/requests",
    response={201: s.RequestOut, **ERRORS},
    summary="Refer someone for help",
    description="Takes the request as a partner referral (the identity as you know it is kept "
    "until linkage matches the person) and records consent when you send it. With an "
    "Idempotency-Key, a retry gets the first answer (Idempotent-Replayed: true).",
)
def refer(
    request: HttpRequest,
    response: HttpResponse,
    payload: s.RequestIn,
    idempotency_key: str | None = Header(  # type: ignore[type-arg]
        None, alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY
    ),
) -> Any:
    partner = _partner(request)

    def act() -> idempotency.Answer:
        return _json(s.RequestOut, 201, _take(_actor(request), partner, payload))

    body = payload.model_dump(mode="json")
    answer = idempotency.once(partner.organisation, idempotency_key, request.path, body, act)
    return _replayable(response, answer)


def _ask(partner: Partner, payload: s.RequestIn) -> Ask:
    return Ask(
        channel=Channel.PARTNER,
        place=Place.PARTNER_OFFICE,
        asked_by=AskedBy.PROFESSIONAL,
        asker_name=payload.referrer_name,
        asker_relationship=payload.referrer_role,
        asker_organisation=partner.organisation.name[:200],
        what_matters=payload.what_matters,
        needs=tuple(payload.needs),
        urgency=payload.urgency,
        preferred_contact=payload.preferred_contact,
        contact_detail=payload.contact_detail,
        language=payload.language,
        accessibility_needs=payload.accessibility_needs,
    )


def _identity(person: s.IdentityIn) -> Identity:
    return Identity(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        address=person.address,
        postcode=person.postcode,
        identifier_type=person.identifier_type,
        identifier=person.identifier,
    )


def _asked(consent: s.ConsentIn) -> Asked:
    return Asked(
        purpose=consent.purpose,
        categories=tuple(consent.categories),
        organisations=tuple(str(o) for o in consent.organisations),
        types=tuple(consent.types),
        state=consent.state,
        method=ConsentMethod.API,
        note=consent.note,
    )


# The services name fields as the pages do; the API names them as its request body does.
API_FIELDS = {
    "asker_name": "referrer_name",
    "asker_relationship": "referrer_role",
    "asker_organisation": "referrer_organisation",
    **{
        name: f"person.{name}"
        for name in (
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "address",
            "postcode",
            "identifier",
        )
    },
}


def _take(actor: Actor, partner: Partner, payload: s.RequestIn) -> dict[str, Any]:
    """Take the referral and its consent together, or nothing (every problem at once)."""
    ask, identity = _ask(partner, payload), _identity(payload.person)
    asked = _asked(payload.consent) if payload.consent else None
    problems = {
        API_FIELDS.get(k, k): v for k, v in (check_ask(ask) | check_identity(identity)).items()
    }
    if asked is not None:
        problems |= {f"consent.{k}": v for k, v in _consent_problems(asked).items()}
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        taken = take_request(
            actor,
            ask,
            by=None,
            identity=identity,
            referring_organisation_id=str(partner.organisation.pk),
        )
        if asked is not None:
            record_consent(actor, taken.request, asked)
    return _request_out(taken.request, joined=taken.joined)


def _consent_problems(asked: Asked) -> dict[str, str]:
    problems = check_asked(asked)
    known = {
        str(pk)
        for pk in Organization.objects.filter(pk__in=list(asked.organisations)).values_list(
            "pk", flat=True
        )
    }
    if unknown := [o for o in asked.organisations if o not in known]:
        problems["organisations"] = f"No organisation in the directory has the ID {unknown[0]}"
    return problems


def _request_out(found: Request, *, joined: bool = False) -> dict[str, Any]:
    return {
        "reference": found.reference,
        "status": found.status,
        "status_label": RequestStatus(found.status).label,
        "received_at": found.received_at,
        "needs": list(found.needs),
        "urgency": found.urgency,
        "joined": joined,
        "consents": [_consent_out(c) for c in found.consents.order_by("created_at", "pk")],
        "connections": [
            _sent_out(c)
            for c in found.connections.select_related("service", "organisation").order_by(
                "sent_at", "pk"
            )
        ],
    }


def _consent_out(consent: Any) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "purpose": consent.purpose,
        "categories": list(consent.data_categories),
        "organisations": list(consent.recipient_organisations),
        "types": list(consent.recipient_types),
        "state": consent.state,
        "given_at": consent.given_at,
        "expires_at": consent.expires_at,
        "history": [
            {"state": e.state, "method": e.method, "at": e.at} for e in consent.events.all()
        ],
    }


def _sent_out(connection: Connection) -> dict[str, Any]:
    """What the referrer sees of a connection: who, and the answer (never the answer's note,
    which the provider wrote for the council)."""
    return {
        "service": connection.service.name,
        "organisation": connection.organisation.name,
        "status": connection.status,
        "status_label": connection.get_status_display(),
        "decline_reason": connection.decline_reason,
        "helped": connection.helped,
        "sent_at": connection.sent_at,
        "answered_at": connection.answered_at,
    }


def _own_requests(request: HttpRequest) -> QuerySet[Request]:
    return Request.objects.filter(referring_organisation=_partner(request).organisation)


def _own_request(request: HttpRequest, reference: str, action: str) -> Request:
    """The organisation's request with this reference; anything else is the same 404 (audited
    as refused, without saying whether the reference exists)."""
    found = _own_requests(request).filter(reference=reference).first()
    if found is None:
        raise _missing(request, action, NO_SUCH_REQUEST, reference=reference)
    return found


def _missing(request: HttpRequest, action: str, message: str, **detail: Any) -> NotFound:
    """Audit a refusal of something not the organisation's and answer as if it did not exist."""
    record(
        _actor(request),
        Event(
            action=action,
            outcome="denied",
            reason=message,
            detail={**detail, "api_key": _partner(request).prefix},
        ),
    )
    return NotFound(message)


@requests.get(
    "/requests",
    response={200: s.RequestPage, **ERRORS},
    summary="Your organisation's referrals, newest first",
)
def referrals(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=MAX_PAGE),  # type: ignore[type-arg]
) -> Any:
    listed = _own_requests(request).order_by("-received_at", "-pk")
    count = listed.count()
    shown = list(listed[(page - 1) * PER_PAGE : page * PER_PAGE])
    _read(request, "frontdoor.api.requests", people=tuple(r.person_id for r in shown), page=page)
    return {
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / PER_PAGE)),
        "results": [_summary(r) for r in shown],
    }


def _summary(found: Request) -> dict[str, Any]:
    return {
        "reference": found.reference,
        "status": found.status,
        "status_label": RequestStatus(found.status).label,
        "received_at": found.received_at,
        "needs": list(found.needs),
        "connections": found.connections.count(),
    }


@requests.get(
    "/requests/{reference}",
    response={200: s.RequestOut, **ERRORS},
    summary="One of your referrals: its status, consent and connections",
)
def referral(
    request: HttpRequest,
    reference: str = Path(..., pattern=REFERENCE),  # type: ignore[type-arg]
) -> Any:
    found = _own_request(request, reference, "frontdoor.api.request")
    _read(request, "frontdoor.api.request", people=(found.person_id,), reference=found.reference)
    return _request_out(found)


@requests.post(
    "/requests/{reference}/consents",
    response={201: s.ConsentOut, **ERRORS},
    summary="Record consent the person gave you",
)
def add_consent(
    request: HttpRequest,
    response: HttpResponse,
    payload: s.ConsentIn,
    reference: str = Path(..., pattern=REFERENCE),  # type: ignore[type-arg]
    idempotency_key: str | None = Header(  # type: ignore[type-arg]
        None, alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY
    ),
) -> Any:
    found = _own_request(request, reference, "frontdoor.consent")
    asked = _asked(payload)

    def act() -> idempotency.Answer:
        if problems := _consent_problems(asked):
            raise InvalidFields(problems)
        return _json(s.ConsentOut, 201, _consent_out(record_consent(_actor(request), found, asked)))

    body = payload.model_dump(mode="json")
    org = _partner(request).organisation
    return _replayable(response, idempotency.once(org, idempotency_key, request.path, body, act))


# --- connections to the key's organisation ---------------------------------------------------


def _incoming(request: HttpRequest) -> QuerySet[Connection]:
    return Connection.objects.filter(organisation=_partner(request).organisation).select_related(
        "service", "request"
    )


def _own_connection(request: HttpRequest, connection_id: int, action: str) -> Connection:
    found = _incoming(request).filter(pk=connection_id).first()
    if found is None:
        raise _missing(request, action, NO_SUCH_CONNECTION, connection=connection_id)
    return found


def _connection_out(connection: Connection) -> dict[str, Any]:
    """A connection as its provider sees it: only `shared` (what consent covered when it was
    sent) and the message, never the request itself."""
    return {
        "id": connection.pk,
        "service": {"id": connection.service.pk, "name": connection.service.name},
        "sent_at": connection.sent_at,
        "answer_due": connection.answer_due,
        "status": connection.status,
        "status_label": connection.get_status_display(),
        "decline_reason": connection.decline_reason,
        "helped": connection.helped,
        "answered_at": connection.answered_at,
        "message": connection.message,
        "shared": dict(connection.shared),
    }


@connections.get(
    "/connections",
    response={200: s.ConnectionPage, **ERRORS},
    summary="Connections sent to your organisation, oldest answer due first",
)
def incoming(
    request: HttpRequest,
    status: ConnectionStatus | None = None,
    page: int = Query(1, ge=1, le=MAX_PAGE),  # type: ignore[type-arg]
) -> Any:
    listed = _incoming(request).order_by("answer_due", "pk")
    if status is not None:
        listed = listed.filter(status=status)
    count = listed.count()
    shown = list(listed[(page - 1) * PER_PAGE : page * PER_PAGE])
    _read(
        request,
        "frontdoor.api.connections",
        people=tuple(c.request.person_id for c in shown),
        page=page,
        status=status or "",
    )
    return {
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / PER_PAGE)),
        "results": [_connection_out(c) for c in shown],
    }


@connections.get(
    "/connections/{connection_id}",
    response={200: s.ConnectionOut, **ERRORS},
    summary="One connection sent to your organisation",
)
def one_connection(
    request: HttpRequest,
    connection_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> Any:
    found = _own_connection(request, connection_id, "frontdoor.api.connection")
    _read(
        request,
        "frontdoor.api.connection",
        people=(found.request.person_id,),
        connection=found.pk,
    )
    return _connection_out(found)


@connections.post(
    "/connections/{connection_id}/answer",
    response={200: s.ConnectionOut, **ERRORS},
    summary="Answer a connection: accepted, declined (with a reason) or completed",
    description="Sent → accepted or declined; accepted → completed (say whether the person was "
    "helped) or declined. Any other move is a 409. With an Idempotency-Key, a retry gets the "
    "first answer.",
)
def answer(
    request: HttpRequest,
    response: HttpResponse,
    payload: s.AnswerIn,
    connection_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
    idempotency_key: str | None = Header(  # type: ignore[type-arg]
        None, alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY
    ),
) -> Any:
    found = _own_connection(request, connection_id, "frontdoor.connection.answer")
    reply = Reply(
        status=payload.status,
        decline_reason=payload.decline_reason or "",
        helped=payload.helped,
        note=payload.note,
    )

    def act() -> idempotency.Answer:
        with transaction.atomic():
            locked = Connection.objects.select_for_update().get(pk=found.pk)
            _refuse_a_move_that_cannot_be(locked, reply.status)
            # No person answers through the API: `answered_by` stays empty and the audit names
            # the organisation (connecting.answer takes the user the pages have).
            done = answer_connection(_actor(request), None, locked, reply)
        return _json(s.ConnectionOut, 200, _connection_out(done))

    body = payload.model_dump(mode="json")
    org = _partner(request).organisation
    return _replayable(response, idempotency.once(org, idempotency_key, request.path, body, act))


def _refuse_a_move_that_cannot_be(connection: Connection, status: str) -> None:
    """An answer the connection's state does not allow conflicts with what is recorded: 409."""
    allowed = ANSWERS_FROM.get(ConnectionStatus(connection.status), set())
    if status not in allowed:
        now = connection.get_status_display().lower()
        if allowed:
            raise HttpError(409, f"A connection that is {now} cannot be {status}.")
        raise HttpError(409, f"This connection has already been answered ({now}).")


# --- triage, for signed-in staff -------------------------------------------------------------

TRIAGE_ROLES = TAKERS | {Role.DATA_PROTECTION_OFFICER}


@triage.get(
    "/requests/{reference}/triage",
    auth=django_auth,
    response={200: s.TriageOut, **ERRORS},
    summary="The triage rules' suggestion for a request, why, and the decision (staff)",
)
def triage_suggestion(
    request: HttpRequest,
    reference: str = Path(..., pattern=REFERENCE),  # type: ignore[type-arg]
) -> Any:
    from upstream.frontdoor.routing import suggestion_for

    user: User = request.user  # type: ignore[assignment]
    actor = Actor.from_request(request)
    require_role(actor, user, TRIAGE_ROLES, "frontdoor.api.triage", "triage")
    found = Request.objects.filter(reference=reference).first()
    if found is None:
        raise NotFound("No request has this reference.")
    see_request(actor, user, found, action="frontdoor.api.triage")
    suggestion = suggestion_for(found)
    return {
        "reference": found.reference,
        "suggestion": {
            "route": found.suggested_route or suggestion.route,
            "team": found.suggested_team,
            "rule": found.suggested_rule,
            "why": found.suggestion_why,
            "rules_version": found.rules_version,
        },
        "decision": _decision(found),
    }


def _decision(found: Request) -> dict[str, Any] | None:
    if not found.route:
        return None
    return {
        "route": found.route,
        "team": found.team,
        "override_reason": found.override_reason,
        "overridden": found.overridden,
        "triaged_at": found.triaged_at,
    }


# --- mounting --------------------------------------------------------------------------------


def validation_problem(request: HttpRequest, error: ValidationError) -> JsonResponse:
    """django-ninja's own refusal of a value (a schema's limit) as a problem like every other
    error, naming each field as the request sent it (`person.given_name`, `page`)."""
    fields: dict[str, str] = {}
    for item in error.errors:
        where = [str(part) for part in item.get("loc", ())]
        # ninja's location is (source, the operation's argument, field…): a body's argument
        # name is not something the client sent, so it is left out.
        name = ".".join(where[2:] if where[:1] == ["body"] else where[1:]) or "body"
        fields.setdefault(name, str(item.get("msg", "Cannot be used")))
    return problem_json(EdgeProblem(422, "Some values cannot be used.", fields))


def mount(api: Any) -> None:
    """Add the front door's routers to the one API (`api.urls`), at /api/frontdoor/."""
    api.add_router("/frontdoor", requests)
    api.add_router("/frontdoor", connections)
    api.add_router("/frontdoor", triage)
    api.add_exception_handler(ValidationError, validation_problem)
