"""Twins: every page's and every table's JSON and CSV, made one way.

A view builds its page's context and, beside it, what the page shows as data (`data`) and as a
table (`Table`), then calls `respond`. The answer follows what was asked:

- the address names a format (`/people/P1/timeline.csv`, `/caseload.json`): a download, as an
  attachment; JSON is `data` when the view gives it, else `{"table": name, "rows": [...]}`;
- `?format=json` or `?format=csv` on a page: the same, shown in the browser (CSV as a file);
- anything else: the page.

JSON writes dates as ISO 8601 and money as strings with two decimals; CSV goes through
`csv_cells.safe_row`, so no cell runs as a formula in a spreadsheet, and a list in a cell is
its items joined by "; ". Twins of personal data must not be kept by a browser or a proxy, so
every twin says `Cache-Control: no-store`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from upstream.csv_cells import safe_row
from upstream.errors import InvalidFields, NotFound

FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Table:
    """A table as a download: its file name (without the extension), rows and columns."""

    name: str
    rows: Sequence[dict[str, Any]]
    columns: Sequence[str]


Data = Any | Callable[[], Any]  # a callable is only called when the twin is asked for


def respond(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    data: Data = None,
    table: Table | Callable[[], Table] | None = None,
    fmt: str = "",
    name: str = "",
    errors: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The page, or its twin. `fmt` is the format the address names (a download; an unknown
    one is a 404); `name` names a JSON download of `data` (a table's name otherwise); `data`,
    `table` and `context` may be callables, called only for the answer that needs them. With
    `errors` (fields the request's values cannot be used for) the page answers 400 and shows
    them; a twin is refused with them (400), never answered as if they were not there."""
    if fmt:
        return download(fmt, data=data, table=table, name=name, errors=errors)
    asked = request.GET.get("format", "")
    if asked == "json" and (data is not None or table is not None):
        _checked(errors)
        return json_response(_data(data) if data is not None else _table_json(_table(table)))
    if asked == "csv" and table is not None:
        _checked(errors)
        return csv_response(_table(table))
    page = context() if callable(context) else context  # not built for a twin
    return render(request, template, page, status=400 if errors else 200)


def _checked(errors: Mapping[str, str] | None) -> None:
    if errors:
        raise InvalidFields(dict(errors))


def download(
    fmt: str,
    *,
    data: Data = None,
    table: Table | Callable[[], Table] | None = None,
    name: str = "",
    errors: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A download in the format the address names: `data` or the table as JSON, the table as
    CSV; refused (400) with the request's `errors`."""
    _checked(errors)
    if fmt == "json" and data is not None:
        return json_response(_data(data), filename=f"{name}.json")
    if fmt in FORMATS and table is not None:
        shown = _table(table)
        if fmt == "json":
            return json_response(_table_json(shown), filename=f"{shown.name}.json")
        return csv_response(shown)
    raise NotFound("There is no download in this format")


def json_response(value: Any, *, filename: str = "") -> HttpResponse:
    response = JsonResponse(plain(value), safe=False)
    return _twin(response, filename)


def csv_response(table: Table) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table.columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(safe_row(csv_row(row)) for row in table.rows)  # no formulas run
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _twin(response, f"{table.name}.csv")


def _twin(response: HttpResponse, filename: str) -> HttpResponse:
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _data(data: Data) -> Any:
    return data() if callable(data) else data


def _table(table: Table | Callable[[], Table] | None) -> Table:
    assert table is not None
    return table() if callable(table) else table


def _table_json(table: Table) -> dict[str, Any]:
    return {"table": table.name, "rows": list(table.rows)}


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row as CSV cells: values as JSON shows them, lists joined by "; "."""
    cells = plain(row)
    return {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in cells.items()}


def plain(value: Any) -> Any:
    """A value as JSON and CSV show it: dates ISO, money as a string with two decimals."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def rows_of(items: Iterable[Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of these columns from objects' attributes (a story's dataclasses)."""
    return [{c: plain(getattr(item, c)) for c in columns} for item in items]
