"""Live measures of Three Conversations work, per team, ward and month (issue 13 "Live
measures"): how long people wait for conversation 1, how often it is enough, how many need
conversation 2 or long-term support, how often people come back, whether one worker stays,
waiting lists, caseloads, family plans, the connections made and ASCOF 2A.

Counts only (no one's details), so team managers and commissioners can see them. Each measure
carries its definition (`DEFINITIONS`), shown beside it on the page and written into every
download, so the figures can be checked by hand.

Months are calendar months in the service's time zone; the last month runs to now. Figures are
computed in one pass over the period's conversations (a few database reads, then Python) and
kept for `FRESH_FOR` seconds per scope (`figures`), so the page says how fresh they are.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from statistics import median
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.db.models import F, FloatField, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from upstream.config import load_settings
from upstream.conversations.models import (
    Achieved,
    Conversation,
    FamilyOutcome,
    HandOff,
    Kind,
    Outcome,
)
from upstream.frontdoor.models import Connection, ConnectionStatus, Request, RequestStatus, Route
from upstream.people.models import Person

FRESH_FOR = 600  # seconds before a scope's kept figures are worked out again
KEEP_FOR = 3600  # seconds older figures are still shown while new ones are worked out
REFRESH_WAIT = 300  # seconds one refresh may take before another may start
MONTH_CHOICES = (3, 6, 12)
# ASCOF 2A looks at what follows short-term support (its "sequel"); we look 91 days ahead for
# a conversation 3, the follow-up window ASCOF 2B uses for reablement (invented for 2A here:
# the CLD method takes the sequel recorded on the short-term event instead).
SEQUEL_DAYS = 91
ADULT_AGE = 18  # ASCOF is adult social care
# A conversation 3 that ended any way but withdrawn has started the person's support plan.
NOT_SUPPORT = {Outcome.WITHDRAWN.value, ""}
ACCEPTED = {ConnectionStatus.ACCEPTED.value, ConnectionStatus.COMPLETED.value}
ACHIEVED = {Achieved.SUSTAINED.value, Achieved.SIGNIFICANT_PROGRESS.value}


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    unit: str  # "days", "%", "per week", "per person", "people", "conversations"
    definition: str


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "request_to_c1_median",
        "Time from request to conversation 1 (median)",
        "days",
        "Calendar days from the front door receiving the request to conversation 1 starting, "
        "for conversations 1 that started in the month; the middle value.",
    ),
    Definition(
        "request_to_c1_p90",
        "Time from request to conversation 1 (90th percentile)",
        "days",
        "As the median, but the value 9 in 10 waits are at or under (nearest rank).",
    ),
    Definition(
        "resolved_at_c1",
        "Resolved at conversation 1",
        "%",
        "Of conversations 1 that ended in the month, the share that ended 'resolved here'.",
    ),
    Definition(
        "needs_c2",
        "Needing conversation 2",
        "%",
        "Of conversations 1 that ended in the month, the share that ended 'needs conversation 2'.",
    ),
    Definition(
        "long_term_support",
        "Moving to long-term support",
        "%",
        "Of conversations 1 that ended in the month, the share whose person went on (directly "
        "or through conversation 2) to a conversation 3 that has ended with their support plan "
        "starting. Recent months rise as conversations 3 finish.",
    ),
    Definition(
        "repeat_requests",
        "Repeat requests within 12 months",
        "%",
        "Of conversations 1 that started in the month, the share whose request the front door "
        "marked as a repeat: the same person asked again within 12 months of an earlier "
        "request.",
    ),
    Definition(
        "long_term_starts_per_week",
        "New long-term support starts per week",
        "per week",
        "Conversations 3 that ended in the month with the support plan starting (any outcome "
        "but 'did not want to go on'), divided by the month's weeks (days ÷ 7; to today for "
        "this month).",
    ),
    Definition(
        "handoffs_per_person",
        "Hand-offs per person",
        "per person",
        "Hand-offs (a change of worker, with a reason) in the month, divided by the people "
        "with a conversation open at any time in the month. One worker should stay: lower is "
        "better.",
    ),
    Definition(
        "waiting_size",
        "Waiting list size",
        "people",
        "Requests on a team's waiting list at the end of the month (today for this month): "
        "triaged to the team and not yet taken into conversation 1 or closed.",
    ),
    Definition(
        "oldest_wait",
        "Oldest wait",
        "days",
        "The longest any of those requests had waited since triage, in calendar days.",
    ),
    Definition(
        "caseload_per_worker",
        "Caseload per worker",
        "conversations",
        "Open conversations at the end of the month divided by the workers who own at least one.",
    ),
    Definition(
        "family_outcomes_achieved",
        "Family plan outcomes achieved",
        "%",
        "Of the outcomes of family plans closed in the month, the share recorded as sustained "
        "or significant progress (the Supporting Families framework's). Family plans belong to "
        "a household, so the ward filter does not apply to them.",
    ),
    Definition(
        "connections_accepted",
        "Connections accepted",
        "%",
        "Of connections to services sent in the month for people in conversations, the share "
        "accepted (or already completed) by the service.",
    ),
    Definition(
        "connections_declined",
        "Connections declined",
        "%",
        "Of the same connections, the share the service declined.",
    ),
    Definition(
        "connections_no_answer",
        "Connections with no answer",
        "%",
        "Of the same connections, the share still unanswered after their 5 working days. "
        "The rest are still within their 5 working days.",
    ),
    Definition(
        "ascof_2a",
        "ASCOF 2A: short-term support with no further request",
        "%",
        "Adults (18 or over) whose conversation 2 (short-term, intensive support) ended in the "
        "month, except those who did not want to go on: the share with no further request for "
        "ongoing support, that is conversation 2 did not end 'needs conversation 3' or "
        "'statutory route' and no conversation 3 started for them in the 91 days after. After "
        "ASCOF 2A (2023–24 onwards): short-term support whose sequel was not long-term support, "
        "over all sequels.",
    ),
)
BY_KEY = {d.key: d for d in DEFINITIONS}


@dataclass(frozen=True)
class Scope:
    """Which conversations to count: a team's, a ward's (or all) over the last `months`."""

    team: str = ""
    ward: str = ""
    months: int = 12

    def cache_key(self) -> str:
        """A key any cache accepts (team and ward names have spaces and dashes), in the
        current generation of kept figures (`forget` starts a new one)."""
        named = f"{self.team}\n{self.ward}\n{self.months}".encode()
        return f"{_generation()}.{hashlib.sha256(named).hexdigest()}"


@dataclass
class Value:
    """One figure: its value and, for shares and rates, what it was counted from."""

    value: float | None
    count: int | None = None
    of: int | None = None


@dataclass
class Month:
    start: date
    values: dict[str, Value] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y")


@dataclass
class Figures:
    scope: Scope
    computed_at: datetime
    months: list[Month]
    period: dict[str, Value]  # the whole period (waiting and caseload: now)

    def rows(self) -> list[dict[str, Any]]:
        """Every figure as one flat table (CSV, XLSX): each month, then the whole period."""
        rows = []
        for month in [*self.months, None]:
            values = month.values if month else self.period
            for d in DEFINITIONS:
                v = values[d.key]
                rows.append(
                    {
                        "month": month.start.strftime("%Y-%m") if month else "period",
                        "measure": d.label,
                        "unit": d.unit,
                        "value": v.value,
                        "count": v.count,
                        "of": v.of,
                    }
                )
        return rows

    def data(self) -> dict[str, Any]:
        """The JSON twin: the scope, when computed, definitions and the figures by measure."""
        return {
            "team": self.scope.team or "all",
            "ward": self.scope.ward or "all",
            "months": self.scope.months,
            "computed_at": self.computed_at,
            "measures": [
                {
                    "key": d.key,
                    "label": d.label,
                    "unit": d.unit,
                    "definition": d.definition,
                    "period": _plain(self.period[d.key]),
                    "by_month": [
                        {"month": m.start.strftime("%Y-%m"), **_plain(m.values[d.key])}
                        for m in self.months
                    ],
                }
                for d in DEFINITIONS
            ],
        }


def _plain(v: Value) -> dict[str, Any]:
    return {"value": v.value, "count": v.count, "of": v.of}


def figures(scope: Scope, *, now: datetime | None = None) -> Figures:
    """The scope's kept figures (worked out now when there are none). Figures older than
    `FRESH_FOR` are still shown, for up to `KEEP_FOR`, while a background thread works them
    out again, so no one waits for a city's year to be counted once it has been."""
    if now is not None:
        return measure(scope, now=now)
    kept = store().get(scope.cache_key())
    if isinstance(kept, Figures):
        if (timezone.now() - kept.computed_at).total_seconds() > FRESH_FOR:
            _refresh_later(scope)
        return kept
    return _keep(scope, measure(scope))


