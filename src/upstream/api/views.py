"""API operations: each one calls the same services as its page, so access and audit match."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.api import schemas as s
from upstream.casework import services
from upstream.casework.search import Query as SearchQuery
from upstream.casework.story import Period
from upstream.casework.subject_access import subject_access_report
from upstream.casework.tables import household_json, person_json
from upstream.errors import Denied, InputError, Moved, NotFound
from upstream.governance import reasons as recorded_reasons
from upstream.governance.access import require_dpo
from upstream.governance.audit import Actor, Event, record, verify
from upstream.governance.models import Dataset
from upstream.governance.services import (
    AuditSearch,
    entry_row,
    person_id_error,
    search_audit,
)

MAX_ID = 2**53 - 1  # row IDs fit a signed 64-bit column and a JSON number
ERRORS: dict[int, Any] = {401: s.Problem, 403: s.Problem, 404: s.Problem, 422: s.Problem}

people = Router(tags=["people"])
households = Router(tags=["households"])
caseload = Router(tags=["caseload"])
governance = Router(tags=["governance"])


def clean(text: str) -> str:
    """Query text as we store and search it: no NUL characters (PostgreSQL refuses them)."""
    return text.replace("\x00", "").strip()


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _check_id(value: str) -> str:
    """The same rule for an ID in the address as the pages' (governance.services.PERSON_ID)."""
    if not value or person_id_error(value):
        raise HttpError(404, "No record has this ID")
    return value


def _story_or_error(call: Any) -> Any:
    try:
        return call()
    except Denied as denial:
        raise HttpError(403, denial.message) from None
    except NotFound:
        raise HttpError(404, "No record has this ID") from None
    except Moved as moved:
        raise HttpError(404, f"This person's ID is now {moved.person_id}") from None


@people.get("", response={200: list[s.ResultOut], **ERRORS}, summary="Find a person")
def find_people(
    request: HttpRequest,
    name: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
    identifier: str = "",
) -> Any:
    query = SearchQuery(
        clean(name)[:200], date_of_birth, clean(postcode)[:10], clean(identifier)[:80]
    )
    if query.is_empty:
        raise HttpError(422, "Give a name, date of birth, postcode or identifier")
    try:
        results = _story_or_error(
            lambda: services.search_people(_actor(request), _user(request), query)
        )
    except InputError as error:
        raise HttpError(422, error.one_line()) from None
    return [r.__dict__ for r in results]


@people.get("/{person_id}", response={200: s.PersonOut, **ERRORS}, summary="A person's story")
def person(request: HttpRequest, person_id: str, filters: Query[s.PeriodIn]) -> Any:
    period = Period(clean(filters.agency)[:40], filters.start, filters.end)
    story = _story_or_error(
        lambda: services.view_person(
            _actor(request), _user(request), _check_id(person_id), period, view="api person"
        )
    )
    data = person_json(story)
    data["costs"] = data.pop("costs")
    data["household_members"] = data.pop("household-members")
    return data


@people.post(
    "/{person_id}/reasons",
    response={201: s.ReasonOut, **ERRORS},
    summary="Record why you need to see a person's record",
)
def record_reason(request: HttpRequest, person_id: str, body: s.ReasonIn) -> Any:
    user = _user(request)
    _check_id(person_id)
    try:
        grant = services.record_access_reason(
            _actor(request), user, person_id, clean(body.purpose), clean(body.reason)
        )
    except Denied as denial:
        raise HttpError(403, denial.message) from None
    except InputError as error:
        raise HttpError(422, error.one_line()) from None
    return Status(
        201,
        {
            "id": grant.pk,
            "person": grant.person,
            "purpose": grant.purpose,
            "reason": grant.reason,
            "expires_at": grant.expires_at.isoformat(),
            "review": grant.review,
        },
    )


@households.get(
    "/{household_id}", response={200: s.HouseholdOut, **ERRORS}, summary="A household's story"
)
def household(request: HttpRequest, household_id: str, filters: Query[s.PeriodIn]) -> Any:
    period = Period(clean(filters.agency)[:40], filters.start, filters.end)
    story = _story_or_error(
        lambda: services.view_household(
            _actor(request), _user(request), _check_id(household_id), period, view="api household"
        )
    )
    return household_json(story)


@caseload.get(
    "", response={200: list[s.CaseloadOut], **ERRORS}, summary="Your caseload, and your team's"
)
def my_caseload(request: HttpRequest) -> Any:
    try:
        return services.view_caseload(_actor(request), _user(request), view="api")
    except Denied as denial:
        raise HttpError(403, denial.message) from None


@caseload.post(
    "/allocations",
    response={201: s.CaseloadOut, **ERRORS},
    summary="Allocate a person to your team",
)
def allocate(request: HttpRequest, body: s.AllocationIn) -> Any:
    user = _user(request)
    try:
        allocation = services.allocate(
            _actor(request), user, clean(body.person_id)[:16], clean(body.worker)[:150]
        )
    except Denied as denial:
        raise HttpError(403, denial.message) from None
    except InputError as error:
        raise HttpError(422, error.one_line()) from None
    row = next(r for r in services.caseload_rows(user) if r["allocation"] == allocation.pk)
    return Status(201, row)


