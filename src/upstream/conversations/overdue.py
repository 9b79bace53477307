"""Overdue actions and reviews surface to their owner each day (issue 13, "Waiting well").

One person's work that is due today or late: reviews they hold (a team manager: their team's),
emergency plan steps of their open conversations 2 past their date, and family plan actions
they own (through their membership of the team around the family). `by_team` counts the same
late work per team: what a daily job would send each team (`upstream reviews overdue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from upstream.accounts.models import User
from upstream.conversations.models import FamilyAction, PlanStep, Review
from upstream.conversations.reviews import listed_reviews


@dataclass(frozen=True)
class DueWork:
    reviews: list[Review]
    plan_steps: list[PlanStep]
    family_actions: list[FamilyAction]

    @property
    def total(self) -> int:
        return len(self.reviews) + len(self.plan_steps) + len(self.family_actions)


def due_for(user: User, today: date) -> DueWork:
    """The user's work due today or earlier and not done, most overdue first."""
    reviews = listed_reviews(user).filter(held_at__isnull=True, due_on__lte=today)
    steps = open_steps().filter(conversation__owner=user, by_when__lte=today)
    actions = open_actions().filter(owner__user=user, due__lte=today)
    return DueWork(
        reviews=list(reviews.select_related("conversation", "family_plan").order_by("due_on")),
        plan_steps=list(steps.select_related("conversation").order_by("by_when")),
        family_actions=list(actions.select_related("plan").order_by("due")),
    )


def open_steps() -> QuerySet[PlanStep]:
    """Plan steps not done, of conversations still open (a closed one's plan is over)."""
    return PlanStep.objects.filter(done_at__isnull=True, conversation__ended_at__isnull=True)


def open_actions() -> QuerySet[FamilyAction]:
    return FamilyAction.objects.filter(done_at__isnull=True, plan__closed_at__isnull=True)


@dataclass
class TeamCounts:
    team: str
    reviews: int = 0
    plan_steps: int = 0
    family_actions: int = 0

    @property
    def total(self) -> int:
        return self.reviews + self.plan_steps + self.family_actions


def by_team(today: date) -> list[TeamCounts]:
    """Late work per team, strictly before `today` (what is due today is not late yet);
    teams alphabetically."""
    counts: dict[str, TeamCounts] = {}

    def team(name: str | None) -> TeamCounts:
        return counts.setdefault(name or "", TeamCounts(name or ""))

    late = Review.objects.filter(held_at__isnull=True, due_on__lt=today)
    for on_conversation, on_plan in late.values_list("conversation__team", "family_plan__team"):
        team(on_conversation or on_plan).reviews += 1
    for name in open_steps().filter(by_when__lt=today).values_list("conversation__team", flat=True):
        team(name).plan_steps += 1
    for name in open_actions().filter(due__lt=today).values_list("plan__team", flat=True):
        team(name).family_actions += 1
    return [counts[name] for name in sorted(counts)]