def _keep(scope: Scope, found: Figures) -> Figures:
    store().set(scope.cache_key(), found, KEEP_FOR)
    return found


def _refresh_later(scope: Scope) -> None:
    """Work the scope's figures out again in a thread, once at a time per machine."""
    if store().add(f"{scope.cache_key()}.refreshing", True, REFRESH_WAIT):
        threading.Thread(target=_refresh, args=(scope,), daemon=True).start()


def _refresh(scope: Scope) -> None:
    from django.db import connections

    try:
        _keep(scope, measure(scope))
    finally:
        store().delete(f"{scope.cache_key()}.refreshing")
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()  # connections are per thread: these are this thread's


def kept_text(found: Figures, name: str, make: Callable[[], str]) -> str:
    """Text made from these figures (the page's rendered charts), kept as long as they are."""
    key = f"{found.scope.cache_key()}.{name}.{found.computed_at.timestamp()}"
    text = store().get(key)
    if not isinstance(text, str):
        text = make()
        store().set(key, text, KEEP_FOR)
    return text


@functools.cache
def store() -> BaseCache:
    """Where figures are kept: a file cache (Django's) in the data directory, shared by every
    web worker on the machine, so a scope is worked out once per machine rather than once per
    worker, and kept figures survive a restart."""
    folder = load_settings().data_dir / "cache" / "conversations-measures"
    return FileBasedCache(str(folder), {"TIMEOUT": KEEP_FOR, "OPTIONS": {"MAX_ENTRIES": 5000}})


