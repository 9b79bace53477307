"""API operations: each one calls the same services as its page, so access and audit match.

No operation catches a domain error: `build_api` registers the web edge's answer for each
(`edge.errors.problem_response`), so a refusal, a missing record or a moved ID is the same RFC
9457 problem here as in a page's JSON twin.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import django_auth
from ninja.types import DictStrAny

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.api import schemas as s
from upstream.casework import services
from upstream.casework.search import Query as SearchQuery
from upstream.casework.story import Period
from upstream.casework.subject_access import subject_access_report
from upstream.casework.tables import household_json, person_json
from upstream.edge.errors import Problem, problem_json, problem_response
from upstream.edge.inputs import without_nul
from upstream.errors import (
    AuditUnavailableError,
    Denied,
    InputError,
    InvalidFields,
    Moved,
    NotFound,
)
from upstream.governance import reasons as recorded_reasons
from upstream.governance.access import require_dpo
from upstream.governance.audit import Actor, Event, record, verify
from upstream.governance.models import RecordedReason
from upstream.governance.register import dataset_rows
from upstream.governance.services import (
    AuditSearch,
    entry_row,
    person_id_error,
    search_audit,
)

MAX_ID = 2**53 - 1  # row IDs fit a signed 64-bit column and a JSON number
ERRORS: dict[int, Any] = {
    400: s.Problem,
    401: s.Problem,
    403: s.Problem,
    404: s.Problem,
    422: s.Problem,
}

people = Router(tags=["people"])
households = Router(tags=["households"])
caseload = Router(tags=["caseload"])
governance = Router(tags=["governance"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _check_id(value: str) -> str:
    """The same rule for an ID in the address as the pages' (governance.services.PERSON_ID)."""
    if not value or person_id_error(value):
        raise NotFound("No record has this ID")
    return value


@people.get("", response={200: list[s.ResultOut], **ERRORS}, summary="Find a person")
def find_people(
    request: HttpRequest,
    name: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
    identifier: str = "",
) -> Any:
    query = SearchQuery(
        name.strip()[:200], date_of_birth, postcode.strip()[:10], identifier.strip()[:80]
    )
    if query.is_empty:
        raise InputError("Give a name, date of birth, postcode or identifier")
    results = services.search_people(_actor(request), _user(request), query)
    return [r.__dict__ for r in results]


@people.get("/{person_id}", response={200: s.PersonOut, **ERRORS}, summary="A person's story")
def person(request: HttpRequest, person_id: str, filters: Query[s.PeriodIn]) -> Any:
    period = Period(filters.agency.strip()[:40], filters.start, filters.end)
    story = services.view_person(
        _actor(request), _user(request), _check_id(person_id), period, view="api person"
    )
    data = person_json(story)
    data["household_members"] = data.pop("household-members")
    return data


@people.post(
    "/{person_id}/reasons",
    response={201: s.ReasonOut, **ERRORS},
    summary="Record why you need to see a person's record",
)
def record_reason(request: HttpRequest, person_id: str, body: s.ReasonIn) -> Any:
    grant = services.record_access_reason(
        _actor(request),
        _user(request),
        _check_id(person_id),
        body.purpose.strip(),
        body.reason.strip(),
    )
    return Status(201, _reason_out(grant))


def _reason_out(grant: RecordedReason) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "person": grant.person,
        "purpose": grant.purpose,
        "reason": grant.reason,
        "expires_at": grant.expires_at.isoformat(),
        "review": grant.review,
    }


@households.get(
    "/{household_id}", response={200: s.HouseholdOut, **ERRORS}, summary="A household's story"
)
def household(request: HttpRequest, household_id: str, filters: Query[s.PeriodIn]) -> Any:
    period = Period(filters.agency.strip()[:40], filters.start, filters.end)
    story = services.view_household(
        _actor(request), _user(request), _check_id(household_id), period, view="api household"
    )
    return household_json(story)


