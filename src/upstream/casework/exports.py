"""Every table a person sees, as CSV or JSON: the same rows, the same columns."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, JsonResponse

from upstream.csv_cells import safe_row

FORMATS = ("csv", "json")


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


def rows_of(items: Iterable[Any], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{c: plain(getattr(item, c)) for c in columns} for item in items]


def table_response(
    name: str, fmt: str, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> HttpResponse:
    if fmt == "json":
        response: HttpResponse = JsonResponse({"table": name, "rows": rows})
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(safe_row(row) for row in rows)  # no formulas run in a spreadsheet
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def dumps(value: Any) -> str:
    return json.dumps(plain(value))