GENERATION = "generation"


def _generation() -> str:
    """Keys name the database (tests and demos may share a data directory) and the current
    generation of kept figures (`forget` starts a new one)."""
    database = str(connection.settings_dict.get("NAME", ""))
    return f"{hashlib.sha256(database.encode()).hexdigest()[:12]}.{store().get(GENERATION, 0)}"


def forget() -> None:
    """Stop using kept figures (after synthetic activity is loaded again, and in tests): the
    next keys are a new generation; the old expire by themselves."""
    try:
        store().incr(GENERATION)
    except ValueError:  # not kept yet
        store().set(GENERATION, 1, None)


# --- Computing ----------------------------------------------------------------------------


DAY = 86400.0


@dataclass(frozen=True)
class Calendar:
    """The period's months: their starts (aware, for the database and the labels) and, for
    counting, the same moments as seconds since 1970 (`edges`: each start, then now)."""

    starts: list[datetime]
    now: datetime

    @classmethod
    def last(cls, months: int, now: datetime) -> Calendar:
        local = timezone.localtime(now)
        first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        starts = [first]
        for _ in range(months - 1):
            previous = (starts[0] - timedelta(days=1)).replace(day=1)
            starts.insert(0, previous)
        return cls(starts, now)

    @property
    def start(self) -> datetime:
        return self.starts[0]

    @cached_property
    def edges(self) -> list[float]:
        return [s.timestamp() for s in self.starts] + [self.now.timestamp()]

    def ends(self) -> list[float]:
        """Each month's end (the next month's start; now for the last)."""
        return self.edges[1:]

    def index(self, moment: float | None) -> int | None:
        """The month a moment falls in, or None outside the period."""
        edges = self.edges
        if moment is None or moment < edges[0] or moment >= edges[-1]:
            return None
        return bisect_right(edges, moment) - 1

    def weeks(self, i: int) -> float:
        return (self.edges[i + 1] - self.edges[i]) / (7 * DAY)


