"""The front door's measures: how people ask, where their requests go, how often they come
back, how often officers differ from the rules, whether connections are answered and whether
safeguarding decisions are made in time. Counts only (no one's details), so team managers,
commissioners and analysts can all see them.

Each measure is what the issue names as one: repeat requests within 12 months, override rates,
the share resolved at the first contact (universal), connections answered and unanswered after
5 working days, safeguarding decisions within the clock and, for adults, the outcomes the person
wanted met (Making Safeguarding Personal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from upstream.frontdoor import routing
from upstream.frontdoor.models import (
    Channel,
    Connection,
    ConnectionStatus,
    DeclineReason,
    Request,
    RequestContact,
    Route,
    SafeguardingConcern,
)
from upstream.frontdoor.workdays import working_days_between


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def last_year(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=364), today)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class Share:
    label: str
    count: int
    of: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.of, 1) if self.of else 0.0


@dataclass
class Measures:
    period: Period
    requests: int
    by_channel: list[Share]
    by_route: list[Share]
    repeat: Share
    joined: int
    overridden: Share
    resolved_first_contact: Share
    connections: int
    answers: list[Share]
    declined_because: list[Share]
    unanswered_late: Share
    median_working_days_to_answer: float | None
    concerns: int
    decided_in_time: Share
    outcomes_met: list[Share]
    waiting: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """Every figure as one flat table (the CSV download)."""
        rows = [_row("requests", "all", self.requests, None)]
        rows += [_row("channel", s.label, s.count, s.percent) for s in self.by_channel]
        rows += [_row("route", s.label, s.count, s.percent) for s in self.by_route]
        rows.append(_row("repeat within 12 months", "", self.repeat.count, self.repeat.percent))
        rows.append(_row("joined to an open request", "", self.joined, None))
        rows.append(_row("triage overridden", "", self.overridden.count, self.overridden.percent))
        first = self.resolved_first_contact
        rows.append(_row("resolved at the first contact", "", first.count, first.percent))
        rows.append(_row("connections", "all", self.connections, None))
        rows += [_row("connection answer", s.label, s.count, s.percent) for s in self.answers]
        rows += [
            _row("declined because", s.label, s.count, s.percent) for s in self.declined_because
        ]
        late = self.unanswered_late
        rows.append(_row("no answer after 5 working days", "", late.count, late.percent))
        rows.append(
            _row("median working days to answer", "", self.median_working_days_to_answer, None)
        )
        rows.append(_row("safeguarding concerns", "all", self.concerns, None))
        timely = self.decided_in_time
        rows.append(_row("decided within the clock", "", timely.count, timely.percent))
        rows += [
            _row("adults: outcomes met", s.label, s.count, s.percent) for s in self.outcomes_met
        ]
        rows += [_row("waiting list", w["team"], w["size"], None) for w in self.waiting]
        return rows


def _row(measure: str, group: str, value: Any, percent: float | None) -> dict[str, Any]:
    return {"measure": measure, "group": group, "value": value, "percent": percent}


def _shares(rows: QuerySet[Any], field_name: str, labels: dict[str, str]) -> list[Share]:
    counts = dict(rows.values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n"))
    total = sum(counts.values())
    return [Share(label, counts.get(value, 0), total) for value, label in labels.items()]


def measure(period: Period | None = None) -> Measures:
    period = period or Period.last_year()
    start, end = period.bounds()
    requests = Request.objects.filter(received_at__gte=start, received_at__lt=end)
    total = requests.count()
    triaged = requests.exclude(route="")
    connections = Connection.objects.filter(sent_at__gte=start, sent_at__lt=end)
    concerns = SafeguardingConcern.objects.filter(raised_at__gte=start, raised_at__lt=end)
    return Measures(
        period=period,
        requests=total,
        by_channel=_shares(requests, "channel", _labels(Channel.choices)),
        by_route=_shares(triaged, "route", {v: v.capitalize() for v in Route.values}),
        repeat=Share("repeat", requests.filter(repeat_of__isnull=False).count(), total),
        joined=RequestContact.objects.filter(request__in=requests).count(),
        overridden=Share("overridden", _overridden(triaged), triaged.count()),
        resolved_first_contact=Share(
            "universal", triaged.filter(route=Route.UNIVERSAL).count(), triaged.count()
        ),
        connections=connections.count(),
        answers=_shares(connections, "status", _labels(ConnectionStatus.choices)),
        declined_because=_shares(
            connections.filter(status=ConnectionStatus.DECLINED),
            "decline_reason",
            _labels(DeclineReason.choices),
        ),
        unanswered_late=Share("late", _late(connections), connections.count()),
        median_working_days_to_answer=_median_answer(connections),
        concerns=concerns.count(),
        decided_in_time=Share(
            "in time",
            concerns.filter(decided_at__isnull=False, decided_at__lte=F("due_at")).count(),
            concerns.count(),
        ),
        outcomes_met=_shares(
            concerns.filter(team="adults").exclude(outcomes_met=""),
            "outcomes_met",
            {"yes": "Yes", "partly": "Partly", "no": "No"},
        ),
        waiting=waiting_lists(),
    )


def _labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    return {value: label for value, label in choices}


def _overridden(triaged: QuerySet[Request]) -> int:
    differs = ~Q(route=F("suggested_route")) | (
        ~Q(route=Route.UNIVERSAL) & ~Q(team=F("suggested_team"))
    )
    return triaged.filter(differs).count()


def _first_answers(connections: QuerySet[Connection]) -> QuerySet[Connection]:
    """Each connection with the time of its first answer (accepted, declined or completed):
    the 5 working days are for answering, not for finishing the help."""
    answered = Q(events__status__in=[s for s in ConnectionStatus.values if s != "sent"])
    return connections.annotate(first_answer=Min("events__at", filter=answered))


def _late(connections: QuerySet[Connection]) -> int:
    with_answers = _first_answers(connections)
    return with_answers.filter(
        Q(first_answer__isnull=True, answer_due__lt=timezone.now())
        | Q(first_answer__gt=F("answer_due"))
    ).count()


def _median_answer(connections: QuerySet[Connection]) -> float | None:
    with_answers = _first_answers(connections).filter(first_answer__isnull=False)  # type: ignore[misc]
    answered = with_answers.values_list("sent_at", "first_answer")  # type: ignore[misc]
    days = [working_days_between(sent, first) for sent, first in answered[:5000]]
    return float(median(days)) if days else None


def waiting_lists() -> list[dict[str, Any]]:
    """Each team's waiting list now: its size and how long the longest and the middle wait."""
    now = timezone.now()
    waiting: dict[str, list[int]] = {}
    rows = routing.waiting().values_list("team", "triaged_at", "received_at")
    for team, triaged_at, received_at in rows:
        waiting.setdefault(team, []).append(working_days_between(triaged_at or received_at, now))
    return [
        {
            "team": team,
            "size": len(days),
            "median_days": float(median(days)),
            "longest_days": max(days),
        }
        for team, days in sorted(waiting.items())
    ]
