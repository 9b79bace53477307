"""Opening times as RFC 5545 recurrence parts (ORUK `schedule`), read and said in plain words.

Pure Python. ORUK keeps `freq` (WEEKLY or MONTHLY), `interval`, `byday` ("MO,WE" or, for
monthly, "1SA" = first Saturday, "-1FR" = last Friday) and `opens_at`/`closes_at`. RFC 5545
§3.3.10 (RECUR) defines the day codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
BYDAY_PART = re.compile(r"^([+-]?[0-9])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Opening:
    freq: str
    interval: int | None
    byday: str
    opens_at: time | None
    closes_at: time | None


def day_codes(byday: str) -> set[str]:
    """The weekdays a BYDAY value names, e.g. "1SA,MO" → {"SA", "MO"}; unknown parts ignored."""
    codes = set()
    for part in byday.upper().replace(" ", "").split(","):
        match = BYDAY_PART.match(part)
        if match:
            codes.add(match.group(2))
    return codes


def is_valid_byday(byday: str) -> bool:
    parts = [p for p in byday.upper().replace(" ", "").split(",") if p]
    return all(BYDAY_PART.match(p) for p in parts)


def open_on(opening: Opening, day: str) -> bool:
    return day in day_codes(opening.byday)


def open_at(opening: Opening, at: time) -> bool:
    if opening.opens_at is None or opening.closes_at is None:
        return False
    return opening.opens_at <= at < opening.closes_at


def clock(t: time) -> str:
    """10:00 → "10am", 13:30 → "1:30pm", 12:00 → "midday" (GOV.UK style for times)."""
    if t.hour == 12 and t.minute == 0:
        return "midday"
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def describe(opening: Opening) -> str:
    """One schedule in plain words, e.g. "Saturdays, 10am to 1pm" or "First Saturday of the
    month, 10am to midday"."""
    days = _describe_days(opening)
    if opening.opens_at and opening.closes_at:
        return f"{days}, {clock(opening.opens_at)} to {clock(opening.closes_at)}"
    return days


def _describe_days(opening: Opening) -> str:
    parts = [BYDAY_PART.match(p) for p in opening.byday.upper().replace(" ", "").split(",") if p]
    matched = [m for m in parts if m]
    if not matched:
        return "Ask for times"
    if opening.freq == "MONTHLY" or any(m.group(1) for m in matched):
        text = _join(
            [
                f"{ORDINALS.get(int(m.group(1) or 1), 'every')} {DAYS[m.group(2)]} of the month"
                for m in matched
            ]
        )
        return text[0].upper() + text[1:]
    codes = [m.group(2) for m in matched]
    if codes == ["MO", "TU", "WE", "TH", "FR"]:
        return "Monday to Friday"
    every = "Every other " if (opening.interval or 1) == 2 else ""
    names = [DAYS[c] + ("" if every else "s") for c in codes]
    return every + _join(names)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
