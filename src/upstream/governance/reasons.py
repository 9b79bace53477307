"""Recorded reasons for access ("break glass"): a person outside a working relationship can be
seen after the viewer records why; the access lasts a working day and waits for the data
protection officer's review."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.errors import InputError
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import RecordedReason
from upstream.governance.purposes import Purpose, may_use

ACCESS_HOURS = 8  # one working day, the same as a session
MINIMUM_REASON_LENGTH = 10  # long enough to say why; "checking" is not a reason


def check_reason(user: User, purpose: str, reason: str) -> Purpose:
    """The purpose, if this user may give this reason for it; else an InputError per field."""
    if purpose not in set(Purpose) or not may_use(user.role_enum, Purpose(purpose)):
        raise InputError("Select a purpose you can work under", where="purpose")
    if len(reason.strip()) < MINIMUM_REASON_LENGTH:
        raise InputError(
            f"Say why you need to see this record (at least {MINIMUM_REASON_LENGTH} characters)",
            where="reason",
        )
    return Purpose(purpose)


def record_reason(
    actor: Actor, user: User, person: str, purpose: str, reason: str
) -> RecordedReason:
    checked = check_reason(user, purpose, reason)
    now = timezone.now()
    grant = RecordedReason.objects.create(
        user=user,
        person=person,
        purpose=checked.value,
        reason=reason.strip(),
        at=now,
        expires_at=now + timedelta(hours=ACCESS_HOURS),
    )
    record(
        actor,
        Event(
            action="record-reason",
            person=person,
            purpose=checked.value,
            reason=grant.reason,
            detail={"recorded_reason": grant.pk, "expires_at": grant.expires_at.isoformat()},
        ),
    )
    return grant


def active_reason(user: User, person: str) -> RecordedReason | None:
    return (
        RecordedReason.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-at")
        .first()
    )


def waiting_for_review() -> QuerySet[RecordedReason]:
    return RecordedReason.objects.filter(review=RecordedReason.Review.WAITING).select_related(
        "user"
    )


def review_reason(
    actor: Actor, reviewer: User, grant: RecordedReason, outcome: str, note: str
) -> RecordedReason:
    if outcome not in {RecordedReason.Review.APPROPRIATE, RecordedReason.Review.INAPPROPRIATE}:
        raise InputError("Select whether the access was appropriate", where="outcome")
    grant.review = outcome
    grant.reviewed_by = reviewer
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()
    grant.save()
    record(
        actor,
        Event(
            action="review-reason",
            person=grant.person,
            purpose=grant.purpose,
            reason=grant.review_note,
            detail={"recorded_reason": grant.pk, "outcome": outcome, "by": grant.user.username},
        ),
    )
    return grant
