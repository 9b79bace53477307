"""Safeguarding: from any page of a request, "this is a safeguarding concern" puts it at once
on the right team's queue with a clock, visible to team managers, never closed without a
decision and, for adults, the outcomes the person wanted and whether they were met (Making
Safeguarding Personal).

Clocks: a concern about a child is decided the same working day (Working Together to Safeguard
Children 2023, ch. 2: a referral is acknowledged and a decision made within one working day;
the front door aims for the same day); a concern about an adult within one working day (Care Act
2014 s42 enquiries begin promptly; councils' multi-agency policies commonly set 24 hours or one
working day for the initial decision).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.errors import InvalidFields
from upstream.frontdoor.consent import SAFEGUARDING_BASIS
from upstream.frontdoor.models import Request, SafeguardingConcern, SafeguardingTeam
from upstream.frontdoor.workdays import add_working_days, end_of_working_day
from upstream.governance.audit import Actor, Event, record

DECISIONS = {
    "section_42_enquiry": "Section 42 enquiry (adults)",
    "strategy_discussion": "Strategy discussion (children, s47)",
    "child_in_need_assessment": "Child in need assessment (s17)",
    "other_support": "No safeguarding enquiry: support offered another way",
    "no_further_action": "No further action",
}
ADULT_DECISIONS = {"section_42_enquiry", "other_support", "no_further_action"}
CHILD_DECISIONS = {
    "strategy_discussion",
    "child_in_need_assessment",
    "other_support",
    "no_further_action",
}
OUTCOMES_MET = {"yes": "Yes", "partly": "Partly", "no": "No"}
MAX_TEXT = 4000


def due_at(team: str, raised: datetime) -> datetime:
    if team == SafeguardingTeam.CHILDREN:
        return end_of_working_day(raised)
    return add_working_days(raised, 1)


def raise_concern(
    actor: Actor, user: User | None, request: Request, *, team: str, concern: str
) -> SafeguardingConcern:
    problems: dict[str, str] = {}
    if team not in SafeguardingTeam.values:
        problems["team"] = "Choose whether the concern is about a child or an adult"
    if not concern.strip():
        problems["concern"] = "Describe the concern"
    elif len(concern) > MAX_TEXT:
        problems["concern"] = f"The concern must be {MAX_TEXT:,} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    now = timezone.now()
    with transaction.atomic():
        raised = SafeguardingConcern.objects.create(
            request=request,
            person_id=request.person_id,
            team=team,
            concern=concern.strip(),
            lawful_basis=SAFEGUARDING_BASIS,
            raised_by=user,
            raised_at=now,
            due_at=due_at(team, now),
        )
        record(
            actor,
            Event(
                action="frontdoor.safeguarding.raise",
                person=request.person_id,
                purpose="safeguarding",
                detail={"request": request.reference, "concern": raised.pk, "team": team},
            ),
        )
    return raised


def check_decision(
    concern: SafeguardingConcern, decision: str, reason: str, wanted: str, met: str
) -> dict[str, str]:
    problems: dict[str, str] = {}
    allowed = ADULT_DECISIONS if concern.team == SafeguardingTeam.ADULTS else CHILD_DECISIONS
    if concern.decided_at is not None:
        problems["decision"] = "This concern has already been decided"
    elif decision not in allowed:
        problems["decision"] = "Choose a decision"
    if not reason.strip():
        problems["decision_reason"] = "Give the reason for the decision"
    if concern.team == SafeguardingTeam.ADULTS:
        # Making Safeguarding Personal: what the person wanted, and whether it was met.
        if not wanted.strip():
            problems["outcomes_wanted"] = "Enter the outcomes the person wanted, in their words"
        if met not in OUTCOMES_MET:
            problems["outcomes_met"] = "Say whether the outcomes the person wanted were met"
    for name, text in (("decision_reason", reason), ("outcomes_wanted", wanted)):
        if len(text) > MAX_TEXT:
            problems[name] = f"Must be {MAX_TEXT:,} characters or fewer"
    return problems


def decide(
    actor: Actor,
    manager: User,
    concern: SafeguardingConcern,
    *,
    decision: str,
    reason: str,
    wanted: str = "",
    met: str = "",
) -> SafeguardingConcern:
    problems = check_decision(concern, decision, reason, wanted, met)
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        concern.decision, concern.decision_reason = decision, reason.strip()
        concern.outcomes_wanted, concern.outcomes_met = wanted.strip(), met
        concern.decided_by, concern.decided_at = manager, timezone.now()
        concern.save()
        record(
            actor,
            Event(
                action="frontdoor.safeguarding.decide",
                person=concern.person_id,
                purpose="safeguarding",
                detail={"concern": concern.pk, "decision": decision, "outcomes_met": met},
            ),
        )
    return concern


def queue(team: str = "") -> QuerySet[SafeguardingConcern]:
    """Open concerns, the most overdue first."""
    open_ones = SafeguardingConcern.objects.filter(decided_at__isnull=True)
    if team:
        open_ones = open_ones.filter(team=team)
    return open_ones.select_related("request", "raised_by").order_by("due_at")
