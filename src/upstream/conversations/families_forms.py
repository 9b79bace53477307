"""Reading the team-around-the-family forms: each field as typed, trimmed and cut a little past
its column's length (so the service's check can say it is too long, rather than the form
cutting it short), and dates from GOV.UK's three-part date input (day, month, year)."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict

from upstream.conversations.families import (
    ActionAsked,
    DateGiven,
    MeetingAsked,
    MemberAsked,
)

MOST = 5000  # past every column's length: the service says what is too long


def text(params: QueryDict, name: str, limit: int = MOST) -> str:
    return params.get(name, "").strip()[:limit]


def date_given(params: QueryDict, name: str, label: str) -> DateGiven:
    """A date from `<name>_day`, `<name>_month` and `<name>_year`; nothing typed is no date."""
    parts = [text(params, f"{name}_{part}", 20) for part in ("day", "month", "year")]
    if not any(parts):
        return DateGiven(None)
    try:
        day, month, year = (int(p) for p in parts)
        return DateGiven(date(year, month, day))
    except (ValueError, OverflowError):  # a year of 99999999999999999999 overflows C's long
        return DateGiven(None, f"{label} must be a real date, for example 27 3 2027")


def member(params: QueryDict) -> MemberAsked:
    return MemberAsked(
        name=text(params, "name"),
        organisation=text(params, "organisation"),
        role=text(params, "role"),
        contact=text(params, "contact"),
        username=text(params, "username", 200),
    )


def action(params: QueryDict) -> ActionAsked:
    return ActionAsked(
        action=text(params, "action"),
        owner=text(params, "owner", 20),
        due=date_given(params, "due", "The date it is due"),
        outcome=text(params, "outcome", 20),
    )


def meeting(params: QueryDict) -> MeetingAsked:
    return MeetingAsked(
        held_on=date_given(params, "held_on", "The date of the meeting"),
        attended=tuple(v[:20] for v in params.getlist("attended")[:100]),
        family_attended=text(params, "family_attended", 5),
        decisions=text(params, "decisions"),
        next_on=date_given(params, "next_on", "The date of the next meeting"),
    )


def achieved(params: QueryDict) -> dict[int, str]:
    """Each outcome's answer, from fields named `achieved-<outcome id>`."""
    answers: dict[int, str] = {}
    for name in list(params.keys())[:500]:
        prefix, _, number = name.partition("-")
        if prefix == "achieved" and number.isdigit() and len(number) < 12:
            answers[int(number)] = text(params, name, 30)
    return answers