def seconds(
    rows: QuerySet[Any], names: tuple[str, ...], times: frozenset[str]
) -> list[tuple[Any, ...]]:
    """`rows.values_list(*names)`, with the datetime fields in `times` as seconds since 1970.
    PostgreSQL sends those as numbers: parsing a city's hundreds of thousands of timestamps
    in Python takes seconds (psycopg's text loader), a float a fraction of that. Other
    databases' datetimes are converted here."""
    if connection.vendor == "postgresql":
        epoch = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
        alias = {name: f"{name.replace('__', '_')}_seconds" for name in times}
        rows = rows.annotate(
            **{alias[n]: Func(F(n), template=epoch, output_field=FloatField()) for n in times}
        )
        return list(rows.values_list(*(alias.get(n, n) for n in names)).order_by())
    moments = [i for i, n in enumerate(names) if n in times]
    return [
        tuple(
            row[i].timestamp() if i in moments and row[i] is not None else row[i]
            for i in range(len(names))
        )
        for row in rows.values_list(*names).order_by()
    ]


@dataclass
class Row:
    """A conversation as the measures read it (moments in seconds since 1970)."""

    id: int
    previous_id: int | None
    kind: int
    person_id: str
    owner_id: int
    started: float
    ended: float | None
    outcome: str
    request_id: int | None
    received: float | None
    repeat: bool


def measure(scope: Scope, *, now: datetime | None = None) -> Figures:
    """Compute the scope's figures now (or at `now`, for tests)."""
    now = now or timezone.now()
    cal = Calendar.last(scope.months, now)
    rows = _conversations(scope, cal)
    per_month: list[dict[str, Value]] = [{} for _ in cal.starts]
    period: dict[str, Value] = {}
    for measures in (
        _request_to_c1,
        _c1_endings,
        _repeats,
        _long_term_starts,
        _handoffs,
        _caseload,
        _ascof_2a,
    ):
        measures(rows, cal, per_month, period)
    _waiting(scope, cal, per_month, period)
    _family_outcomes(scope, cal, per_month, period)
    _connections(scope, cal, per_month, period)
    months = [
        Month(timezone.localtime(s).date(), v) for s, v in zip(cal.starts, per_month, strict=True)
    ]
    return Figures(scope, now, months, period)


def _in_scope(scope: Scope) -> Q:
    where = Q()
    if scope.team:
        where &= Q(team=scope.team)
    if scope.ward:
        where &= Q(ward=scope.ward)
    return where


CONVERSATION_TIMES = frozenset({"started_at", "ended_at", "request__received_at"})


def _conversations(scope: Scope, cal: Calendar) -> list[Row]:
    """Conversations open at some time since the period began (and their requests' facts)."""
    found = Conversation.objects.filter(_in_scope(scope), started_at__lt=cal.now).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=cal.start)
    )
    columns = seconds(  # the repeat is whether the request repeats another
        found,
        (
            "id",
            "previous_id",
            "kind",
            "person_id",
            "owner_id",
            "started_at",
            "ended_at",
            "outcome",
            "request_id",
            "request__received_at",
            "request__repeat_of_id",
        ),
        CONVERSATION_TIMES,
    )
    return [
        Row(
            pk,
            previous,
            kind,
            person,
            owner,
            started,
            ended,
            outcome,
            request,
            received,
            bool(repeat),
        )
        for pk, previous, kind, person, owner, started, ended, outcome, request, received, repeat in columns
    ]