@caseload.post(
    "/allocations/{allocation_id}/end",
    response={200: s.Problem, **ERRORS},
    summary="End an allocation (team managers)",
)
def end_allocation(request: HttpRequest, allocation_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:  # type: ignore[type-arg]
    try:
        services.end_allocation(_actor(request), _user(request), allocation_id)
    except Denied as denial:
        raise HttpError(403, denial.message) from None
    return {"detail": "Allocation ended"}


def _require_dpo(request: HttpRequest, action: str) -> None:
    try:
        require_dpo(_actor(request), _user(request), action)
    except PermissionDenied as refused:
        raise HttpError(403, str(refused)) from None


@governance.get(
    "/audit",
    response={200: list[s.AuditOut], **ERRORS},
    summary="Search the audit log (newest first, at most 500)",
)
def audit_log(
    request: HttpRequest,
    person: str = "",
    actor: str = "",
    action: str = "",
    outcome: str = "",
    start: date | None = None,
    end: date | None = None,
) -> Any:
    _require_dpo(request, "view-audit")
    search = AuditSearch(
        clean(person)[:64], clean(actor)[:150], clean(action)[:40], clean(outcome)[:10], start, end
    )
    if errors := search.errors():
        raise HttpError(400, "; ".join(f"{field}: {text}" for field, text in errors.items()))
    record(
        _actor(request), Event(action="view-audit", person=search.person, detail={"format": "api"})
    )
    return [entry_row(e) for e in search_audit(search)[:500]]


@governance.get(
    "/audit/verify",
    response={200: s.VerifyOut, **ERRORS},
    summary="Verify the audit log's hash chain",
)
def audit_verify(request: HttpRequest) -> Any:
    _require_dpo(request, "verify-audit")
    result = verify()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "head_hash": result.head_hash,
        "broken_at": result.broken_at,
        "problem": result.problem,
    }


@governance.get(
    "/subject-access/{person_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A subject-access report",
)
def subject_access(request: HttpRequest, person_id: str) -> Any:
    _require_dpo(request, "subject-access-report")
    _, report = _story_or_error(
        lambda: subject_access_report(
            _actor(request),
            _user(request),
            _check_id(person_id),
            view="api subject-access report",
            fmt="api",
        )
    )
    return report


@governance.get(
    "/reasons",
    response={200: list[s.ReasonOut], **ERRORS},
    summary="Recorded reasons waiting for review",
)
def reasons(request: HttpRequest) -> Any:
    _require_dpo(request, "view-reasons")
    waiting = list(recorded_reasons.waiting_for_review()[:500])
    record(
        _actor(request),
        Event(
            action="view-reasons",
            people_shown=tuple(r.person for r in waiting),
            detail={"format": "api"},
        ),
    )
    return [
        {
            "id": r.pk,
            "person": r.person,
            "purpose": r.purpose,
            "reason": r.reason,
            "expires_at": r.expires_at.isoformat(),
            "review": r.review,
        }
        for r in waiting
    ]


@governance.post(
    "/reasons/{reason_id}/review",
    response={200: s.ReasonOut, **ERRORS},
    summary="Review a recorded reason (appropriate or inappropriate)",
)
def review_reason(
    request: HttpRequest,
    body: s.ReviewIn,
    reason_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> Any:
    from upstream.governance.models import RecordedReason

    _require_dpo(request, "review-reason")
    grant = RecordedReason.objects.filter(pk=reason_id).first()
    if grant is None:
        raise HttpError(404, "No recorded reason has this ID")
    try:
        recorded_reasons.review_reason(
            _actor(request), _user(request), grant, clean(body.outcome), clean(body.note)
        )
    except InputError as error:
        raise HttpError(422, error.one_line()) from None
    return {
        "id": grant.pk,
        "person": grant.person,
        "purpose": grant.purpose,
        "reason": grant.reason,
        "expires_at": grant.expires_at.isoformat(),
        "review": grant.review,
    }


@governance.get(
    "/datasets", response={200: list[s.DatasetOut], **ERRORS}, summary="The dataset register"
)
def datasets(request: HttpRequest) -> Any:
    if _user(request).role_enum == Role.CITIZEN:
        raise HttpError(403, "The dataset register is for staff.")
    return [
        {
            "code": d.code,
            "name": d.name,
            "description": d.description,
            "controller": d.controller,
            "lawful_basis": d.lawful_basis,
            "permitted_uses": sorted(f"{u.purpose}:{u.role}" for u in d.uses.all()),
        }
        for d in Dataset.objects.prefetch_related("uses")
    ]


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Upstream casework API",
        version="1",
        description="The JSON twin of every casework and governance page: same permissions, same audit log. Sign in first (session cookie); unsafe methods need the CSRF token.",
        auth=django_auth,
        docs_url=None,  # the Swagger page needs inline script, which our CSP refuses; use /api/openapi.json
        urls_namespace="api",
    )
    api.add_router("/people", people)
    api.add_router("/households", households)
    api.add_router("/caseload", caseload)
    api.add_router("/governance", governance)
    return api
