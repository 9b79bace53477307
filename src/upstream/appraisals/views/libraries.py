"""The what-works library and the unit-cost library: searchable lists with CSV and JSON twins
(the twins hold every row the search finds, not only the page shown)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict

from upstream.appraisals import libraries
from upstream.appraisals.access import LIBRARY_READERS, require
from upstream.economics import packs
from upstream.edge.twins import Table, respond
from upstream.errors import NotFound

PROGRAMMES_PER_PAGE = 20
UNIT_COSTS_PER_PAGE = 50
MAX_QUERY = 200  # characters of a search: more is not a search


def _text(params: QueryDict, key: str) -> str:
    return params.get(key, "").strip()[:MAX_QUERY]


def _choice(
    params: QueryDict, key: str, allowed: set[str], label: str, errors: dict[str, str]
) -> str:
    value = _text(params, key)
    if value and value not in allowed:
        errors[key] = f"Choose {label} from the list"
        return ""
    return value


def pages_links(params: QueryDict, page: libraries.Page) -> dict[str, Any]:
    def link(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "number": page.number,
        "total": page.total_pages,
        "previous": link(page.number - 1) if page.number > 1 else "",
        "next": link(page.number + 1) if page.number < page.total_pages else "",
    }


def _twin_query(params: QueryDict, fmt: str) -> str:
    query = params.copy()
    query.pop("page", None)
    query["format"] = fmt
    return "?" + query.urlencode()


@login_required
def what_works(request: HttpRequest) -> HttpResponse:
    require(request, LIBRARY_READERS)
    errors: dict[str, str] = {}
    query = _text(request.GET, "q")
    level = _choice(
        request.GET, "level", set(libraries.EVIDENCE_LEVELS), "a level of evidence", errors
    )
    found = libraries.find_programmes(query, level)
    table = Table("what-works", [p.row() for p in found], libraries.PROGRAMME_COLUMNS)

    def context() -> dict[str, Any]:
        page = libraries.page_of(found, request.GET.get("page", "1"), PROGRAMMES_PER_PAGE)
        return {
            "page": page,
            "pages": pages_links(request.GET, page),
            "query": query,
            "level": level,
            "levels": libraries.EVIDENCE_LEVELS.items(),
            "errors": errors,
            "csv": _twin_query(request.GET, "csv"),
            "json": _twin_query(request.GET, "json"),
        }

    return respond(request, "appraisals/what_works.html", context, table=table, errors=errors)


@login_required
def what_works_entry(request: HttpRequest, entry_id: str) -> HttpResponse:
    require(request, LIBRARY_READERS)
    entry = libraries.programme(entry_id)
    if entry is None:
        raise NotFound("There is no what-works entry with this ID.")
    return respond(
        request, "appraisals/what_works_entry.html", {"entry": entry}, data={"entry": entry}
    )


@login_required
def unit_costs(request: HttpRequest) -> HttpResponse:
    require(request, LIBRARY_READERS)
    errors: dict[str, str] = {}
    query = _text(request.GET, "q")
    category = _choice(
        request.GET, "category", set(libraries.unit_cost_categories()), "a category", errors
    )
    agencies = libraries.unit_cost_agencies()
    agency = _choice(request.GET, "agency", {a for a, _ in agencies}, "who pays", errors)
    found = libraries.find_unit_costs(query, category, agency)
    table = Table(
        "unit-costs", [libraries.unit_cost_row(c) for c in found], libraries.UNIT_COST_COLUMNS
    )

    def context() -> dict[str, Any]:
        page = libraries.page_of(found, request.GET.get("page", "1"), UNIT_COSTS_PER_PAGE)
        return {
            "page": page,
            "pages": pages_links(request.GET, page),
            "query": query,
            "category": category,
            "categories": libraries.unit_cost_categories(),
            "agency": agency,
            "agencies": agencies,
            "errors": errors,
            "csv": _twin_query(request.GET, "csv"),
            "json": _twin_query(request.GET, "json"),
            "pack": packs.MANIFEST["unit_costs"],
        }

    return respond(request, "appraisals/unit_costs.html", context, table=table, errors=errors)
