"""The adult social care Client Level Data (CLD) export: a quarter's Request, Assessment,
Service and Review events, one row each, in the shape of NHS England's CLD specification.

Followed: the CLD guidance, release 1 (NHS England, February 2023; the specification valid
from 1 April 2023): field names, event types, request route of access, review reasons, review
outcomes achieved and method of review exactly as it lists them. How Three Conversations maps
(its Annex C): an initial conversation is a Request when it is the first contact, an Assessment
when it is recorded separately. Here the front door's `Request` is the first contact, so:

- Request: a front-door request whose route was decided in the quarter (the point "the
  initial contact outcome has been finalised"), or a conversation 1 that began without one;
- Assessment: a conversation 1, 2 or 3 that ended in the quarter (Event_Description says which:
  the guidance asks that initial conversations be identifiable there);
- Service: small practical help given in conversation 2 in the quarter (one-off, from the team
  budget: support "commissioned by or involving the local authority"). Connections to
  community services are not: the council neither commissions nor pays for them;
- Review: a review of a person's agreed outcomes held in the quarter. Family plan reviews are a
  household's, not one adult's, and are not CLD events.

Only adults (18 or over on the event's start date) and people matched to a published person
(a date of birth and an identifier); the rest are counted as left out. Identifiers are
pseudonymised: the person's keyed pseudonym (`governance.pseudonyms`) as
LA_Person_Unique_Identifier; no NHS number, name or postcode; the month and year of birth
only. What could not be mapped is in docs/conversations.md ("Client Level Data").

Every row is checked before anything is written (`check`): required fields, code lists,
dates in the quarter; the first problem names the row and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from upstream.conversations.models import Conversation, Kind, Outcome, PracticalHelp, Review
from upstream.conversations.quarters import Quarter
from upstream.conversations.quarters import quarter as quarter  # re-exported for callers
from upstream.conversations.reviews import Reason, outcomes_achieved
from upstream.errors import InputError
from upstream.frontdoor.models import Channel, Request, Route
from upstream.governance.pseudonyms import pseudonym_for
from upstream.people.models import Person

SPECIFICATION = "NHS England Adult Social Care Client Level Data, release 1 (February 2023)"

FIELDS = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "Client_Type",
    "LA_Person_Unique_Identifier",
    "Gender",
    "Date_of_Birth",
    "Primary_Support_Reason",
    "Event_Type",
    "Event_Reference",
    "Event_Description",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Review_Reason",
    "Review_Outcomes_Achieved",
    "Method_of_Review",
    "Service_Type",
    "Service_Component",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
)

# Code lists. Exactly as the guidance lists them: event types, routes of access, review
# reasons, review outcomes achieved, method of review. Our reading of the specification (to be
# checked against the published list before a live submission): the rest.
CODES: dict[str, frozenset[str]] = {
    "Client_Type": frozenset({"Service User", "Carer"}),
    "Gender": frozenset({"Male", "Female", "Other", "Not Known"}),
    "Primary_Support_Reason": frozenset({"Unknown"}),
    "Event_Type": frozenset({"Request", "Assessment", "Service", "Review"}),
    "Event_Outcome": frozenset(
        {
            "NFA - Information & Advice / Signposting only",
            "NFA - Support declined",
            "Progress to Assessment",
            "Progress to Support Planning / Services",
            "Service ended as planned",
            "No change in package",
        }
    ),
    "Request_Route_of_Access": frozenset(
        {
            "Planned Entry (Transition)",
            "Discharge from Hospital",
            "Diversion from Hospital Services",
            "Community / Other route",
            "Prison",
            "Self-Funder",
            "Discharge from Reablement",
            "Transfer from Other LA",
        }
    ),
    "Assessment_Type": frozenset({"Short Term Assessment", "Long Term Assessment"}),
    "Review_Reason": frozenset(label for _, label in Reason.choices),
    "Review_Outcomes_Achieved": frozenset({"Fully Met", "Partially Met", "Not Met"}),
    "Method_of_Review": frozenset({"Carer only", "Service user only", "Service user and carer"}),
    "Service_Type": frozenset({"Short Term Support: Other Short Term Support"}),
    "Service_Component": frozenset({"Other"}),
    "Cost_Frequency_Unit_Type": frozenset({"One-off"}),
}

ALWAYS = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "Client_Type",
    "LA_Person_Unique_Identifier",
    "Gender",
    "Date_of_Birth",
    "Primary_Support_Reason",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
    "Event_Outcome",
)
BY_TYPE = {
    "Request": ("Event_End_Date", "Request_Route_of_Access"),
    "Assessment": ("Event_End_Date", "Assessment_Type"),
    "Service": ("Service_Type", "Service_Component"),
    "Review": ("Event_End_Date", "Review_Reason", "Method_of_Review"),
}
DATES = (
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "Date_of_Birth",
    "Event_Start_Date",
    "Event_End_Date",
)
LA_CODE = re.compile(r"^\d{3}$")
ADULT = 18

# A conversation's outcome as CLD's Event_Outcome: the next conversation is another
# Assessment event; conversation 3 ends when support planning starts.
OUTCOMES = {
    Outcome.RESOLVED: "NFA - Information & Advice / Signposting only",
    Outcome.STABLE: "NFA - Information & Advice / Signposting only",
    Outcome.NEEDS_2: "Progress to Assessment",
    Outcome.NEEDS_3: "Progress to Assessment",
    Outcome.STATUTORY: "Progress to Assessment",
    Outcome.WITHDRAWN: "NFA - Support declined",
}
DESCRIPTIONS = {
    Kind.LISTEN_AND_CONNECT: "Initial conversation (Three Conversations: conversation 1)",
    Kind.CRISIS: "Three Conversations: conversation 2 (intensive support in a crisis)",
    Kind.GOOD_LIFE: "Three Conversations: conversation 3 (building a good life)",
}


@dataclass
class Export:
    rows: list[dict[str, str]]
    left_out: int  # events of children, or of people not matched to a published person


def build(period: Quarter, *, la_code: str) -> Export:
    """The quarter's rows, checked; raises `InputError` naming the first bad row and field."""
    events = list(_events(period))
    people = _people({event["person_id"] for event in events})
    tokens: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    for event in events:
        person = people.get(event.pop("person_id"))
        start = date.fromisoformat(event["Event_Start_Date"])
        born = person.date_of_birth if person is not None else None
        if person is None or born is None or _years(born, start) < ADULT:
            continue
        if person.person_id not in tokens:
            tokens[person.person_id] = pseudonym_for(person.person_id)
        rows.append(_row(period, la_code, person, tokens[person.person_id], event))
    rows.sort(key=lambda r: (r["Event_Type"], r["Event_Start_Date"], r["Event_Reference"]))
    check(rows, period)
    return Export(rows, left_out=len(events) - len(rows))


