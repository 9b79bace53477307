"""The Open Referral UK v3 API, at /directory/api/ (paths and parameters from ORUK's
`schema/openapi.json`): `/services`, `/services/{id}`, `/service_at_locations`,
`/service_at_locations/{id}`, `/taxonomies`, `/taxonomies/{id}`, `/taxonomy_terms`,
`/taxonomy_terms/{id}`.

Plain Django views returning JSON: they are small, fast, and their responses are checked
against the ORUK schemas in the tests. Bad parameters get a 400 with the parameter and the
reason; unknown ids a 404. Besides ORUK's filters, `age` (services that take a person of this
age) and `need` (a term code, e.g. "financial-help") are Upstream's own, as on the citizen
page.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import time
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from upstream.directory import oruk, postcodes
from upstream.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from upstream.directory.search import DAY_CODES, MAX_PER_PAGE, SearchResult, ServiceQuery, search
from upstream.errors import InputError

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
DEFAULT_PER_PAGE = 50
DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


def json_api(view: Callable[..., Any]) -> Callable[..., JsonResponse]:
    """GET only; an InputError becomes a 400 naming the parameter."""

    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        for name, values in request.GET.lists():
            # PostgreSQL text cannot hold NUL, so searching for one was a 500.
            if any("\x00" in value for value in values):
                return JsonResponse(
                    {"error": "must not contain NUL characters", "parameter": name}, status=400
                )
        try:
            return JsonResponse(
                view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False}
            )
        except InputError as error:
            return JsonResponse({"error": error.message, "parameter": error.where}, status=400)
        except LookupError as error:
            return JsonResponse({"error": str(error)}, status=404)

    return wrapped


@json_api
def root(request: HttpRequest) -> dict[str, Any]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


@json_api
def services(request: HttpRequest) -> dict[str, Any]:
    result = search(service_query(request.GET))
    # A list item is one-to-one fields and the organisation: no need for the nested records.
    found = _full(
        Service.objects.filter(pk__in=[h.service_id for h in result.hits]).select_related(
            "organization"
        )
    )
    return page(result, [oruk.service_list_item(found[h.service_id]) for h in result.hits])


@json_api
def service(request: HttpRequest, service_id: uuid.UUID) -> dict[str, Any]:
    found = oruk.full_services(Service.objects.filter(pk=service_id)).first()
    if found is None:
        raise LookupError(f"no service with id {service_id}")
    return oruk.service_document(found)


@json_api
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    result = search(service_query(request.GET), by_location=True)
    sals = ServiceAtLocation.objects.filter(
        pk__in=[h.service_at_location_id for h in result.hits]
    ).select_related("location", "service__organization")
    by_id = {sal.pk: sal for sal in sals}
    return page(
        result,
        [
            oruk.service_at_location_list_item(by_id[h.service_at_location_id])
            for h in result.hits
            if h.service_at_location_id in by_id
        ],
    )


@json_api
def service_at_location(request: HttpRequest, sal_id: uuid.UUID) -> dict[str, Any]:
    sal = ServiceAtLocation.objects.filter(pk=sal_id).first()
    if sal is None:
        raise LookupError(f"no service_at_location with id {sal_id}")
    # ORUK's OpenAPI gives a fully nested service for this path.
    found = oruk.full_services(Service.objects.filter(pk=sal.service_id)).get()
    return oruk.service_document(found)


@json_api
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    return listing(request, Taxonomy.objects.order_by("name", "id"), oruk.taxonomy_document)


@json_api
def taxonomy(request: HttpRequest, taxonomy_id: uuid.UUID) -> dict[str, Any]:
    found = Taxonomy.objects.filter(pk=taxonomy_id).first()
    if found is None:
        raise LookupError(f"no taxonomy with id {taxonomy_id}")
    return oruk.taxonomy_document(found)


@json_api
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id")
    if request.GET.get("taxonomy_id"):
        terms = terms.filter(taxonomy_id=_uuid(request.GET["taxonomy_id"], "taxonomy_id"))
    return listing(request, terms, oruk.taxonomy_term_document)


@json_api
def taxonomy_term(request: HttpRequest, term_id: uuid.UUID) -> dict[str, Any]:
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=term_id).first()
    if found is None:
        raise LookupError(f"no taxonomy term with id {term_id}")
    return oruk.taxonomy_term_document(found)


def listing(
    request: HttpRequest, records: QuerySet[Any], to_json: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    number, per_page = _paging(request.GET)
    total = records.count()
    start = (number - 1) * per_page
    # A page past the last is empty, without asking the database for an offset that may not
    # fit its integers (?page=99999999999999999999 was a 500).
    chosen = records[start : start + per_page] if start < total else []
    return envelope([to_json(r) for r in chosen], total, number, per_page)


def page(result: SearchResult, contents: list[dict[str, Any]]) -> dict[str, Any]:
    return envelope(contents, result.total, result.page, result.per_page)


def envelope(
    contents: list[dict[str, Any]], total: int, number: int, per_page: int
) -> dict[str, Any]:
    """ORUK's Page: totals, this page's number and size, first/last/empty flags."""
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _full(services: QuerySet[Service]) -> dict[uuid.UUID, Service]:
    return {s.pk: s for s in services}


def service_query(params: Any) -> ServiceQuery:
    """ORUK's query parameters (and Upstream's `age` and `need`), checked."""
    number, per_page = _paging(params)
    postcode = params.get("postcode", "").strip()
    proximity = _number(params, "proximity")
    if proximity is not None and not postcode:
        raise InputError("proximity needs a postcode", where="proximity")
    if postcode:
        postcodes.point_for(postcode)  # unknown postcodes are a 400, not an empty page
    return ServiceQuery(
        text=params.get("search", "").strip(),
        need=params.get("need", "").strip() or params.get("taxonomy_term_id", "").strip(),
        taxonomy_id=params.get("taxonomy_id", "").strip(),
        age=_whole(params, "age"),
        minimum_age=_number(params, "minimum_age"),
        maximum_age=_number(params, "maximum_age"),
        day=_day(params.get("day", "")),
        start_time=_time(params, "start_time"),
        end_time=_time(params, "end_time"),
        postcode=postcode,
        proximity_m=proximity,
        page=number,
        per_page=per_page,
    )


def _paging(params: Any) -> tuple[int, int]:
    number = _whole(params, "page")
    per_page = _whole(params, "per_page")
    number = 1 if number is None else number
    per_page = DEFAULT_PER_PAGE if per_page is None else per_page
    if number < 1:
        raise InputError("page starts at 1", where="page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"per_page must be 1 to {MAX_PER_PAGE}", where="per_page")
    return number, per_page


def _number(params: Any, name: str) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a number", where=name) from None
    if not math.isfinite(value) or value < 0:
        raise InputError("must be a number, 0 or more", where=name)
    return value


def _whole(params: Any, name: str) -> int | None:
    value = _number(params, name)
    if value is not None and value != int(value):
        raise InputError("must be a whole number", where=name)
    return int(value) if value is not None else None


def _day(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    code = DAY_NAMES.get(value.lower(), value.upper())
    if code not in DAY_CODES:
        raise InputError(f"{raw!r} is not a day (MO…SU or Monday…Sunday)", where="day")
    return code


def _time(params: Any, name: str) -> time | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a time (HH:MM)", where=name) from None


def _uuid(raw: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not an id (a UUID)", where=name) from None