Measures = dict[str, Value]


def _share(count: int, of: int) -> Value:
    return Value(round(100 * count / of, 1) if of else None, count, of)


def _shares(key: str, counts: list[list[int]], per_month: list[Measures], period: Measures) -> None:
    """counts[i] = [count, of] for month i: a share per month and for the period."""
    for i, (count, of) in enumerate(counts):
        per_month[i][key] = _share(count, of)
    period[key] = _share(sum(c for c, _ in counts), sum(o for _, o in counts))


def nearest_rank(values: list[float], p: float) -> float | None:
    """The p-th percentile by nearest rank: the smallest value with at least p of all at or
    under it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def _days(values: list[float], how: str) -> Value:
    if not values:
        return Value(None, 0, 0)
    found = float(median(values)) if how == "median" else nearest_rank(values, 0.9)
    return Value(round(found, 1) if found is not None else None, len(values), len(values))


def _request_to_c1(
    rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures
) -> None:
    waits: list[list[float]] = [[] for _ in cal.starts]
    for r in rows:
        i = cal.index(r.started)
        if r.kind == Kind.LISTEN_AND_CONNECT and i is not None and r.received is not None:
            waits[i].append((r.started - r.received) / DAY)
    everyone = [w for month in waits for w in month]
    for key, how in (("request_to_c1_median", "median"), ("request_to_c1_p90", "p90")):
        for i, month in enumerate(waits):
            per_month[i][key] = _days(month, how)
        period[key] = _days(everyone, how)


def _c1_endings(
    rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures
) -> None:
    supported = _reached_support(rows)
    counts = {k: [[0, 0] for _ in cal.starts] for k in ("resolved", "needs_2", "long_term")}
    for r in rows:
        i = cal.index(r.ended)
        if r.kind != Kind.LISTEN_AND_CONNECT or i is None:
            continue
        for key, hit in (
            ("resolved", r.outcome == Outcome.RESOLVED),
            ("needs_2", r.outcome == Outcome.NEEDS_2),
            ("long_term", r.id in supported),
        ):
            counts[key][i][0] += hit
            counts[key][i][1] += 1
    _shares("resolved_at_c1", counts["resolved"], per_month, period)
    _shares("needs_c2", counts["needs_2"], per_month, period)
    _shares("long_term_support", counts["long_term"], per_month, period)


def _support_started(r: Row) -> bool:
    return r.kind == Kind.GOOD_LIFE and r.ended is not None and r.outcome not in NOT_SUPPORT


def _reached_support(rows: list[Row]) -> set[int]:
    """The conversations 1 whose chain (1 → 3, or 1 → 2 → 3) reached a support plan."""
    by_id = {r.id: r for r in rows}
    reached = set()
    for r in rows:
        if not _support_started(r):
            continue
        step: Row | None = r
        for _ in range(3):  # at most 3 → 2 → 1
            if step is None or step.previous_id is None:
                break
            step = by_id.get(step.previous_id)
            if step is not None and step.kind == Kind.LISTEN_AND_CONNECT:
                reached.add(step.id)
                break
    return reached


def _repeats(rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    counts = [[0, 0] for _ in cal.starts]
    for r in rows:
        i = cal.index(r.started)
        if r.kind == Kind.LISTEN_AND_CONNECT and i is not None and r.request_id is not None:
            counts[i][0] += r.repeat
            counts[i][1] += 1
    _shares("repeat_requests", counts, per_month, period)


def _long_term_starts(
    rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures
) -> None:
    starts = [0 for _ in cal.starts]
    for r in rows:
        i = cal.index(r.ended)
        if i is not None and _support_started(r):
            starts[i] += 1
    key = "long_term_starts_per_week"
    for i, n in enumerate(starts):
        per_month[i][key] = Value(round(n / cal.weeks(i), 2), n, None)
    weeks = (cal.edges[-1] - cal.edges[0]) / (7 * DAY)
    period[key] = Value(round(sum(starts) / weeks, 2) if weeks else None, sum(starts), None)


def _handoffs(rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    ids = {r.id for r in rows}
    moves = [0 for _ in cal.starts]
    found = HandOff.objects.filter(at__gte=cal.start, at__lt=cal.now)
    for conversation_id, at in seconds(found, ("conversation_id", "at"), frozenset({"at"})):
        i = cal.index(at)
        if conversation_id in ids and i is not None:
            moves[i] += 1
    people: list[set[str]] = [set() for _ in cal.starts]
    for r in rows:  # each person in every month their conversation was open
        first = cal.index(max(r.started, cal.edges[0]))
        last = cal.index(min(r.ended, cal.edges[-1] - 1)) if r.ended is not None else None
        if first is None:
            continue
        for i in range(first, (last if last is not None else len(people) - 1) + 1):
            people[i].add(r.person_id)
    key = "handoffs_per_person"
    for i in range(len(cal.starts)):
        per_month[i][key] = _rate(moves[i], len(people[i]))
    period[key] = _rate(sum(moves), len({r.person_id for r in rows}))


def _rate(count: int, of: int) -> Value:
    return Value(round(count / of, 2) if of else None, count, of)


def _caseload(rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    key = "caseload_per_worker"
    for i, end in enumerate(cal.ends()):
        held = [r.owner_id for r in rows if r.started < end and (r.ended is None or r.ended >= end)]
        per_month[i][key] = _rate(len(held), len(set(held)))
    period[key] = per_month[-1][key]  # now


def _ascof_2a(rows: list[Row], cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    ended = [
        (i, r)
        for r in rows
        if r.kind == Kind.CRISIS
        and r.outcome != Outcome.WITHDRAWN
        and (i := cal.index(r.ended)) is not None
    ]
    adults = _adults({r.person_id for _, r in ended}, cal.now)
    thirds: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.kind == Kind.GOOD_LIFE:
            thirds[r.person_id].append(r.started)
    counts = [[0, 0] for _ in cal.starts]
    for i, r in ended:
        if r.person_id not in adults or r.ended is None:
            continue
        horizon = r.ended + SEQUEL_DAYS * DAY
        further = r.outcome in {Outcome.NEEDS_3, Outcome.STATUTORY} or any(
            r.ended <= s < horizon for s in thirds[r.person_id]
        )
        counts[i][0] += not further
        counts[i][1] += 1
    _shares("ascof_2a", counts, per_month, period)


def _adults(person_ids: Iterable[str], now: datetime) -> set[str]:
    """Those of the people 18 or over today (by their published date of birth)."""
    today = timezone.localtime(now).date()
    born_by = today.replace(year=today.year - ADULT_AGE)
    ids = list(person_ids)
    adults: set[str] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        adults.update(
            Person.objects.filter(person_id__in=chunk, date_of_birth__lte=born_by).values_list(
                "person_id", flat=True
            )
        )
    return adults


def _waiting(scope: Scope, cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    """Each month end's waiting list, rebuilt from when requests were triaged and left it."""
    stays = list(_waiting_stays(scope, cal))
    for i, end in enumerate(cal.ends()):
        waits = [(end - on) / DAY for on, off in stays if on <= end and (off is None or off > end)]
        per_month[i]["waiting_size"] = Value(len(waits))
        per_month[i]["oldest_wait"] = Value(round(max(waits), 1) if waits else None)
    period["waiting_size"] = per_month[-1]["waiting_size"]
    period["oldest_wait"] = per_month[-1]["oldest_wait"]


