"""Conversation 2, working intensively in a crisis (issue 13; domain brief §3.4): an emergency
plan (what must happen, who does it, by when), a contact log (frequent and short), and small
practical help with its amount and purpose, paid from a budget the team manager sets for the
team and financial year. Help that would spend more than is left is refused, and says how much
is left. Every write is audited; nothing is saved half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import access
from upstream.conversations.models import (
    ContactNote,
    Conversation,
    Kind,
    PlanStep,
    PracticalHelp,
    TeamBudget,
)
from upstream.conversations.waiting import CONTACT_METHODS
from upstream.errors import InvalidFields
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record

MAX_WHAT = 1000
MAX_WHO = 200
MAX_SHORT_NOTE = 500  # the contact log is short and frequent
MAX_PURPOSE = 300
MAX_HELP = Decimal("1000.00")  # small practical help; more is not this conversation's to give
MAX_BUDGET = Decimal("99999999.99")  # the column's limit


def financial_year(on: date) -> str:
    """The UK financial year a day falls in, as "2026-27" (1 April to 31 March)."""
    start = on.year if on.month >= 4 else on.year - 1
    return f"{start}-{str(start + 1)[-2:]}"


def parse_money(text: str) -> Decimal | None:
    """An amount in pounds as typed ("£25", "25.50", "1,000"); None when it is not one."""
    cleaned = text.strip().removeprefix("£").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return amount


@dataclass(frozen=True)
class Budget:
    team: str
    year: str
    amount: Decimal | None  # None: not set
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return (self.amount or Decimal(0)) - self.spent


def budget_for(team: str, year: str) -> Budget:
    found = TeamBudget.objects.filter(team=team, financial_year=year).first()
    spent = PracticalHelp.objects.filter(conversation__team=team, at__date__gte=_year_start(year))
    spent = spent.filter(at__date__lte=_year_end(year))
    total = spent.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return Budget(team, year, found.amount if found else None, total)


def _year_start(year: str) -> date:
    return date(int(year[:4]), 4, 1)


def _year_end(year: str) -> date:
    return date(int(year[:4]) + 1, 3, 31)


def _require_crisis(conversation: Conversation, field: str) -> None:
    if conversation.kind != Kind.CRISIS:
        raise InvalidFields({field: "This is part of conversation 2"})
    if not conversation.is_open:
        raise InvalidFields({field: "This conversation has ended"})


def add_step(
    actor: Actor, user: User, conversation: Conversation, *, what: str, who: str, by_when: str
) -> PlanStep:
    access.require_owner(actor, user, conversation, action="conversations.plan_step")
    _require_crisis(conversation, "what")
    problems: dict[str, str] = {}
    if not what.strip():
        problems["what"] = "Enter what must happen"
    elif len(what) > MAX_WHAT:
        problems["what"] = f"Must be {MAX_WHAT:,} characters or fewer"
    if not who.strip():
        problems["who"] = "Enter who will do it"
    elif len(who) > MAX_WHO:
        problems["who"] = f"Must be {MAX_WHO} characters or fewer"
    due = _date(by_when)
    if due is None:
        problems["by_when"] = "Enter the date it must happen by, like 2026-03-27"
    elif due < timezone.localdate():
        problems["by_when"] = "The date must be today or later"
    if problems:
        raise InvalidFields(problems)
    assert due is not None
    with transaction.atomic():
        step = PlanStep.objects.create(
            conversation=conversation, what=what.strip(), who=who.strip(), by_when=due
        )
        _audit(actor, conversation, "conversations.plan_step", step=step.pk)
    return step


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def step_done(actor: Actor, user: User, conversation: Conversation, step_id: int) -> PlanStep:
    access.require_owner(actor, user, conversation, action="conversations.plan_step_done")
    _require_crisis(conversation, "what")
    step = conversation.plan_steps.filter(pk=step_id).first()
    if step is None:
        raise InvalidFields({"what": "There is no such step in this plan"})
    if step.done_at is None:
        with transaction.atomic():
            step.done_at = timezone.now()
            step.save(update_fields=["done_at"])
            _audit(actor, conversation, "conversations.plan_step_done", step=step.pk)
    return step


def add_contact(
    actor: Actor, user: User, conversation: Conversation, *, method: str, note: str
) -> ContactNote:
    access.require_owner(actor, user, conversation, action="conversations.contact")
    _require_crisis(conversation, "contact_note")
    problems: dict[str, str] = {}
    if method not in CONTACT_METHODS:
        problems["contact_method"] = "Choose how you were in touch"
    if not note.strip():
        problems["contact_note"] = "Enter a short note of the contact"
    elif len(note) > MAX_SHORT_NOTE:
        problems["contact_note"] = f"Keep it short: {MAX_SHORT_NOTE} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        contact = ContactNote.objects.create(
            conversation=conversation, at=timezone.now(), by=user, method=method, note=note.strip()
        )
        _audit(actor, conversation, "conversations.contact", method=method)
    return contact


def give_help(
    actor: Actor, user: User, conversation: Conversation, *, amount: str, purpose: str
) -> PracticalHelp:
    """Small practical help from the team's budget for this financial year; refused, saying
    how much is left, when it would spend more than that."""
    access.require_owner(actor, user, conversation, action="conversations.help")
    _require_crisis(conversation, "amount")
    problems: dict[str, str] = {}
    money = parse_money(amount)
    if money is None:
        problems["amount"] = "Enter the amount in pounds, like 25.50"
    elif money <= 0:
        problems["amount"] = "The amount must be more than £0"
    elif money > MAX_HELP:
        problems["amount"] = f"Practical help is small: £{MAX_HELP:,.2f} or less at a time"
    if not purpose.strip():
        problems["purpose"] = "Enter what the help is for"
    elif len(purpose) > MAX_PURPOSE:
        problems["purpose"] = f"Must be {MAX_PURPOSE} characters or fewer"
    if problems:
        raise InvalidFields(problems)
    assert money is not None
    now = timezone.now()
    year = financial_year(timezone.localdate(now))
    with transaction.atomic():
        # The budget row is locked so two workers cannot both spend the last of it.
        locked = (
            TeamBudget.objects.select_for_update()
            .filter(team=conversation.team, financial_year=year)
            .first()
        )
        if locked is None:
            raise InvalidFields(
                {
                    "amount": f"Your team has no budget for practical help in {year} yet: ask your team manager to set one"
                }
            )
        left = budget_for(conversation.team, year).left
        if money > left:
            raise InvalidFields(
                {
                    "amount": f"That is more than is left of the team's budget for {year}: £{left:,.2f} left"
                }
            )
        given = PracticalHelp.objects.create(
            conversation=conversation, amount=money, purpose=purpose.strip(), at=now, by=user
        )
        _audit(actor, conversation, "conversations.help", amount=str(money), year=year)
    return given


def set_budget(actor: Actor, manager: User, *, year: str, amount: str) -> TeamBudget:
    """The team manager sets the team's budget for practical help for a financial year (not
    below what has already been given that year)."""
    if manager.role_enum != Role.TEAM_MANAGER or not manager.team:
        raise refuse(actor, "conversations.budget", "Only a team manager sets the team's budget.")
    team = str(manager.team)
    problems: dict[str, str] = {}
    if not _is_year(year):
        problems["year"] = "Enter the financial year like 2026-27"
    money = parse_money(amount)
    if money is None:
        problems["amount"] = "Enter the budget in pounds, like 5000"
    elif money < 0:
        problems["amount"] = "The budget cannot be less than £0"
    elif money > MAX_BUDGET:
        problems["amount"] = "The budget is too large"
    elif not problems:
        spent = budget_for(team, year).spent
        if money < spent:
            problems["amount"] = (
                f"£{spent:,.2f} has already been given in {year}: the budget cannot be less"
            )
    if problems:
        raise InvalidFields(problems)
    assert money is not None
    with transaction.atomic():
        budget, _ = TeamBudget.objects.update_or_create(
            team=team,
            financial_year=year,
            defaults={"amount": money, "set_by": manager, "set_at": timezone.now()},
        )
        record(
            actor,
            Event(
                action="conversations.budget",
                detail={"team": team, "year": year, "amount": str(money)},
            ),
        )
    return budget


def _is_year(year: str) -> bool:
    if len(year) != 7 or year[4] != "-" or not (year[:4] + year[5:]).isdigit():
        return False
    return int(year[5:]) == (int(year[:4]) + 1) % 100


def _audit(actor: Actor, conversation: Conversation, action: str, **detail: object) -> None:
    record(
        actor,
        Event(
            action=action,
            person=conversation.person_id,
            detail={"conversation": conversation.pk, **detail},
        ),
    )