@caseload.get(
    "", response={200: list[s.CaseloadOut], **ERRORS}, summary="Your caseload, and your team's"
)
def my_caseload(request: HttpRequest) -> Any:
    return services.view_caseload(_actor(request), _user(request), view="api")


@caseload.post(
    "/allocations",
    response={201: s.CaseloadOut, **ERRORS},
    summary="Allocate a person to your team",
)
def allocate(request: HttpRequest, body: s.AllocationIn) -> Any:
    user = _user(request)
    allocation = services.allocate(
        _actor(request), user, body.person_id.strip()[:16], body.worker.strip()[:150]
    )
    row = next(r for r in services.caseload_rows(user) if r["allocation"] == allocation.pk)
    return Status(201, row)


@caseload.post(
    "/allocations/{allocation_id}/end",
    response={200: s.Message, **ERRORS},
    summary="End an allocation (team managers)",
)
def end_allocation(request: HttpRequest, allocation_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:  # type: ignore[type-arg]
    services.end_allocation(_actor(request), _user(request), allocation_id)
    return {"detail": "Allocation ended"}


def _require_dpo(request: HttpRequest, action: str) -> None:
    require_dpo(_actor(request), _user(request), action)


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
        person.strip()[:64],
        actor.strip()[:150],
        action.strip()[:40],
        outcome.strip()[:10],
        start,
        end,
    )
    if errors := search.errors():
        raise InvalidFields(errors)
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
    _, report = subject_access_report(
        _actor(request),
        _user(request),
        _check_id(person_id),
        view="api subject-access report",
        fmt="api",
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
    return [_reason_out(r) for r in waiting]


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
    _require_dpo(request, "review-reason")
    grant = RecordedReason.objects.filter(pk=reason_id).first()
    if grant is None:
        raise NotFound("No recorded reason has this ID")
    recorded_reasons.review_reason(
        _actor(request), _user(request), grant, body.outcome.strip(), body.note.strip()
    )
    return _reason_out(grant)


@governance.get(
    "/datasets", response={200: list[s.DatasetOut], **ERRORS}, summary="The dataset register"
)
def datasets(request: HttpRequest) -> Any:
    if _user(request).role_enum == Role.CITIZEN:
        raise PermissionDenied("The dataset register is for staff.")
    return dataset_rows()


class NulFreeParser(Parser):
    """JSON bodies without NUL characters, as the edge makes every query and form value
    (`edge.inputs`): PostgreSQL refuses them."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        parsed: DictStrAny = without_nul(super().parse_body(request))
        return parsed


# The API's statuses where they differ from the pages': a value that cannot be used is 422
# (as the OpenAPI document has always said); several search fields at once stay 400.
API_STATUS: dict[type[Exception], int] = {InputError: 422}


def _problem(request: HttpRequest, error: Any) -> HttpResponse:
    status = next((v for k, v in API_STATUS.items() if type(error) is k), None)
    return problem_response(request, error, status)


def _http_error(request: HttpRequest, error: Any) -> HttpResponse:
    """django-ninja's own errors (401 before signing in, 405…) in the same problem shape."""
    return problem_json(Problem(error.status_code, str(error.message)))


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Upstream casework API",
        version="1",
        description="The JSON twin of every casework and governance page: same permissions, same audit log. Sign in first (session cookie); unsafe methods need the CSRF token. Errors are RFC 9457 problem details (application/problem+json).",
        auth=django_auth,
        docs_url=None,  # the Swagger page needs inline script, which our CSP refuses; use /api/openapi.json
        urls_namespace="api",
        parser=NulFreeParser(),
    )
    for error in (
        Denied,
        NotFound,
        Moved,
        InputError,
        InvalidFields,
        AuditUnavailableError,
        PermissionDenied,
        Http404,
    ):
        api.add_exception_handler(error, _problem)
    api.add_exception_handler(HttpError, _http_error)
    api.add_router("/people", people)
    api.add_router("/households", households)
    api.add_router("/caseload", caseload)
    api.add_router("/governance", governance)
    return api
