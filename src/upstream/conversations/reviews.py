"""Reviews proportionate to risk: scheduling, recording, and who may see them.

A review asks whether the outcomes agreed with the person (conversation 3's `AgreedOutcome`)
or chosen by the family (a family plan's `FamilyOutcome`) were achieved. It is due on the start
(outcomes agreed, the plan started, or the last review held) plus the policy's interval for the
risk (`review_policy`), and keeps the policy's version. Holding one records, for each outcome,
achieved / partly / not, the method and the reason, and schedules the next.

The method and reason lists follow the adult social care Client Level Data (CLD) review event
(NHS England, CLD guidance release 1, February 2023): its review reasons exactly; its "method of
review" says who took part, so *how* the review was held (face to face, phone, video, on paper)
is our own short list (docs/conversations.md, "Reviews").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import review_policy
from upstream.conversations.models import (
    AgreedOutcome,
    Conversation,
    FamilyOutcome,
    FamilyPlan,
    Review,
    Risk,
)
from upstream.errors import InvalidFields
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.purposes import Purpose

MAX_NOTE = 5000
NOT_YOURS = "This review is not one your work needs."
TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})


class Method(models.TextChoices):
    """How the review was held (our list; CLD's "method of review" is who took part)."""

    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    PAPER = "paper", "On paper or by email (the person answered in writing)"


class Reason(models.TextChoices):
    """Why it was held: CLD release 1's review reasons (formerly SALT LTS002's significant
    event), in the guidance's words."""

    PLANNED = "planned", "Planned"
    HOSPITAL = "hospital", "Unplanned - Hospital (Planned and unplanned episodes)"
    CARER = "carer", "Unplanned - Carer related"
    SAFEGUARDING = "safeguarding", "Unplanned - Safeguarding concern"
    OTHER = "other", "Unplanned - Other Reason"
    PROVIDER_FAILURE = "provider_failure", "Unplanned - Provider Failure"
    COMMISSIONING = "commissioning", "Unplanned - Change in Commissioning arrangements"


class Answer(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT = "not", "Not achieved"


# Scheduling: the functions the conversation and family-plan services call.


def schedule_for_conversation(
    conversation: Conversation, *, actor: Actor | None = None
) -> Review | None:
    """The conversation's next review, scheduled when it agrees outcomes (none without
    outcomes). Calling again while a review is waiting returns that one unchanged."""
    latest = conversation.agreed_outcomes.order_by("-agreed_at").first()
    if latest is None:
        return None
    waiting = conversation.reviews.filter(held_at__isnull=True).first()
    if waiting is not None:
        return waiting
    start = timezone.localtime(latest.agreed_at).date()
    return _schedule(Review(conversation=conversation), start, conversation.risk, actor)


def schedule_for_plan(plan: FamilyPlan, *, actor: Actor | None = None) -> Review:
    """The family plan's first review, from the day it started (or the one already waiting)."""
    waiting = plan.reviews.filter(held_at__isnull=True).first()
    if waiting is not None:
        return waiting
    start = timezone.localtime(plan.started_at).date()
    return _schedule(Review(family_plan=plan), start, plan.risk, actor)


def _schedule(review: Review, start: date, risk: str, actor: Actor | None) -> Review:
    policy = review_policy.current()
    review.due_on = policy.due_on(start, risk)
    review.policy_version = policy.version
    review.save()
    record(
        actor or Actor.for_user(responsible(review)),
        Event(
            action="conversations.review.schedule",
            person=person_of(review),
            household=household_of(review),
            detail={"review": review.pk, "due_on": review.due_on.isoformat(), "risk": risk},
        ),
    )
    return review


# What a review is about.


def responsible(review: Review) -> User:
    """The conversation's owner or the family plan's key worker."""
    if review.conversation_id is not None:
        return review.conversation.owner  # type: ignore[union-attr]
    return review.family_plan.key_worker  # type: ignore[union-attr]


def team_of(review: Review) -> str:
    subject = review.conversation or review.family_plan
    return subject.team if subject is not None else ""


def person_of(review: Review) -> str:
    return review.conversation.person_id if review.conversation is not None else ""


def household_of(review: Review) -> str:
    return review.family_plan.household_id if review.family_plan is not None else ""


def risk_of(review: Review) -> str:
    subject = review.conversation or review.family_plan
    return subject.risk if subject is not None else Risk.MEDIUM


def outcomes_of(review: Review) -> list[tuple[str, str]]:
    """(id, the outcome in the person's or family's words), oldest first."""
    if review.conversation_id is not None:
        found = AgreedOutcome.objects.filter(conversation_id=review.conversation_id)
        return [(str(o.pk), o.outcome) for o in found.order_by("agreed_at", "pk")]
    family = FamilyOutcome.objects.filter(plan_id=review.family_plan_id).order_by("pk")
    return [(str(o.pk), o.outcome) for o in family]


def is_overdue(review: Review, today: date | None = None) -> bool:
    return review.held_at is None and review.due_on < (today or timezone.localdate())


# Who may see and hold a review.


def visible_reviews(user: User) -> QuerySet[Review]:
    """The reviews a user may open: their own (owner or key worker), and their team's when
    they are a practitioner or team manager in it (the team covers for each other)."""
    mine = Q(conversation__owner=user) | Q(family_plan__key_worker=user)
    if user.role_enum in TEAM_ROLES and user.team:
        mine |= Q(conversation__team=user.team) | Q(family_plan__team=user.team)
    return Review.objects.filter(mine)


def listed_reviews(user: User) -> QuerySet[Review]:
    """The reviews on a user's list: a team manager's team's, anyone else's own."""
    if user.role_enum == Role.TEAM_MANAGER and user.team:
        scope = Q(conversation__team=user.team) | Q(family_plan__team=user.team)
    else:
        scope = Q(conversation__owner=user) | Q(family_plan__key_worker=user)
    return Review.objects.filter(scope)


def see_review(actor: Actor, user: User, review: Review, *, action: str) -> None:
    """Refuse (audited) unless the user may see this review; audit the read when they may."""
    if not visible_reviews(user).filter(pk=review.pk).exists():
        raise refuse(
            actor,
            action,
            NOT_YOURS,
            person=person_of(review),
            household=household_of(review),
            detail={"review": review.pk},
        )
    record(
        actor,
        Event(
            action=action,
            person=person_of(review),
            household=household_of(review),
            purpose=Purpose.DIRECT_SUPPORT,
            detail={"review": review.pk},
        ),
    )


# Holding a review.


@dataclass(frozen=True)
class Held:
    """What the reviewer recorded, checked whole."""

    method: str
    reason: str
    outcomes: dict[str, str]
    risk: str
    note: str


def check_answers(review: Review, form: Mapping[str, str]) -> Held:
    """Every problem at once (field → message), or what to record; nothing is saved here."""
    problems: dict[str, str] = {}
    if review.held_at is not None:
        problems["method"] = "This review has already been recorded"
    method, reason, risk = (form.get(k, "").strip() for k in ("method", "reason", "risk"))
    if method not in Method.values:
        problems["method"] = "Select how the review was held"
    if reason not in Reason.values:
        problems["reason"] = "Select why the review was held"
    if risk not in Risk.values:
        problems["risk"] = "Select the risk now"
    outcomes = {}
    for number, (pk, _) in enumerate(outcomes_of(review), start=1):
        answer = form.get(f"outcome-{pk}", "").strip()
        if answer not in Answer.values:
            problems[f"outcome-{pk}"] = f"Select whether outcome {number} was achieved"
        outcomes[pk] = answer
    note = form.get("note", "").strip()
    if len(note) > MAX_NOTE:
        problems["note"] = f"Notes must be {MAX_NOTE} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    return Held(method, reason, outcomes, risk, note)


def hold(review: Review, held: Held, *, by: User, actor: Actor) -> Review | None:
    """Record the review and schedule the next from today at the risk now (none once a
    family plan has closed). Returns the next review."""
    with transaction.atomic():
        review.held_at = timezone.now()
        review.held_by = by
        review.method, review.reason = held.method, held.reason
        review.outcomes, review.note = held.outcomes, held.note
        review.save()
        record(actor, _held_event(review, held))
        _set_risk(review, held.risk)
        if review.family_plan is not None and not review.family_plan.is_open:
            return None
        today = timezone.localdate()
        return _schedule(_following(review), today, held.risk, actor)


def _held_event(review: Review, held: Held) -> Event:
    return Event(
        action="conversations.review.record",
        person=person_of(review),
        household=household_of(review),
        purpose=Purpose.DIRECT_SUPPORT,
        detail={"review": review.pk, "method": held.method, "reason": held.reason},
    )


def _set_risk(review: Review, risk: str) -> None:
    subject = review.conversation or review.family_plan
    if subject is not None and subject.risk != risk:
        subject.risk = risk
        subject.save(update_fields=["risk"])


def _following(review: Review) -> Review:
    return Review(conversation=review.conversation, family_plan=review.family_plan)


def outcomes_achieved(review: Review) -> str:
    """CLD's "review outcomes achieved": Fully Met when every outcome was achieved, Partially
    Met when at least one was achieved or partly, else Not Met; blank with no outcomes."""
    answers = list(review.outcomes.values())
    if not answers:
        return ""
    if all(a == Answer.ACHIEVED for a in answers):
        return "Fully Met"
    if any(a in {Answer.ACHIEVED, Answer.PARTLY} for a in answers):
        return "Partially Met"
    return "Not Met"
