"""A person's and a household's story across agencies: what the pages and the API show.

Everything here is already filtered by access: only the sources the viewer's role and purpose
cover, only the people the viewer may see, pseudonymised for analysts. The pages and the JSON
API render the same dataclasses, so the JSON twin is exactly what the page shows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Max, QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.governance.access import Decision, now_allocations, visible_people
from upstream.governance.pseudonyms import household_pseudonym_for, pseudonym_for
from upstream.governance.register import dataset_code_for, dataset_names, withheld_datasets
from upstream.people.models import (
    CostEntry,
    Household,
    HouseholdMembership,
    Person,
    PublishRun,
    ServiceEvent,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    """The timeline filters: one agency (dataset code) and a date range, each optional."""

    agency: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class TimelineEvent:
    event_id: str
    person_id: str
    person_name: str
    date: dt.date
    end_date: dt.date | None
    agency_code: str
    agency: str
    event_type: str
    description: str
    cost: Decimal | None
    financial_year: str


@dataclass(frozen=True)
class AgencyInvolved:
    code: str
    name: str
    events: int
    first: date
    last: date
    cost: Decimal


@dataclass(frozen=True)
class Member:
    person_id: str
    name: str
    age: int | None
    start_date: date
    end_date: date | None
    household_id: str
    visible: bool  # may the viewer open this person's record?
    real_person_id: str = ""  # for the audit log's people shown; never rendered


@dataclass(frozen=True)
class YearCost:
    financial_year: str
    cost: Decimal


@dataclass
class PersonStory:
    person_id: str
    name: str
    age: int | None
    date_of_birth: date | None
    address: str
    postcode: str
    household_id: str
    flags: list[str]
    key_worker: str
    team: str
    decision: Decision
    timeline: list[TimelineEvent]
    members: list[Member]
    agencies: list[AgencyInvolved]
    costs_by_year: list[YearCost]
    this_year: str
    cost_this_year: Decimal
    total_cost: Decimal
    withheld: list[str]
    period: Period = field(default_factory=Period)
    real_person_id: str = ""  # `person_id` is a pseudonym for analysts; this never is

    @property
    def people_shown(self) -> tuple[str, ...]:
        """Everyone this view shows something of (the audit log's people shown)."""
        return tuple(sorted({self.real_person_id} | {m.real_person_id for m in self.members}))


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@lru_cache(maxsize=8)
def _latest_year_for_run(run_id: int | None) -> str:
    latest = CostEntry.objects.aggregate(latest=Max("financial_year"))["latest"]
    return str(latest or financial_year_of(timezone.localdate()))


_latest_run: list[tuple[float, int | None]] = []
RUN_SECONDS = 30.0  # how long a process trusts that no new publish has happened


def latest_financial_year() -> str:
    """'This year' for cost of need: the latest financial year in the published ledger (the
    synthetic city's window ends before today), cached per publish."""
    now = time.monotonic()
    if not _latest_run or now - _latest_run[0][0] > RUN_SECONDS:
        run = PublishRun.objects.order_by("-published_at").values_list("pk", flat=True).first()
        _latest_run[:] = [(now, run)]
    run = _latest_run[0][1]
    if run is None:
        _latest_year_for_run.cache_clear()  # tests write the ledger directly, without a publish
        _latest_run.clear()
    return _latest_year_for_run(run)


def financial_year_of(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


class Namer:
    """Names and keys people and households as this viewer may see them: real names and IDs,
    or pseudonyms for analysts (household IDs are built from addresses, so they are replaced
    too)."""

    def __init__(self, decision: Decision) -> None:
        self.pseudonymised = decision.pseudonymised

    def __call__(self, person: Person) -> str:
        if self.pseudonymised:
            return pseudonym_for(person.person_id)
        return f"{person.given_name} {person.family_name}".strip() or person.person_id

    def key(self, person_id: str) -> str:
        return pseudonym_for(person_id) if self.pseudonymised else person_id

    def household(self, household_id: str) -> str:
        return household_pseudonym_for(household_id) if self.pseudonymised else household_id


def _visible_events(
    events: QuerySet[ServiceEvent], sources: frozenset[str], period: Period
) -> list[ServiceEvent]:
    if period.start:
        events = events.filter(start_date__gte=period.start)
    if period.end:
        events = events.filter(start_date__lte=period.end)
    rows = events.select_related("cost", "person").order_by("-start_date", "event_id")
    wanted = period.agency
    return [
        e
        for e in rows
        if (code := dataset_code_for(e.source, sources)) is not None
        and (not wanted or code == wanted)
    ]


def _timeline(events: list[ServiceEvent], namer: Namer) -> list[TimelineEvent]:
    names = dataset_names()
    codes = set(names)
    timeline = []
    for e in events:
        code = dataset_code_for(e.source, codes) or e.source
        cost = getattr(e, "cost", None)
        timeline.append(
            TimelineEvent(
                event_id=e.event_id,
                person_id=namer.key(e.person_id),
                person_name=namer(e.person),
                date=e.start_date,
                end_date=e.end_date,
                agency_code=code,
                agency=names.get(code, code),
                event_type=e.event_type,
                description=e.description or e.event_type,
                cost=cost.amount if cost else None,
                financial_year=cost.financial_year if cost else financial_year_of(e.start_date),
            )
        )
    return timeline


def agencies_involved(timeline: list[TimelineEvent]) -> list[AgencyInvolved]:
    grouped: dict[str, list[TimelineEvent]] = defaultdict(list)
    for event in timeline:
        grouped[event.agency_code].append(event)
    return sorted(
        (
            AgencyInvolved(
                code=code,
                name=events[0].agency,
                events=len(events),
                first=min(e.date for e in events),
                last=max(e.date for e in events),
                cost=sum((e.cost or ZERO for e in events), ZERO),
            )
            for code, events in grouped.items()
        ),
        key=lambda a: (-a.events, a.name),
    )


def costs_by_year(timeline: list[TimelineEvent]) -> list[YearCost]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for event in timeline:
        totals[event.financial_year] += event.cost or ZERO
    return [YearCost(year, totals[year]) for year in sorted(totals)]


def flags_for(
    timeline: list[TimelineEvent], agencies: list[AgencyInvolved], this_year: str
) -> list[str]:
    """Plain, explainable flags from the events shown (each names its evidence)."""
    flags = []
    if len(agencies) >= 3:
        flags.append(f"Known to {len(agencies)} agencies")
    recent = [e for e in timeline if e.financial_year == this_year]
    if len(recent) >= 12:  # about monthly or more: a frequent attender in the domain brief §4
        flags.append(f"{len(recent)} events in {this_year}")
    return flags


def latest_membership(person_id: str) -> HouseholdMembership | None:
    memberships = list(
        HouseholdMembership.objects.filter(person_id=person_id).select_related("household")
    )
    if not memberships:
        return None
    return max(
        memberships, key=lambda m: (m.end_date is None, m.end_date or date.max, m.start_date)
    )


def _members(household: Household, viewer: User, namer: Namer, today: date) -> list[Member]:
    rows = list(household.memberships.select_related("person").order_by("start_date", "person_id"))
    visible = visible_people(viewer, [m.person_id for m in rows])
    return [
        Member(
            person_id=namer.key(m.person_id),
            name=namer(m.person),
            age=age_on(m.person.date_of_birth, today),
            start_date=m.start_date,
            end_date=m.end_date,
            household_id=namer.household(household.household_id),
            visible=m.person_id in visible,
            real_person_id=m.person_id,
        )
        for m in rows
    ]


def _key_worker(person_id: str) -> tuple[str, str]:
    allocations = now_allocations(person_id)
    workers = [a.worker.get_full_name() or a.worker.username for a in allocations if a.worker]
    teams = sorted({a.team for a in allocations})
    return (workers[0] if workers else "", ", ".join(teams))


def person_story(person: Person, viewer: User, decision: Decision, period: Period) -> PersonStory:
    today = timezone.localdate()
    namer = Namer(decision)
    events = _visible_events(person.events.all(), decision.sources, period)
    timeline = _timeline(events, namer)
    all_time = (
        timeline
        if period == Period()
        else _timeline(_visible_events(person.events.all(), decision.sources, Period()), namer)
    )
    agencies = agencies_involved(all_time)
    by_year = costs_by_year(all_time)
    this_year = latest_financial_year()
    membership = latest_membership(person.person_id)
    household = membership.household if membership else None
    key_worker, team = _key_worker(person.person_id)
    return PersonStory(
        person_id=namer.key(person.person_id),
        real_person_id=person.person_id,
        name=namer(person),
        age=age_on(person.date_of_birth, today),
        date_of_birth=None if decision.pseudonymised else person.date_of_birth,
        address=(
            household.ward
            if decision.pseudonymised
            else tidy_address(household.address, household.postcode)
        )
        if household
        else "",
        postcode=_postcode(person.current_postcode, decision),
        household_id=namer.household(household.household_id) if household else "",
        flags=flags_for(all_time, agencies, this_year),
        key_worker="" if decision.pseudonymised else key_worker,
        team=team,
        decision=decision,
        timeline=timeline,
        members=_members(household, viewer, namer, today) if household else [],
        agencies=agencies,
        costs_by_year=by_year,
        this_year=this_year,
        cost_this_year=next((y.cost for y in by_year if y.financial_year == this_year), ZERO),
        total_cost=sum((y.cost for y in by_year), ZERO),
        withheld=withheld_datasets(decision.sources),
        period=period,
    )


def tidy_address(address: str, postcode: str) -> str:
    """The address as a line: no empty parts, and no postcode (the page shows it after)."""
    parts = [p.strip() for p in address.split(",")]
    return ", ".join(p for p in parts if p and p.upper() != postcode.upper())


def _postcode(postcode: str, decision: Decision) -> str:
    # Analysts see the postcode district only (the outward code), as in ONS open geography.
    return postcode.split(" ")[0] if decision.pseudonymised else postcode


@dataclass
class HouseholdStory:
    household_id: str
    address: str
    postcode: str
    start_date: date
    end_date: date | None
    members: list[Member]
    timeline: list[TimelineEvent]
    agencies: list[AgencyInvolved]
    costs_by_year: list[YearCost]
    combined_cost: Decimal
    hidden_members: int
    decision: Decision
    period: Period = field(default_factory=Period)

    @property
    def people_shown(self) -> tuple[str, ...]:
        return tuple(sorted({m.real_person_id for m in self.members}))


def household_story(
    household: Household, viewer: User, decision: Decision, period: Period
) -> HouseholdStory:
    today = timezone.localdate()
    namer = Namer(decision)
    at_address = Household.objects.filter(uprn=household.uprn).order_by("start_date")
    members = [m for h in at_address for m in _members(h, viewer, namer, today)]
    here = namer.household(household.household_id)
    visible = {m.real_person_id for m in members if m.visible and m.household_id == here}
    events = _visible_events(
        ServiceEvent.objects.filter(household=household, person_id__in=visible),
        decision.sources,
        period,
    )
    timeline = _timeline(events, namer)
    hidden = {m.real_person_id for m in members if m.household_id == here} - visible
    return HouseholdStory(
        household_id=here,
        address=household.ward
        if decision.pseudonymised
        else tidy_address(household.address, household.postcode),
        postcode=_postcode(household.postcode, decision),
        start_date=household.start_date,
        end_date=household.end_date,
        members=members,
        timeline=timeline,
        agencies=agencies_involved(timeline),
        costs_by_year=costs_by_year(timeline),
        combined_cost=sum((e.cost or ZERO for e in timeline), ZERO),
        hidden_members=len(hidden),
        decision=decision,
        period=period,
    )