def _people(ids: set[str]) -> dict[str, Person]:
    """The published people the events are about, fetched in chunks (SQLite's variable limit)."""
    wanted = sorted(i for i in ids if i)
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), 500):
        chunk = Person.objects.filter(person_id__in=wanted[start : start + 500])
        found.update((p.person_id, p) for p in chunk)
    return found


def _row(
    period: Quarter, la_code: str, person: Person, token: str, event: dict[str, str]
) -> dict[str, str]:
    born = person.date_of_birth
    assert born is not None
    row = dict.fromkeys(FIELDS, "")
    row.update(
        LA_Code=la_code,
        Reporting_Period_Start_Date=period.start.isoformat(),
        Reporting_Period_End_Date=period.end.isoformat(),
        Client_Type="Service User",
        LA_Person_Unique_Identifier=token,
        Gender={"M": "Male", "F": "Female"}.get(person.sex, "Not Known"),
        Date_of_Birth=born.replace(day=1).isoformat(),  # month and year only
        Primary_Support_Reason="Unknown",  # not determined before the care pathway
    )
    row.update(event)
    return row


def _day(moment: Any) -> str:
    return str(timezone.localtime(moment).date().isoformat())


def _events(period: Quarter) -> Iterator[dict[str, str]]:
    yield from _requests(period)
    yield from _assessments(period)
    yield from _services(period)
    yield from _reviews(period)


def _in(period: Quarter, field: str) -> dict[str, date]:
    return {f"{field}__date__gte": period.start, f"{field}__date__lte": period.end}


def _requests(period: Quarter) -> Iterator[dict[str, str]]:
    decided = Request.objects.filter(**_in(period, "triaged_at")).exclude(person_id="")
    for request in decided.order_by("pk"):
        closed = request.route == Route.UNIVERSAL
        yield {
            "person_id": request.person_id,
            "Event_Type": "Request",
            "Event_Reference": request.reference,
            "Event_Description": f"Front door request: {Channel(request.channel).label}",
            "Event_Start_Date": _day(request.received_at),
            "Event_End_Date": _day(request.triaged_at),
            "Event_Outcome": OUTCOMES[Outcome.RESOLVED] if closed else "Progress to Assessment",
            # The front door does not record hospital discharge, transition or prison.
            "Request_Route_of_Access": "Community / Other route",
        }
    first_contacts = Conversation.objects.filter(
        kind=Kind.LISTEN_AND_CONNECT, request__isnull=True, **_in(period, "ended_at")
    )
    for conversation in first_contacts.order_by("pk"):
        yield {
            **_conversation_event(conversation, "Request"),
            "Request_Route_of_Access": "Community / Other route",
        }


def _assessments(period: Quarter) -> Iterator[dict[str, str]]:
    ended = Conversation.objects.filter(**_in(period, "ended_at")).exclude(
        kind=Kind.LISTEN_AND_CONNECT, request__isnull=True
    )
    for conversation in ended.order_by("pk"):
        long_term = conversation.kind == Kind.GOOD_LIFE
        yield {
            **_conversation_event(conversation, "Assessment"),
            "Assessment_Type": "Long Term Assessment" if long_term else "Short Term Assessment",
        }


