"""The web edge for an audit log that cannot take entries: a clear 503, never a traceback.

Every read and write of personal data is audited first-class, so when the audit log cannot
record (its chain head is missing or was moved back; see audit.AuditUnavailableError) nothing
that must be audited happens: the page says so, the API answers JSON, and the operators' log
says to run `upstream audit verify`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from upstream.errors import wants_json
from upstream.governance.audit import AuditUnavailableError

log = logging.getLogger("upstream.audit")
MESSAGE = "The audit log is unavailable, so Upstream cannot show or change anyone's records now."


def audit_unavailable_response(request: HttpRequest, error: AuditUnavailableError) -> HttpResponse:
    log.error("audit write refused for %s: %s", request.path, error.one_line())
    if wants_json(request.path, request.GET.get("format", "")):
        return JsonResponse({"detail": MESSAGE}, status=503)
    return render(request, "governance/audit_unavailable.html", {"message": MESSAGE}, status=503)


class AuditUnavailableMiddleware:
    """Turns AuditUnavailableError raised by any view into the 503 page or JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AuditUnavailableError):
            return audit_unavailable_response(request, exception)
        return None
