"""Team around the family (issue 13): a key worker starts a family plan for a household with
several needs, brings in members from other organisations, records the outcomes the family
chose under the ten Supporting Families headline areas, gives actions an owner and a due date,
holds multi-agency meetings, and closes the plan saying how far each outcome was achieved.

Every change is checked whole before anything is saved (`InvalidFields` names each field) and
audited; who may make it is `families_access`'s decision, taken by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import reviews
from upstream.conversations.models import (
    Achieved,
    FamilyAction,
    FamilyMeeting,
    FamilyMember,
    FamilyOutcome,
    FamilyPlan,
    Risk,
    SupportingFamiliesArea,
)
from upstream.errors import InvalidFields
from upstream.flags.services import withdrawn_targets
from upstream.governance.access import Decision, caseload
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation
from upstream.people.models import HouseholdMembership

# Identify's Supporting Families rule set: one way into a team around the family.
SUPPORTING_FAMILIES = "supporting-families"
# Who may be a member with an account: people who work with families (never a citizen, an
# analyst or an administrator: the plan is not theirs to read).
MEMBER_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR_OFFICER,
        Role.PARTNER_PROFESSIONAL,
        Role.SERVICE_PROVIDER,
    }
)
# How far ahead an action or the next meeting may be set: a plan is reviewed well within a year.
FURTHEST_AHEAD = timedelta(days=2 * 365)
KEY_WORKER_ROLE = "Key worker"
LONG_TEXT = 4000
_Row = TypeVar("_Row", FamilyMember, FamilyOutcome)


@dataclass(frozen=True)
class DateGiven:
    """A date as the form gave it: the date, or what was wrong with it."""

    value: date | None
    problem: str = ""


@dataclass(frozen=True)
class MemberAsked:
    name: str
    organisation: str
    role: str
    contact: str = ""
    username: str = ""


@dataclass(frozen=True)
class ActionAsked:
    action: str
    owner: str  # a member's id, as the form sent it
    due: DateGiven
    outcome: str = ""  # an outcome's id, or "" for the plan as a whole


@dataclass(frozen=True)
class MeetingAsked:
    held_on: DateGiven
    attended: tuple[str, ...]  # members' ids
    family_attended: str  # "yes" or "no"
    decisions: str
    next_on: DateGiven


# Starting a plan.


def start_plan(actor: Actor, user: User, decision: Decision, *, risk: str) -> FamilyPlan:
    """A plan for the household `decision` lets the user see, with the user as key worker
    (and the plan's first member, so actions can be theirs), and its first review scheduled."""
    household_id = decision.household_id
    errors: dict[str, str] = {}
    if risk not in Risk.values:
        errors["risk"] = "Choose how much risk the family faces now"
    already = open_plan(household_id)
    if already is not None:
        errors["start"] = (
            f"This household already has an open family plan (key worker {display_name(already.key_worker)})"
        )
    if errors:
        raise InvalidFields(errors)
    now = timezone.now()
    with transaction.atomic():
        plan = FamilyPlan.objects.create(
            household_id=household_id, key_worker=user, team=user.team, started_at=now, risk=risk
        )
        FamilyMember.objects.create(
            plan=plan,
            user=user,
            name=display_name(user),
            organisation=f"Council: {user.team}",
            role=KEY_WORKER_ROLE,
            contact=user.email,
            joined_at=now,
        )
        _audit(actor, plan, "families.plan.start", risk=risk, basis=decision.basis)
        # Reviews proportionate to risk: the first is due on the policy's interval from today.
        reviews.schedule_for_plan(plan, actor=actor)
    return plan


def open_plan(household_id: str) -> FamilyPlan | None:
    return (
        FamilyPlan.objects.filter(household_id=household_id, closed_at__isnull=True)
        .select_related("key_worker")
        .first()
    )


# The team around the family.


def add_member(actor: Actor, plan: FamilyPlan, asked: MemberAsked) -> FamilyMember:
    errors = _closed(plan)
    _required(errors, "name", asked.name, "Enter the member's name", 200)
    _required(errors, "organisation", asked.organisation, "Enter their organisation", 300)
    _required(errors, "role", asked.role, "Enter their role, for example school nurse", 200)
    _longest(errors, "contact", asked.contact, 200)
    account = _account(plan, asked.username, errors)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        member = FamilyMember.objects.create(
            plan=plan,
            user=account,
            name=asked.name,
            organisation=asked.organisation,
            role=asked.role,
            contact=asked.contact,
            joined_at=timezone.now(),
        )
        _audit(actor, plan, "families.member.add", member=member.pk, account=bool(account))
    return member


def _account(plan: FamilyPlan, username: str, errors: dict[str, str]) -> User | None:
    """The member's account here, when they have one: it lets them see the plan."""
    if not username:
        return None
    user = User.objects.filter(username=username[:150], is_active=True).first()
    if user is None:
        errors["username"] = "No one has an account with this username"
    elif user.role_enum not in MEMBER_ROLES:
        errors["username"] = "This account is not for someone who works with families"
    elif plan.members.filter(user=user, left_at__isnull=True).exists():
        errors["username"] = "This person is already in the team around the family"
    return user


def add_outcome(actor: Actor, plan: FamilyPlan, *, area: str, outcome: str) -> FamilyOutcome:
    errors = _closed(plan)
    if area not in SupportingFamiliesArea.values:
        errors["area"] = "Choose the Supporting Families area this outcome is in"
    _required(errors, "outcome", outcome, "Enter the outcome, in the family's words", LONG_TEXT)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        chosen = FamilyOutcome.objects.create(plan=plan, area=area, outcome=outcome)
        _audit(actor, plan, "families.outcome.add", outcome=chosen.pk, area=area)
    return chosen


def add_action(actor: Actor, plan: FamilyPlan, asked: ActionAsked) -> FamilyAction:
    errors = _closed(plan)
    _required(errors, "action", asked.action, "Enter what needs to happen", LONG_TEXT)
    owner = _one_of(plan.members.filter(left_at__isnull=True), asked.owner)
    if owner is None:
        errors["owner"] = "Choose who will do it"
    outcome = _one_of(plan.outcomes.all(), asked.outcome) if asked.outcome else None
    if asked.outcome and outcome is None:
        errors["outcome"] = "Choose one of the family's outcomes, or the plan as a whole"
    _date_in_plan(errors, "due", asked.due, plan, "Enter the date it is due")
    if errors:
        raise InvalidFields(errors)
    assert owner is not None and asked.due.value is not None  # checked above
    with transaction.atomic():
        item = FamilyAction.objects.create(
            plan=plan, outcome=outcome, action=asked.action, owner=owner, due=asked.due.value
        )
        _audit(actor, plan, "families.action.add", action_id=item.pk, owner=owner.pk)
    return item


def complete_action(actor: Actor, item: FamilyAction) -> FamilyAction:
    """Mark an action done (once: marking it again changes nothing and audits nothing)."""
    errors = _closed(item.plan)
    if errors:
        raise InvalidFields(errors)
    if item.done_at is None:
        with transaction.atomic():
            item.done_at = timezone.now()
            item.save(update_fields=["done_at"])
            _audit(actor, item.plan, "families.action.done", action_id=item.pk)
    return item


def record_meeting(actor: Actor, plan: FamilyPlan, asked: MeetingAsked) -> FamilyMeeting:
    errors = _closed(plan)
    _date_in_plan(errors, "held_on", asked.held_on, plan, "Enter the date of the meeting")
    held = asked.held_on.value
    if "held_on" not in errors and held is not None and held > timezone.localdate():
        errors["held_on"] = "The date of the meeting must be today or in the past"
    members = list(plan.members.filter(pk__in=_ids(asked.attended)))
    if not members or len(members) != len(set(asked.attended)):
        errors["attended"] = "Choose who came from the team around the family"
    if asked.family_attended not in {"yes", "no"}:
        errors["family_attended"] = "Say whether the family came"
    _required(errors, "decisions", asked.decisions, "Enter what was decided", LONG_TEXT)
    _next_meeting(errors, asked.next_on, held)
    if errors:
        raise InvalidFields(errors)
    assert held is not None
    with transaction.atomic():
        meeting = FamilyMeeting.objects.create(
            plan=plan,
            held_on=held,
            family_attended=asked.family_attended == "yes",
            decisions=asked.decisions,
            next_on=asked.next_on.value,
        )
        meeting.attended.set(members)
        _audit(actor, plan, "families.meeting.record", meeting=meeting.pk, came=len(members))
    return meeting


def _next_meeting(errors: dict[str, str], given: DateGiven, held: date | None) -> None:
    if given.problem:
        errors["next_on"] = given.problem
    elif given.value is not None and held is not None and given.value <= held:
        errors["next_on"] = "The next meeting must be after this one"
    elif given.value is not None and given.value > timezone.localdate() + FURTHEST_AHEAD:
        errors["next_on"] = "The next meeting must be within two years"


def close_plan(
    actor: Actor, plan: FamilyPlan, *, achieved: dict[int, str], note: str
) -> FamilyPlan:
    """Close the plan: refused unless every outcome says how far it was achieved (a plan with
    no outcomes closes only with a note saying why)."""
    errors = _closed(plan)
    outcomes = list(plan.outcomes.order_by("pk"))
    for outcome in outcomes:
        if achieved.get(outcome.pk, "") not in Achieved.values:
            errors[f"achieved-{outcome.pk}"] = f"Say how far this was achieved: {_short(outcome)}"
    if not outcomes and not note:
        errors["note"] = "Say why the plan closes without outcomes"
    _longest(errors, "note", note, LONG_TEXT)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        for outcome in outcomes:
            outcome.achieved = achieved[outcome.pk]
            outcome.save(update_fields=["achieved"])
        plan.closed_at = timezone.now()
        plan.closure_note = note
        plan.save(update_fields=["closed_at", "closure_note"])
        _audit(actor, plan, "families.plan.close", achieved=_tally(outcomes))
    return plan


# What surfaces to people.


def actions_for(user: User) -> QuerySet[FamilyAction]:
    """The user's own actions not yet done, in open plans, soonest due first (so overdue
    actions come first)."""
    return (
        FamilyAction.objects.filter(
            owner__user=user,
            owner__left_at__isnull=True,
            done_at__isnull=True,
            plan__closed_at__isnull=True,
        )
        .select_related("plan", "outcome")
        .order_by("due", "pk")
    )


def overdue(item: FamilyAction, today: date | None = None) -> bool:
    return item.done_at is None and item.due < (today or timezone.localdate())


def flagged_households(user: User) -> list[str]:
    """Households flagged by identify's Supporting Families rule set where someone on the
    user's caseload lives (the working relationship a plan starts from), withdrawn rule sets
    left out."""
    if SUPPORTING_FAMILIES in withdrawn_targets():
        return []
    from upstream.flags.models import Flag

    people = Allocation.objects.filter(caseload(user)).values("person_id")
    homes = HouseholdMembership.objects.filter(person_id__in=people).values("household_id")
    found = Flag.objects.filter(
        ruleset_id=SUPPORTING_FAMILIES, subject_type="household", subject_id__in=homes
    )
    return sorted(set(found.values_list("subject_id", flat=True)))


# Checks shared by the forms.


def _closed(plan: FamilyPlan) -> dict[str, str]:
    """No change once a plan is closed (its outcomes are its record)."""
    if plan.closed_at is None:
        return {}
    return {"closed": f"This family plan closed on {plan.closed_at:%-d %B %Y}"}


def _required(errors: dict[str, str], field: str, text: str, message: str, limit: int) -> None:
    if not text:
        errors[field] = message
    else:
        _longest(errors, field, text, limit)


def _longest(errors: dict[str, str], field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        errors[field] = f"Use {limit:,} characters or fewer"


def _date_in_plan(
    errors: dict[str, str], field: str, given: DateGiven, plan: FamilyPlan, missing: str
) -> None:
    if given.problem:
        errors[field] = given.problem
    elif given.value is None:
        errors[field] = missing
    elif given.value < timezone.localtime(plan.started_at).date():
        errors[field] = (
            f"The date must be on or after the plan started ({plan.started_at:%-d %B %Y})"
        )
    elif given.value > timezone.localdate() + FURTHEST_AHEAD:
        errors[field] = "The date must be within two years"


def _ids(values: tuple[str, ...]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 12]


def _one_of(rows: QuerySet[_Row], given: str) -> _Row | None:
    ids = _ids((given,))
    return rows.filter(pk=ids[0]).first() if ids else None


def _tally(outcomes: list[FamilyOutcome]) -> dict[str, int]:
    counts = {value: 0 for value in Achieved.values}
    for outcome in outcomes:
        counts[outcome.achieved] += 1
    return counts


def _short(outcome: FamilyOutcome) -> str:
    return short_text(outcome.outcome)


def short_text(text: str, most: int = 60) -> str:
    """A long text cut for a message or a list's cell."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _audit(actor: Actor, plan: FamilyPlan, action: str, **detail: object) -> None:
    record(
        actor, Event(action=action, household=plan.household_id, detail={"plan": plan.pk, **detail})
    )
