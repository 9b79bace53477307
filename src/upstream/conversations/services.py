"""Conversations 1–3 and how they end (issue 13; domain brief §3.4).

- Conversation 1 (listen and connect) records what matters in the person's words and their
  strengths, and ends resolved here, needing conversation 2 or 3, or on a statutory route.
- Conversation 2 (work intensively in a crisis) ends stable (back to conversation 1's
  connections) or on to conversation 3; its plan, contact log and practical help are in
  `crisis.py`.
- Conversation 3 (build a good life) records agreed outcomes and ends when the support plan
  starts: the care pathway is the statutory route, so it ends with the outcome `statutory`.
- Any conversation may end because the person did not want to go on (`withdrawn`).

The owner carries the person through 1 → 2 → 3: the next conversation is the same owner's. A
change of owner is a hand-off, which needs a reason and is counted; ownership moves at once,
so nobody waits in a hand-off queue.

Every change checks everything first and raises `InvalidFields` with every problem: nothing is
saved half-way. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from upstream.accounts.models import User
from upstream.conversations import access, reviews
from upstream.conversations.models import (
    AgreedOutcome,
    Conversation,
    HandOff,
    Kind,
    Outcome,
)
from upstream.conversations.waiting import team_workers
from upstream.errors import InvalidFields
from upstream.frontdoor.models import Request, RequestStatus
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation

MAX_TEXT = 5000
MAX_NOTE = 2000
MAX_OUTCOME_TEXT = 200  # the request's outcome column

# How each kind of conversation may end, in the words the worker chooses from.
ENDINGS: dict[int, dict[str, str]] = {
    Kind.LISTEN_AND_CONNECT: {
        Outcome.RESOLVED: "Resolved here",
        Outcome.NEEDS_2: "Needs conversation 2 (a crisis to work through)",
        Outcome.NEEDS_3: "Needs conversation 3 (long-term support)",
        Outcome.STATUTORY: "Statutory route",
        Outcome.WITHDRAWN: "The person did not want to go on",
    },
    Kind.CRISIS: {
        Outcome.STABLE: "Stable: back to the connections from conversation 1",
        Outcome.NEEDS_3: "Needs conversation 3 (long-term support)",
        Outcome.STATUTORY: "Statutory route",
        Outcome.WITHDRAWN: "The person did not want to go on",
    },
    Kind.GOOD_LIFE: {
        Outcome.STATUTORY: "The support plan starts",
        Outcome.WITHDRAWN: "The person did not want to go on",
    },
}
NEXT_KIND: dict[str, int] = {Outcome.NEEDS_2: Kind.CRISIS, Outcome.NEEDS_3: Kind.GOOD_LIFE}
# Endings that need a note saying where the person went or why.
NOTE_NEEDED = {Outcome.STATUTORY, Outcome.WITHDRAWN}

LISTENING_FIELDS = (
    "what_matters",
    "strengths_person",
    "strengths_family",
    "strengths_community",
    "notes",
)


@dataclass(frozen=True)
class Listening:
    """What conversation 1 hears: what matters, in the person's words, and their strengths."""

    what_matters: str = ""
    strengths_person: str = ""
    strengths_family: str = ""
    strengths_community: str = ""
    notes: str = ""


def _require_open(conversation: Conversation) -> None:
    if not conversation.is_open:
        raise InvalidFields({"outcome": "This conversation has ended"})


def record_listening(
    actor: Actor, user: User, conversation: Conversation, heard: Listening
) -> Conversation:
    access.require_owner(actor, user, conversation, action="conversations.listening")
    _require_open(conversation)
    problems = {
        name: f"Must be {MAX_TEXT:,} characters or fewer"
        for name in LISTENING_FIELDS
        if len(getattr(heard, name)) > MAX_TEXT
    }
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        for name in LISTENING_FIELDS:
            setattr(conversation, name, getattr(heard, name).strip())
        conversation.save(update_fields=list(LISTENING_FIELDS))
        _audit(actor, conversation, "conversations.listening", fields=list(LISTENING_FIELDS))
    return conversation