def _conversation_event(conversation: Conversation, event_type: str) -> dict[str, str]:
    outcome = OUTCOMES.get(Outcome(conversation.outcome), "") if conversation.outcome else ""
    if conversation.kind == Kind.GOOD_LIFE and conversation.outcome != Outcome.WITHDRAWN:
        outcome = "Progress to Support Planning / Services"
    return {
        "person_id": conversation.person_id,
        "Event_Type": event_type,
        "Event_Reference": f"C-{conversation.pk}",
        "Event_Description": DESCRIPTIONS[Kind(conversation.kind)],
        "Event_Start_Date": _day(conversation.started_at),
        "Event_End_Date": _day(conversation.ended_at),
        "Event_Outcome": outcome,
    }


def _services(period: Quarter) -> Iterator[dict[str, str]]:
    given = PracticalHelp.objects.filter(**_in(period, "at")).select_related("conversation")
    for help_given in given.order_by("pk"):
        on = _day(help_given.at)
        yield {
            "person_id": help_given.conversation.person_id,
            "Event_Type": "Service",
            "Event_Reference": f"PH-{help_given.pk}",
            "Event_Description": "Small practical help in a crisis (conversation 2)",
            "Event_Start_Date": on,
            "Event_End_Date": on,
            "Event_Outcome": "Service ended as planned",
            "Service_Type": "Short Term Support: Other Short Term Support",
            "Service_Component": "Other",
            "Unit_Cost": f"{help_given.amount:.2f}",
            "Cost_Frequency_Unit_Type": "One-off",
        }


def _reviews(period: Quarter) -> Iterator[dict[str, str]]:
    held = Review.objects.filter(conversation__isnull=False, **_in(period, "held_at"))
    for review in held.select_related("conversation").order_by("pk"):
        on = _day(review.held_at)
        assert review.conversation is not None
        yield {
            "person_id": review.conversation.person_id,
            "Event_Type": "Review",
            "Event_Reference": f"RV-{review.pk}",
            "Event_Description": "Review of the outcomes agreed",
            "Event_Start_Date": on,
            "Event_End_Date": on,
            # No package of care here to change: the care pathway adds that.
            "Event_Outcome": "No change in package",
            "Review_Reason": dict(Reason.choices).get(review.reason, review.reason),
            "Review_Outcomes_Achieved": outcomes_achieved(review),
            # Reviews here are held with the person; a carer's part is not recorded.
            "Method_of_Review": "Service user only",
        }


# Checking every row before writing.


def check(rows: Iterable[dict[str, str]], period: Quarter) -> None:
    """Raise `InputError` naming the first row (1 = the first data row) and field at fault."""
    for number, row in enumerate(rows, start=1):
        problem = row_problem(row, period)
        if problem is not None:
            field, message = problem
            where = f"row {number} ({row.get('Event_Type')} {row.get('Event_Reference')})"
            raise InputError(f"{field}: {message}", where=where)


def row_problem(row: dict[str, str], period: Quarter) -> tuple[str, str] | None:
    """The first problem in one row, as (field, what is wrong); None when it is valid."""
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        return unknown[0], "not a field of the export"
    required = ALWAYS + BY_TYPE.get(row.get("Event_Type", ""), ())
    if row.get("Event_Type") == "Review" and row.get("Review_Reason") == "Planned":
        required += ("Review_Outcomes_Achieved",)  # the guidance: required for planned reviews
    for field in required:
        if not row.get(field, "").strip():
            return field, "required"
    for field, allowed in CODES.items():
        value = row.get(field, "")
        if value and value not in allowed:
            return field, f"{value!r} is not in the code list"
    if not LA_CODE.match(row["LA_Code"]):
        return "LA_Code", "must be the council's three-digit code"
    return _date_problem(row, period)


def _date_problem(row: dict[str, str], period: Quarter) -> tuple[str, str] | None:
    dates: dict[str, date] = {}
    for field in DATES:
        if row.get(field):
            try:
                dates[field] = date.fromisoformat(row[field])
            except ValueError:
                return field, f"{row[field]!r} is not a date (YYYY-MM-DD)"
    start, end = dates["Event_Start_Date"], dates.get("Event_End_Date")
    if end is not None and end < start:
        return "Event_End_Date", "before the event started"
    if row["Event_Type"] == "Service":
        if start > period.end or (end is not None and end < period.start):
            return "Event_Start_Date", f"the service was not active in {period.label}"
    elif end is None or not period.start <= end <= period.end:
        return "Event_End_Date", f"not in {period.label}"
    if _years(dates["Date_of_Birth"], start) < ADULT:
        return "Date_of_Birth", "under 18 on the event's start date: CLD is adult social care"
    return None


def _years(born: date, on: date) -> int:
    # The month of birth is all the row holds: count from its last day, so nobody is made
    # older than they can be.
    last_day = (born.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return on.year - last_day.year - ((on.month, on.day) < (last_day.month, last_day.day))
