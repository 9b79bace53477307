"""Error pages: GOV.UK pages for people, JSON for the APIs and JSON downloads.

Django's own answers for 400, 403 (and a refused CSRF token), 404 and 500 are bare pages
without the site's header, navigation or a way on; these handlers answer in the service's
pattern instead (https://design-system.service.gov.uk/patterns/page-not-found-pages/ and
.../problem-with-the-service-pages/). They never show the exception's details, except the
sentence a view wrote for the person (the message of PermissionDenied or BadRequest).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from upstream import errors

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
}
CSRF_MESSAGE = (
    "Your form could not be sent because it did not come from an Upstream page, or the page "
    "was open too long. Go back, reload the page and try again."
)


def wants_json(request: HttpRequest) -> bool:
    return errors.wants_json(request.path, request.GET.get("format", ""))


def error_response(
    request: HttpRequest | None, status: int, message: str = "", *, json: bool = False
) -> HttpResponse:
    title, default = PAGES[status]
    if json:
        return JsonResponse({"detail": message or title}, status=status)
    # Rendered without the request's context processors for a 500 (the fault may be in them),
    # with them otherwise so the header and navigation show who is signed in.
    template = loader.get_template("error.html")
    context = {"title": title, "message": message or default, "status": status}
    body = template.render(context, request if status != 500 else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A view's BadRequest says what to do; Django's own (SuspiciousOperation) stay generic.
    message = str(exception) if type(exception) is BadRequest else ""
    return error_response(request, 400, message, json=wants_json(request))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) else ""
    return error_response(request, 403, message, json=wants_json(request))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, 404, json=wants_json(request))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, json=wants_json(request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without this site's CSRF token (a forged or stale form)."""
    return error_response(request, 403, CSRF_MESSAGE, json=wants_json(request))
