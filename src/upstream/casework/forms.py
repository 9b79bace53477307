"""Reading the pages' query strings and forms into domain values, with errors per field."""

from __future__ import annotations

import re
from datetime import date

from django.http import QueryDict

from upstream.casework.search import Query
from upstream.casework.story import Period


def text(params: QueryDict, name: str, limit: int) -> str:
    """A text field as typed (NUL characters are already gone: `edge.inputs`), trimmed and cut
    to `limit` characters."""
    return params.get(name, "").strip()[:limit]


def parse_date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: enter a real date, for example 2011-03-27") from None


def date_of_birth(params: QueryDict, errors: dict[str, str]) -> date | None:
    parts = [params.get(f"dob_{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return parse_optional(params.get("date_of_birth", ""), "date_of_birth", errors)
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day)
    except (ValueError, OverflowError):  # a year of 99999999999999999999 overflows C's long
        errors["dob_day"] = "Date of birth must be a real date, for example 27 3 2011"
        return None


def parse_optional(text: str, field: str, errors: dict[str, str]) -> date | None:
    try:
        return parse_date(text, field)
    except ValueError as error:
        errors[field] = str(error).split(": ", 1)[1]
        return None


def search_query(params: QueryDict) -> tuple[Query, dict[str, str]]:
    errors: dict[str, str] = {}
    query = Query(
        name=text(params, "name", 200),
        date_of_birth=date_of_birth(params, errors),
        postcode=text(params, "postcode", 10),
        identifier=text(params, "identifier", 80),
    )
    return query, errors


FINANCIAL_YEAR = re.compile(r"^(\d{4})(?:/(\d{2}))?$")


def financial_year_period(text: str) -> tuple[date, date]:
    """'2023/24' (or '2023') → 1 April 2023 to 31 March 2024, the UK financial year; a
    ValueError saying what to enter for anything else, including years no record can have."""
    match = FINANCIAL_YEAR.match(text.strip())
    start = int(match.group(1)) if match else 0
    if not match or not 1900 <= start <= 2199:
        raise ValueError("Choose a financial year from the list, for example 2023/24")
    if match.group(2) and int(match.group(2)) != (start + 1) % 100:
        raise ValueError("A financial year runs from one year into the next, for example 2023/24")
    return date(start, 4, 1), date(start + 1, 3, 31)


def period(params: QueryDict) -> tuple[Period, dict[str, str]]:
    errors: dict[str, str] = {}
    start = parse_optional(params.get("from", ""), "from", errors)
    end = parse_optional(params.get("to", ""), "to", errors)
    year = params.get("year", "").strip()
    if year:
        try:
            start, end = financial_year_period(year)
        except ValueError as error:
            errors["year"] = str(error)
    return Period(agency=text(params, "agency", 40), start=start, end=end), errors
