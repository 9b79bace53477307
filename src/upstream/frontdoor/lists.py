"""Work queues as lists people can sort and page through (MoJ case-list pattern: sortable
column headers, GOV.UK pagination), with CSV/JSON downloads of the whole sorted list.

Sorting is done by the server through links in the column headers, so it works without
JavaScript and a sorted list can be bookmarked; `aria-sort` says which column is sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict

PER_PAGE = 25


@dataclass(frozen=True)
class Column:
    key: str  # the row's key, and the sort's name in the address
    label: str
    order_by: str = ""  # the queryset field it sorts by ("" = not sortable)


@dataclass
class Header:
    label: str
    link: str
    sort: str  # "ascending", "descending" or "none" (aria-sort)


@dataclass
class ListPage:
    rows: list[dict[str, Any]]
    headers: list[Header]
    number: int
    total_pages: int
    count: int
    previous: str
    next: str
    params: str  # the address's sort and filters, for the downloads

    @property
    def pages(self) -> dict[str, Any]:
        return {
            "total": self.total_pages,
            "number": self.number,
            "previous": self.previous,
            "next": self.next,
        }


def _link(params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    for name, value in changes.items():
        query[name] = str(value)
    return "?" + query.urlencode()


def sorted_rows(
    queryset: QuerySet[Any], columns: Sequence[Column], params: QueryDict, default: str
) -> tuple[QuerySet[Any], str, bool]:
    """The queryset in the order the address asks (`sort=key`, `order=asc|desc`)."""
    sortable = {c.key: c.order_by for c in columns if c.order_by}
    key = params.get("sort", "")
    key = key if key in sortable else default
    descending = params.get("order", "asc") == "desc"
    field = sortable[key]
    return queryset.order_by(("-" if descending else "") + field, "pk"), key, descending


def list_page(
    queryset: QuerySet[Any],
    columns: Sequence[Column],
    params: QueryDict,
    row: Callable[[Any], dict[str, Any]],
    *,
    default: str,
) -> ListPage:
    ordered, key, descending = sorted_rows(queryset, columns, params, default)
    paginator = Paginator(ordered, PER_PAGE)
    page = paginator.get_page(params.get("page"))
    headers = [_header(c, params, key, descending) for c in columns]
    return ListPage(
        rows=[_cells(row(item), columns) for item in page.object_list],
        headers=headers,
        number=page.number,
        total_pages=paginator.num_pages,
        count=paginator.count,
        previous=_link(params, page=page.number - 1) if page.has_previous() else "",
        next=_link(params, page=page.number + 1) if page.has_next() else "",
        params=_link(params, page=1)[1:],
    )


def _cells(values: dict[str, Any], columns: Sequence[Column]) -> dict[str, Any]:
    return {"cells": [values.get(c.key, "") for c in columns], "link": values.get("link", "")}


def _header(column: Column, params: QueryDict, key: str, descending: bool) -> Header:
    if not column.order_by:
        return Header(column.label, "", "")
    if column.key == key:
        state = "descending" if descending else "ascending"
        flip = "asc" if descending else "desc"
        return Header(column.label, _link(params, sort=column.key, order=flip, page=1), state)
    return Header(column.label, _link(params, sort=column.key, order="asc", page=1), "none")


def all_rows(
    queryset: QuerySet[Any],
    columns: Sequence[Column],
    params: QueryDict,
    row: Callable[[Any], dict[str, Any]],
    *,
    default: str,
) -> list[dict[str, Any]]:
    """Every row, sorted as the page is (the downloads)."""
    ordered, _, _ = sorted_rows(queryset, columns, params, default)
    wanted = [c.key for c in columns]
    return [
        {k: v for k, v in row(item).items() if k in wanted}
        for item in ordered.iterator(chunk_size=500)
    ]
