"""Working days in England: the clocks on safeguarding concerns and connection answers.

Bank holidays come from the `holidays` package (England's, from the gov.uk list it tracks):
"5 working days" (issue 12) and the safeguarding clocks count only Monday to Friday, not bank
holidays. Times are kept in the service's time zone (settings.TIME_ZONE, Europe/London).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

END_OF_WORKING_DAY = time(17, 0)  # a council office's working day ends at 5pm


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day `days` working days later (from a non-working day, counting from
    the next working day's start)."""
    local = timezone.localtime(moment)
    day = local.date()
    if not is_working_day(day):
        day = next_working_day(day)
        local = local.replace(hour=9, minute=0, second=0, microsecond=0)
    for _ in range(days):
        day = next_working_day(day)
    return local.replace(year=day.year, month=day.month, day=day.day)


def end_of_working_day(moment: datetime) -> datetime:
    """5pm on the same working day, or on the next working day when raised after hours or on a
    day that is not a working day (children's concerns: decided the same working day)."""
    local = timezone.localtime(moment)
    day = local.date()
    if not is_working_day(day) or local.time() >= END_OF_WORKING_DAY:
        day = next_working_day(day)
    return local.replace(
        year=day.year,
        month=day.month,
        day=day.day,
        hour=END_OF_WORKING_DAY.hour,
        minute=0,
        second=0,
        microsecond=0,
    )


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from `start` to `end` (0 on the same day): a request's age."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