def check_ending(conversation: Conversation, outcome: str, note: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not conversation.is_open:
        return {"outcome": "This conversation has ended"}
    allowed = ENDINGS[conversation.kind]
    if outcome not in allowed:
        problems["outcome"] = "Choose how the conversation ends"
    elif outcome in NOTE_NEEDED and not note.strip():
        problems["outcome_note"] = (
            "Say where the person went and why"
            if outcome == Outcome.STATUTORY
            else "Say what the person told you"
        )
    if len(note) > MAX_NOTE:
        problems["outcome_note"] = f"The note must be {MAX_NOTE:,} characters or fewer"
    if conversation.kind == Kind.LISTEN_AND_CONNECT and not conversation.what_matters.strip():
        problems["what_matters"] = "Record what matters to the person before the conversation ends"
    if (
        conversation.kind == Kind.GOOD_LIFE
        and outcome == Outcome.STATUTORY
        and not conversation.agreed_outcomes.exists()
    ):
        problems["agreed_outcome"] = "Record the outcomes agreed with the person first"
    return problems


def end(
    actor: Actor, user: User, conversation: Conversation, *, outcome: str, note: str = ""
) -> Conversation | None:
    """End the conversation with its outcome; returns the next conversation when there is one
    (the same owner's: one worker stays)."""
    access.require_owner(actor, user, conversation, action="conversations.end")
    problems = check_ending(conversation, outcome, note)
    if problems:
        raise InvalidFields(problems)
    now = timezone.now()
    following: Conversation | None = None
    with transaction.atomic():
        conversation.ended_at, conversation.outcome = now, outcome
        conversation.outcome_note = note.strip()
        conversation.save(update_fields=["ended_at", "outcome", "outcome_note"])
        if outcome in NEXT_KIND:
            following = _next(conversation, NEXT_KIND[outcome], now)
        else:
            _answer_request(conversation, outcome, now)
            _end_allocation(conversation, now)
        _audit(
            actor,
            conversation,
            "conversations.end",
            outcome=outcome,
            next=following.pk if following else None,
        )
    return following


def _next(conversation: Conversation, kind: int, now: datetime) -> Conversation:
    return Conversation.objects.create(
        person_id=conversation.person_id,
        request=conversation.request,
        previous=conversation,
        kind=kind,
        owner=conversation.owner,
        team=conversation.team,
        ward=conversation.ward,
        risk=conversation.risk,
        started_at=now,
        # Told once: what matters and their strengths carry on into the next conversation.
        **{name: getattr(conversation, name) for name in LISTENING_FIELDS if name != "notes"},
    )


def request_outcome(conversation: Conversation, outcome: str) -> str:
    """The request's outcome, in words (the request's own column is short)."""
    words = {
        Outcome.RESOLVED: "Resolved at conversation 1",
        Outcome.STABLE: "Stable after conversation 2",
        Outcome.WITHDRAWN: "The person did not want to go on",
        Outcome.STATUTORY: (
            "Support plan started after conversation 3"
            if conversation.kind == Kind.GOOD_LIFE
            else "Statutory route"
        ),
    }[Outcome(outcome)]
    if conversation.outcome_note and outcome != Outcome.RESOLVED:
        words = f"{words}: {conversation.outcome_note}"
    return words[:MAX_OUTCOME_TEXT]


def _answer_request(conversation: Conversation, outcome: str, now: datetime) -> None:
    """The request the conversations began from is answered: closed, or handed over to a
    statutory service when conversation 1 or 2 sends the person there."""
    request = conversation.request
    if request is None or not request.is_open:
        return
    handed_over = outcome == Outcome.STATUTORY and conversation.kind != Kind.GOOD_LIFE
    request.status = RequestStatus.HANDED_OVER if handed_over else RequestStatus.CLOSED
    request.outcome = request_outcome(conversation, outcome)
    fields = ["status", "outcome"]
    if not handed_over:
        request.closed_at = now
        fields.append("closed_at")
    Request.objects.filter(pk=request.pk).update(**{f: getattr(request, f) for f in fields})


def _end_allocation(conversation: Conversation, now: datetime) -> None:
    """The worker's working relationship ends with the last conversation, unless the support
    plan starts (long-term support goes on with them) or another conversation is open."""
    if conversation.kind == Kind.GOOD_LIFE and conversation.outcome == Outcome.STATUTORY:
        return
    still_open = Conversation.objects.filter(
        person_id=conversation.person_id,
        owner=conversation.owner,
        team=conversation.team,
        ended_at__isnull=True,
    ).exists()
    if still_open:
        return
    Allocation.objects.filter(
        person_id=conversation.person_id,
        team=conversation.team,
        worker=conversation.owner,
        ended_at__isnull=True,
    ).update(ended_at=now)


def hand_off(
    actor: Actor, user: User, conversation: Conversation, *, to_username: str, reason: str
) -> HandOff:
    """Move the conversation to another worker in the team, with a reason (counted, audited).
    The new owner holds it at once and becomes the person's key worker."""
    access.check(actor, user, conversation, action="conversations.hand_off")
    if not access.may_hand_off(user, conversation):
        raise refuse(
            actor,
            "conversations.hand_off",
            "Only the worker who holds this conversation, or their team manager, can hand it off.",
            person=conversation.person_id,
            detail={"conversation": conversation.pk},
        )
    target = team_workers(conversation.team).filter(username=to_username).first()
    problems: dict[str, str] = {}
    if not conversation.is_open:
        problems["to"] = "This conversation has ended"
    elif target is None:
        problems["to"] = "Choose a worker in the team"
    elif target.pk == conversation.owner_id:
        problems["to"] = "Choose someone other than the worker who holds it now"
    if not reason.strip():
        problems["reason"] = "Say why the conversation is changing hands"
    elif len(reason) > MAX_NOTE:
        problems["reason"] = f"The reason must be {MAX_NOTE:,} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    assert target is not None
    now = timezone.now()
    with transaction.atomic():
        handed = HandOff.objects.create(
            conversation=conversation,
            from_owner=conversation.owner,
            to_owner=target,
            reason=reason.strip(),
            at=now,
        )
        _move_key_worker(conversation, target, user, now)
        conversation.owner = target
        conversation.save(update_fields=["owner"])
        _audit(
            actor,
            conversation,
            "conversations.hand_off",
            reason=reason.strip(),
            from_owner=handed.from_owner.username,
            to_owner=target.username,
        )
    return handed


def _move_key_worker(conversation: Conversation, target: User, by: User, now: datetime) -> None:
    Allocation.objects.filter(
        person_id=conversation.person_id,
        team=conversation.team,
        worker_id=conversation.owner_id,
        ended_at__isnull=True,
    ).update(ended_at=now)
    Allocation.objects.create(
        person_id=conversation.person_id,
        team=conversation.team,
        worker=target,
        allocated_by=by,
        allocated_at=now,
        basis=Allocation.Basis.CASELOAD,
    )


def agree_outcome(
    actor: Actor, user: User, conversation: Conversation, outcome: str
) -> AgreedOutcome:
    """Conversation 3: an outcome agreed with the person, in their words."""
    access.require_owner(actor, user, conversation, action="conversations.agree_outcome")
    problems: dict[str, str] = {}
    if conversation.kind != Kind.GOOD_LIFE:
        problems["agreed_outcome"] = "Outcomes are agreed in conversation 3"
    elif not conversation.is_open:
        problems["agreed_outcome"] = "This conversation has ended"
    elif not outcome.strip():
        problems["agreed_outcome"] = "Enter the outcome, in the person's words"
    elif len(outcome) > MAX_NOTE:
        problems["agreed_outcome"] = f"The outcome must be {MAX_NOTE:,} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        agreed = AgreedOutcome.objects.create(
            conversation=conversation, outcome=outcome.strip(), agreed_at=timezone.now()
        )
        _schedule_review(actor, conversation)
        _audit(actor, conversation, "conversations.agree_outcome", outcome_id=agreed.pk)
    return agreed


def _schedule_review(actor: Actor, conversation: Conversation) -> None:
    """Reviews proportionate to risk start with the first agreed outcome (reviews.py keeps the
    one waiting when called again)."""
    reviews.schedule_for_conversation(conversation, actor=actor)


def set_risk(actor: Actor, user: User, conversation: Conversation, risk: str) -> Conversation:
    from upstream.conversations.models import Risk

    access.require_owner(actor, user, conversation, action="conversations.risk")
    if risk not in Risk.values:
        raise InvalidFields({"risk": "Choose low, medium or high"})
    conversation.risk = risk
    conversation.save(update_fields=["risk"])
    _audit(actor, conversation, "conversations.risk", risk=risk)
    return conversation


def _audit(actor: Actor, conversation: Conversation, action: str, **detail: object) -> None:
    record(
        actor,
        Event(
            action=action,
            person=conversation.person_id,
            detail={"conversation": conversation.pk, "kind": conversation.kind, **detail},
        ),
    )