def _waiting_stays(scope: Scope, cal: Calendar) -> Iterable[tuple[float, float | None]]:
    """(on the list since, off it at) for requests triaged to a team's list: off when the first
    conversation started or the request closed, still on while it waits."""
    on_list = Request.objects.filter(
        route=Route.TARGETED, triaged_at__isnull=False, triaged_at__lt=cal.now
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cal.start))
    if scope.team:
        on_list = on_list.filter(team=scope.team)
    if scope.ward:
        ward = Person.objects.filter(person_id=OuterRef("person_id")).values("ward")[:1]
        on_list = on_list.annotate(person_ward=Subquery(ward)).filter(person_ward=scope.ward)
    first: dict[int, float] = {}
    began = Conversation.objects.filter(request__in=on_list.values("pk"))
    for request_id, started in seconds(
        began, ("request_id", "started_at"), frozenset({"started_at"})
    ):
        if request_id not in first or started < first[request_id]:
            first[request_id] = started
    rows = seconds(
        on_list,
        ("pk", "triaged_at", "closed_at", "status"),
        frozenset({"triaged_at", "closed_at"}),
    )
    for pk, triaged, closed, status in rows:
        offs = [t for t in (closed, first.get(pk)) if t is not None]
        if triaged is None or (not offs and status != RequestStatus.WAITING_LIST):
            continue  # left the list some other way, with no time recorded
        yield triaged, min(offs) if offs else None


