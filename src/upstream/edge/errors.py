"""Errors as pages and problems: the one place a request's failure becomes an answer.

Views and services raise domain errors (`upstream.errors`) or Django's own; nothing catches
them on the way. Here each becomes a GOV.UK page in the service's pattern (the header, the
navigation, a way on: https://design-system.service.gov.uk/patterns/page-not-found-pages/ and
.../problem-with-the-service-pages/) or, for the APIs, `.json` downloads and `?format=json`
twins, a JSON problem (RFC 9457, `application/problem+json`: type, title, status, detail; the
`detail` key is the one API clients have always read). Django's bare "Not Found" and "403
Forbidden" are never served.

| error | status |
|---|---|
| InputError (InvalidFields names each field), BadRequest, SuspiciousOperation | 400 |
| Denied (audited where raised), PermissionDenied, a refused CSRF token | 403 |
| NotFound, Http404, Moved where it cannot be followed (the APIs) | 404 |
| anything else (a fault: Django logs it) | 500 |
| AuditUnavailableError | 503 |

Moved is followed: the same page for the person's new ID. Pages never show an exception's
details, only the sentence written for the person (a domain error's message, or the message
of PermissionDenied or BadRequest). Apps register their own page for an error they know more
about (`page_for`): casework's refusal page offers to record a reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse

from upstream import errors
from upstream.errors import (
    AuditUnavailableError,
    Denied,
    InputError,
    InvalidFields,
    Moved,
    NotFound,
    UpstreamError,
)

log = logging.getLogger("upstream.audit")

PAGES = {
    400: (
        "Sorry, there is a problem with your request",
        "Upstream could not understand what was sent. Go back, check what you entered and try again.",
    ),
    403: ("You cannot see this page", "Your role does not include this page."),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, "
        "check you copied the entire address.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. What you were doing has not been saved.",
    ),
    503: (
        "Sorry, the audit log is unavailable",
        "The audit log is unavailable, so Upstream cannot show or change anyone's records now.",
    ),
}
TEMPLATES = {503: "edge/audit_unavailable.html"}
CSRF_MESSAGE = (
    "Your form could not be sent because it did not come from an Upstream page, or the page "
    "was open too long. Go back, reload the page and try again."
)


@dataclass(frozen=True)
class Problem:
    """What went wrong, as the answer says it: a status and the sentence for the person ("" for
    the page's own), with a message for each field that cannot be used."""

    status: int
    detail: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return PAGES[self.status][0] if self.status in PAGES else HTTPStatus(self.status).phrase

    @property
    def message(self) -> str:
        return self.detail or (PAGES[self.status][1] if self.status in PAGES else self.title)


def problem_for(error: BaseException) -> Problem | None:
    """The problem an error is, or None for one the edge does not know (a fault)."""
    if isinstance(error, Denied):
        return Problem(403, error.message)
    if isinstance(error, NotFound | Moved):
        return Problem(404, error.message)
    if isinstance(error, InvalidFields):
        return Problem(400, error.message, error.fields)
    if isinstance(error, InputError):
        return Problem(400, error.one_line())
    if isinstance(error, AuditUnavailableError):
        return Problem(503, PAGES[503][1])
    return _django_problem(error)


def _django_problem(error: BaseException) -> Problem | None:
    if isinstance(error, Http404):
        return Problem(404)  # its text may be the resolver's list of patterns: never shown
    if isinstance(error, PermissionDenied):
        return Problem(403, str(error))
    if type(error) is BadRequest:  # a view's sentence; Django's own stay generic
        return Problem(400, str(error))
    if isinstance(error, BadRequest | SuspiciousOperation):
        return Problem(400)
    return None


def wants_json(request: HttpRequest) -> bool:
    return errors.wants_json(request.path, request.GET.get("format", ""))


def answer(request: HttpRequest, problem: Problem) -> HttpResponse:
    """The problem as JSON for a JSON request, else as a GOV.UK page."""
    return problem_json(problem) if wants_json(request) else problem_page(request, problem)


def problem_json(problem: Problem, status: int | None = None) -> JsonResponse:
    """RFC 9457 problem details. `type` is about:blank, so `title` is the HTTP status phrase;
    `detail` is what the page would say; `errors` names each field that cannot be used."""
    status = status or problem.status
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": problem.detail or problem.title,
    }
    if problem.fields:
        body["errors"] = dict(problem.fields)
    return JsonResponse(body, status=status, content_type="application/problem+json")


def problem_page(request: HttpRequest | None, problem: Problem) -> HttpResponse:
    # Rendered without the request's context processors for a 500 (the fault may be in them),
    # with them otherwise so the header and navigation show who is signed in.
    template = loader.get_template(TEMPLATES.get(problem.status, "edge/error.html"))
    context = {"title": problem.title, "message": problem.message, "status": problem.status}
    body = template.render(context, request if problem.status != 500 else None)
    return HttpResponse(body, status=problem.status)


# Pages apps give an error instead of the plain one, for people (never for JSON).
Page = Callable[[HttpRequest, Any], HttpResponse]
_pages: dict[type[Exception], Page] = {}


def page_for(error_type: type[Exception], page: Page) -> None:
    """Answer this kind of error with an app's own page (registered in the app's `ready`)."""
    _pages[error_type] = page


def respond_to(request: HttpRequest, error: BaseException) -> HttpResponse | None:
    """The answer to an error a view raised, or None for a fault (Django logs it and answers
    with `server_error`)."""
    if isinstance(error, Moved) and (followed := follow(request, error)) is not None:
        return followed
    problem = problem_for(error)
    if problem is None:
        return None
    _note(request, error)
    page = next((p for kind, p in _pages.items() if isinstance(error, kind)), None)
    if page is not None and not wants_json(request):
        return page(request, error)
    return answer(request, problem)


def problem_response(
    request: HttpRequest, error: Exception, status: int | None = None
) -> JsonResponse:
    """An API's answer to an error (always JSON; an API does not follow a move, it names the
    new ID). `status` overrides the edge's, where an API has documented another."""
    problem = problem_for(error) or Problem(500)
    _note(request, error)
    return problem_json(problem, status)


def _note(request: HttpRequest, error: BaseException) -> None:
    if isinstance(error, AuditUnavailableError):
        # Nothing that must be audited happens; the operators must look (docs/access-and-audit.md).
        log.error("audit write refused for %s: %s", request.path, error.one_line())


def follow(request: HttpRequest, moved: Moved) -> HttpResponse | None:
    """The same page (or download) for the person's new ID, with the same query; None where
    the address does not name a person, and for the APIs."""
    match = getattr(request, "resolver_match", None)
    if match is None or "person_id" not in match.kwargs or request.path.startswith("/api/"):
        return None
    try:
        url = reverse(match.view_name, kwargs={**match.kwargs, "person_id": moved.person_id})
    except NoReverseMatch:
        return None
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


class ErrorMiddleware:
    """Turns the domain errors any view raises into pages or problems. Django's own errors
    (Http404, PermissionDenied, BadRequest, SuspiciousOperation) and faults go on to Django,
    which logs them and calls the handlers below (web/urls.py names them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UpstreamError):
            return respond_to(request, exception)
        return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return answer(request, problem_for(exception) or Problem(400))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return answer(request, problem_for(exception) or Problem(403))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return answer(request, Problem(404))


def server_error(request: HttpRequest) -> HttpResponse:
    return answer(request, Problem(500))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without this site's CSRF token (a forged or stale form)."""
    return answer(request, Problem(403, CSRF_MESSAGE))
