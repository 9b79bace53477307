"""Factories for the reviews and CLD tests: conversations, agreed outcomes and family plans
made with the ORM, at the dates a test names (keyword-only defaults)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from tests.casework.conftest import TEAM


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create_conversation(
    *,
    owner: Any,
    person_id: str,
    kind: int = 3,
    risk: str = "medium",
    started: date = date(2025, 10, 6),
    ended: date | None = None,
    outcome: str = "",
    team: str = TEAM,
    request: Any = None,
    previous: Any = None,
) -> Any:
    from upstream.conversations.models import Conversation

    return Conversation.objects.create(
        person_id=person_id,
        kind=kind,
        owner=owner,
        team=team,
        started_at=at(started),
        ended_at=at(ended, 15) if ended else None,
        outcome=outcome,
        risk=risk,
        request=request,
        previous=previous,
        what_matters="To get back on my feet.",
    )


def agree(conversation: Any, *outcomes: str, on: date = date(2025, 10, 6)) -> list[Any]:
    from upstream.conversations.models import AgreedOutcome

    return [
        AgreedOutcome.objects.create(conversation=conversation, outcome=text, agreed_at=at(on))
        for text in outcomes
    ]


def create_plan(
    *, key_worker: Any, household_id: str = "H-1", risk: str = "medium", started: date
) -> Any:
    from upstream.conversations.models import FamilyPlan

    return FamilyPlan.objects.create(
        household_id=household_id,
        key_worker=key_worker,
        team=TEAM,
        started_at=at(started),
        risk=risk,
    )


def create_member(plan: Any, *, user: Any = None, name: str = "Jo Partner") -> Any:
    from upstream.conversations.models import FamilyMember

    return FamilyMember.objects.create(
        plan=plan,
        user=user,
        name=name,
        organisation="Canal Street School",
        role="Family support worker",
        joined_at=plan.started_at,
    )
