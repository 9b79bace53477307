"""Text as views read it: without NUL characters.

PostgreSQL refuses a NUL in text, so a search, a sign-in or a form holding one was a 500 there
(found by tests/web/test_every_route.py), and "adm\\x00in" is the same guess at "admin". One
middleware takes them out of every query and form value before any view or middleware after it
reads them, and `without_nul` does the same for a JSON body (the API's parser). IDs in the
address are not touched: they are checked against the ID rule and are a 404 when they could not
be one.

The Open Referral API (/directory/api/) is left as it is: it refuses a NUL with a 400 naming the
parameter (`directory.api.json_api`), as it answers every parameter it cannot use. The audit log removes NULs
from what it stores too, for entries written by batch jobs rather than requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"
REFUSES_NUL = ("/directory/api/",)
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# The APIs read their bodies themselves (django-ninja parses JSON; see `without_nul`): parsing a
# form here would read the stream before they could. Pages' forms are read before any view
# anyway (the CSRF check reads the token from them).
API = "/api/"


def without_nul(value: Any) -> Any:
    """NUL characters removed from every string in JSON-shaped data (keys too)."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(str(k)): without_nul(v) for k, v in value.items()}
    return value


def _cleaned(params: QueryDict) -> QueryDict | None:
    """A copy without NULs, or None when no key or value holds one (the usual case: one pass)."""
    if not any(NUL in key or any(NUL in v for v in values) for key, values in params.lists()):
        return None
    cleaned = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        cleaned.setlist(without_nul(key), [without_nul(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _clean(request: HttpRequest) -> None:
    if (query := _cleaned(request.GET)) is not None:
        request.GET = query  # type: ignore[assignment]  # immutable, as Django's own
    is_form = request.method == "POST" and request.content_type in FORMS
    is_form = is_form and not request.path.startswith(API)
    if is_form and (form := _cleaned(request.POST)) is not None:
        request.POST = form  # type: ignore[assignment]


def nul_free_input(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: every query and form value without NUL characters."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(REFUSES_NUL):
            _clean(request)
        return get_response(request)

    return middleware
