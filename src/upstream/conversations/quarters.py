"""Calendar quarters as reports name them ("2025Q4": 1 October to 31 December 2025). Pure, so
a command can refuse a bad quarter before it sets up the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from upstream.errors import InputError

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    label: str
    start: date
    end: date


def quarter(text: str) -> Quarter:
    """A calendar quarter, e.g. "2025Q4"; refused naming --quarter otherwise."""
    match = QUARTER.match(text.strip().upper())
    if not match:
        raise InputError(f"{text!r} is not a quarter like 2025Q4", where="--quarter")
    year, number = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * number - 2, 1)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Quarter(f"{year}Q{number}", start, following - timedelta(days=1))