def _family_outcomes(
    scope: Scope, cal: Calendar, per_month: list[Measures], period: Measures
) -> None:
    found = FamilyOutcome.objects.filter(
        plan__closed_at__gte=cal.start, plan__closed_at__lt=cal.now
    ).exclude(achieved="")
    if scope.team:
        found = found.filter(plan__team=scope.team)
    counts = [[0, 0] for _ in cal.starts]
    closed_at = frozenset({"plan__closed_at"})
    for closed, achieved in seconds(found, ("plan__closed_at", "achieved"), closed_at):
        i = cal.index(closed)
        if i is not None:
            counts[i][0] += achieved in ACHIEVED
            counts[i][1] += 1
    _shares("family_outcomes_achieved", counts, per_month, period)


def _connections(scope: Scope, cal: Calendar, per_month: list[Measures], period: Measures) -> None:
    conversations: QuerySet[Conversation] = Conversation.objects.filter(
        _in_scope(scope), request__isnull=False
    )
    sent = Connection.objects.filter(
        sent_at__gte=cal.start,
        sent_at__lt=cal.now,
        request_id__in=conversations.values("request_id"),
    )
    now = cal.edges[-1]
    counts = {k: [[0, 0] for _ in cal.starts] for k in ("accepted", "declined", "no_answer")}
    moments = frozenset({"sent_at", "answer_due"})
    for at, status, due in seconds(sent, ("sent_at", "status", "answer_due"), moments):
        i = cal.index(at)
        if i is None:
            continue
        for key, hit in (
            ("accepted", status in ACCEPTED),
            ("declined", status == ConnectionStatus.DECLINED),
            ("no_answer", status == ConnectionStatus.SENT and due < now),
        ):
            counts[key][i][0] += hit
            counts[key][i][1] += 1
    for key in ("accepted", "declined", "no_answer"):
        _shares(f"connections_{key}", counts[key], per_month, period)


def choices() -> tuple[list[str], list[str]]:
    """`teams_and_wards`, kept as long as figures are."""
    key = f"{_generation()}.choices"
    kept = store().get(key)
    if isinstance(kept, tuple):
        return kept
    found = teams_and_wards()
    store().set(key, found, FRESH_FOR)
    return found


def teams_and_wards() -> tuple[list[str], list[str]]:
    """The teams and wards that hold conversations (the page's choices)."""
    teams = Conversation.objects.order_by("team").values_list("team", flat=True).distinct()
    wards = (
        Conversation.objects.exclude(ward="")
        .order_by("ward")
        .values_list("ward", flat=True)
        .distinct()
    )
    return list(teams), list(wards)
