"""Opening times in plain words, and which days and times a schedule covers."""

from __future__ import annotations

from datetime import time

import pytest

from upstream.directory.schedules import (
    Opening,
    clock,
    day_codes,
    describe,
    is_valid_byday,
    open_at,
    open_on,
)

pytestmark = pytest.mark.core


def opening(
    byday: str, opens: str = "10:00", closes: str = "13:00", freq: str = "WEEKLY", interval: int = 1
) -> Opening:
    return Opening(freq, interval, byday, time.fromisoformat(opens), time.fromisoformat(closes))


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (opening("SA"), "Saturdays, 10am to 1pm"),
        (opening("MO,TU,WE,TH,FR", "09:00", "17:00"), "Monday to Friday, 9am to 5pm"),
        (opening("MO,WE,FR", "10:00", "14:00"), "Mondays, Wednesdays and Fridays, 10am to 2pm"),
        (
            opening("1SA", "10:00", "12:00", "MONTHLY"),
            "First Saturday of the month, 10am to midday",
        ),
        (opening("-1FR", "18:30", "20:00", "MONTHLY"), "Last Friday of the month, 6:30pm to 8pm"),
        (opening("TH", "13:00", "16:00", interval=2), "Every other Thursday, 1pm to 4pm"),
        (opening(""), "Ask for times, 10am to 1pm"),
    ],
)
def test_schedules_are_described_in_plain_words(schedule: Opening, words: str) -> None:
    assert describe(schedule) == words


@pytest.mark.parametrize(
    ("byday", "codes"), [("MO,SA", {"MO", "SA"}), ("1SA", {"SA"}), ("-1FR,XX", {"FR"}), ("", set())]
)
def test_day_codes_are_read_from_byday(byday: str, codes: set[str]) -> None:
    assert day_codes(byday) == codes


@pytest.mark.parametrize(
    ("byday", "valid"), [("MO,TU", True), ("2SA", True), ("Monday", False), ("MO;TU", False)]
)
def test_byday_values_are_checked_against_rfc_5545(byday: str, valid: bool) -> None:
    assert is_valid_byday(byday) is valid


def test_a_saturday_morning_schedule_is_open_on_saturday_at_eleven_but_not_at_two() -> None:
    schedule = opening("SA")
    assert open_on(schedule, "SA") and not open_on(schedule, "SU")
    assert open_at(schedule, time(11)) and not open_at(schedule, time(14))


@pytest.mark.parametrize(
    ("t", "words"),
    [(time(9), "9am"), (time(12), "midday"), (time(13, 30), "1:30pm"), (time(0), "12am")],
)
def test_clock_times_follow_gov_uk_style(t: time, words: str) -> None:
    assert clock(t) == words
