"""Team-around-the-family pages: the worker's family plans (with the Supporting Families
households on their caseload, where a plan can start), starting a plan for a household, the plan
page, adding members, outcomes and actions, recording a multi-agency meeting, closing the plan,
and "Your family plan actions" for anyone given an action.

Thin: each view reads the form, asks `families_access` who may do it, and calls `families`
(which checks the whole form and audits). Refusals are domain errors the web edge answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.casework.views import ids_checked
from upstream.conversations import families, families_forms
from upstream.conversations import families_access as plan_access
from upstream.conversations.families_access import Standing
from upstream.conversations.models import (
    Achieved,
    FamilyAction,
    FamilyPlan,
    Risk,
    SupportingFamiliesArea,
)
from upstream.edge.twins import Table, respond
from upstream.errors import InvalidFields
from upstream.frontdoor import lists
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record
from upstream.people.models import Household

# Roles whose work can put them in a team around the family (the list pages refuse the rest).
LIST_ROLES = families.MEMBER_ROLES


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _plan_or_404(plan_id: int) -> FamilyPlan:
    return get_object_or_404(FamilyPlan.objects.select_related("key_worker"), pk=plan_id)


def _require_list_role(actor: Actor, user: User, action: str) -> None:
    if user.role_enum not in LIST_ROLES:
        raise refuse(actor, action, "Your role does not include family plans.")


def _day(when: Any) -> str:
    return f"{when:%-d %b %Y}" if when else ""


# The worker's plans, and where a plan starts.

PLAN_COLUMNS = (
    lists.Column("plan", "Family plan", "pk"),
    lists.Column("household", "Household", "household_id"),
    lists.Column("key_worker", "Key worker", "key_worker__last_name"),
    lists.Column("started", "Started", "started_at"),
    lists.Column("status", "Status", "closed_at"),
)


def _plan_row(user: User) -> Callable[[FamilyPlan], dict[str, Any]]:
    def row(plan: FamilyPlan) -> dict[str, Any]:
        on_team = plan_access.standing(user, plan).is_team
        return {
            "plan": f"Family plan {plan.pk}",
            "link": reverse("families:plan", args=[plan.pk]),
            # The household ID is built from the address: partner members never see it.
            "household": plan.household_id if on_team else "Not shown to partners",
            "key_worker": families.display_name(plan.key_worker),
            "started": _day(plan.started_at),
            "status": f"Closed {_day(plan.closed_at)}" if plan.closed_at else "Open",
        }

    return row


@login_required
def plans_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    _require_list_role(actor, user, "families.plans")
    plans = plan_access.visible_plans(user).select_related("key_worker")
    flagged = families.flagged_households(user) if user.role_enum in plan_access.KEY_WORKERS else []
    record(
        actor,
        Event(
            action="families.plans",
            detail={"count": plans.count(), "flagged": len(flagged)},
        ),
    )
    row = _plan_row(user)
    return respond(
        request,
        "conversations/families/plans.html",
        lambda: {
            "listing": lists.list_page(plans, PLAN_COLUMNS, request.GET, row, default="started"),
            "flagged": _flagged_rows(flagged),
            "may_start": user.role_enum in plan_access.KEY_WORKERS and bool(user.team),
            "errors": _household_problem(request),
        },
        table=lambda: Table(
            "family-plans",
            lists.all_rows(plans, PLAN_COLUMNS, request.GET, row, default="started"),
            [c.key for c in PLAN_COLUMNS],
        ),
    )


def _household_problem(request: HttpRequest) -> dict[str, str]:
    if request.GET.get("problem", "") == "household":
        return {"household": "Enter the household ID, for example H-100023456789-20190401"}
    return {}


def _flagged_rows(household_ids: list[str]) -> list[dict[str, Any]]:
    plans = {
        p.household_id: p
        for p in FamilyPlan.objects.filter(household_id__in=household_ids, closed_at__isnull=True)
    }
    return [{"household_id": h, "plan": plans.get(h)} for h in household_ids]


@login_required
def start_find_page(request: HttpRequest) -> HttpResponse:
    """The household ID typed on the plans page, on to that household's start page."""
    household_id = families_forms.text(request.GET, "household", 40)
    if not household_id or "/" in household_id:
        return redirect(reverse("families:plans") + "?problem=household#household")
    return redirect("families:start", household_id=household_id)


@login_required
@ids_checked
def start_page(request: HttpRequest, household_id: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    decision = plan_access.decide_household(actor, user, household_id, view="family plan start")
    errors: dict[str, str] = {}
    if request.method == "POST":
        risk = families_forms.text(request.POST, "risk", 10)
        try:
            plan = families.start_plan(actor, user, decision, risk=risk)
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, "Family plan started. Add the team around the family.")
            return redirect("families:plan", plan_id=plan.pk)
    else:
        record(
            actor,
            Event(
                action="families.plan.start.view",
                household=household_id,
                purpose=decision.purpose.value,
                detail={"basis": decision.basis},
            ),
        )
    context = {
        "household": Household.objects.filter(household_id=household_id).first(),
        "household_id": household_id,
        "existing": families.open_plan(household_id),
        "risks": Risk.choices,
        "errors": errors,
        "form": request.POST,
    }
    return render(
        request, "conversations/families/start.html", context, status=400 if errors else 200
    )


# The plan.


@login_required
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    plan = _plan_or_404(plan_id)
    found = plan_access.see_plan(actor, user, plan, action="families.plan.view")
    return render(request, "conversations/families/plan.html", _plan_context(user, plan, found))


def _plan_context(user: User, plan: FamilyPlan, found: Standing, **more: Any) -> dict[str, Any]:
    today = timezone.localdate()
    members = list(plan.members.filter(left_at__isnull=True).order_by("joined_at", "pk"))
    actions = list(plan.actions.select_related("owner", "outcome").order_by("done_at", "due"))
    return {
        "plan": plan,
        "on_team": found.is_team,
        "members": [_member_shown(m, user, plan, found) for m in members],
        "outcomes": list(plan.outcomes.order_by("pk")),
        "actions": [_action_shown(a, user, found, today) for a in actions],
        "meetings": list(plan.meetings.prefetch_related("attended").order_by("-held_on")),
        "errors": {},
        "form": {},
        **more,
    }


def _member_shown(member: Any, user: User, plan: FamilyPlan, found: Standing) -> dict[str, Any]:
    # Partners see who is in the team and how to reach the key worker; other members' contact
    # details are for the key worker and the household's team (they arrange the work).
    shown = found.is_team or member.user_id in {user.pk, plan.key_worker_id}
    return {"member": member, "contact": member.contact if shown else ""}


def _action_shown(item: FamilyAction, user: User, found: Standing, today: Any) -> dict[str, Any]:
    mine = item.owner.user_id == user.pk
    return {
        "action": item,
        "mine": mine,
        "overdue": families.overdue(item, today),
        "may_complete": item.done_at is None and (found.is_team or mine),
    }


def _changing(
    request: HttpRequest, plan_id: int, action: str
) -> tuple[User, Actor, FamilyPlan, Standing]:
    user, actor = _user(request), _actor(request)
    plan = _plan_or_404(plan_id)
    found = plan_access.change_plan(actor, user, plan, action=action)
    return user, actor, plan, found


def _form_page(
    request: HttpRequest,
    template: str,
    plan: FamilyPlan,
    save: Callable[[], Any],
    done: str,
    **context: Any,
) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            save()
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, done)
            return redirect("families:plan", plan_id=plan.pk)
    shown = {"plan": plan, "errors": errors, "form": request.POST, **context}
    return render(request, template, shown, status=400 if errors else 200)


@login_required
def member_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    _, actor, plan, _ = _changing(request, plan_id, "families.member.add")
    return _form_page(
        request,
        "conversations/families/member.html",
        plan,
        lambda: families.add_member(actor, plan, families_forms.member(request.POST)),
        "Member added to the team around the family.",
    )


@login_required
def outcome_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    _, actor, plan, _ = _changing(request, plan_id, "families.outcome.add")
    return _form_page(
        request,
        "conversations/families/outcome.html",
        plan,
        lambda: families.add_outcome(
            actor,
            plan,
            area=families_forms.text(request.POST, "area", 30),
            outcome=families_forms.text(request.POST, "outcome"),
        ),
        "Outcome added to the plan.",
        areas=SupportingFamiliesArea.choices,
    )


@login_required
def action_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    _, actor, plan, _ = _changing(request, plan_id, "families.action.add")
    return _form_page(
        request,
        "conversations/families/action.html",
        plan,
        lambda: families.add_action(actor, plan, families_forms.action(request.POST)),
        "Action added to the plan.",
        members=list(plan.members.filter(left_at__isnull=True).order_by("joined_at", "pk")),
        outcomes=list(plan.outcomes.order_by("pk")),
    )


@login_required
def meeting_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    _, actor, plan, _ = _changing(request, plan_id, "families.meeting.record")
    return _form_page(
        request,
        "conversations/families/meeting.html",
        plan,
        lambda: families.record_meeting(actor, plan, families_forms.meeting(request.POST)),
        "Meeting recorded.",
        members=list(plan.members.filter(left_at__isnull=True).order_by("joined_at", "pk")),
        attended={str(v) for v in request.POST.getlist("attended")},
    )


@login_required
def close_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    _, actor, plan, _ = _changing(request, plan_id, "families.plan.close")
    errors: dict[str, str] = {}
    answers = families_forms.achieved(request.POST)
    if request.method == "POST":
        note = families_forms.text(request.POST, "note")
        try:
            families.close_plan(actor, plan, achieved=answers, note=note)
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, "Family plan closed.")
            return redirect("families:plan", plan_id=plan.pk)
    rows = [
        {
            "outcome": o,
            "name": f"achieved-{o.pk}",
            "answer": answers.get(o.pk, ""),
            "error": errors.get(f"achieved-{o.pk}", ""),
        }
        for o in plan.outcomes.order_by("pk")
    ]
    shown = {
        "plan": plan,
        "rows": rows,
        "achieved": Achieved.choices,
        "errors": errors,
        "form": request.POST,
    }
    return render(
        request, "conversations/families/close.html", shown, status=400 if errors else 200
    )


@login_required
@require_POST
def done_page(request: HttpRequest, action_id: int) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = get_object_or_404(FamilyAction.objects.select_related("plan", "owner"), pk=action_id)
    plan_access.complete_action(actor, user, item, action="families.action.done")
    try:
        families.complete_action(actor, item)
    except InvalidFields as problems:
        messages.error(request, "; ".join(problems.fields.values()))
    else:
        messages.success(request, f"Marked done: {families.short_text(item.action)}")
    back = families_forms.text(request.POST, "back", 20)
    if back == "mine":
        return redirect("families:my-actions")
    return redirect("families:plan", plan_id=item.plan_id)


# Your family plan actions.

ACTION_COLUMNS = (
    lists.Column("action", "Action", "action"),
    lists.Column("plan", "Family plan", "plan_id"),
    lists.Column("due", "Due", "due"),
    lists.Column("state", "State", ""),
)


def _my_action_row(item: FamilyAction) -> dict[str, Any]:
    return {
        "action": families.short_text(item.action),
        "link": reverse("families:plan", args=[item.plan_id]),
        "plan": f"Family plan {item.plan_id}",
        "due": _day(item.due),
        "state": "Overdue" if families.overdue(item) else "Due",
    }


@login_required
def my_actions_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    _require_list_role(actor, user, "families.actions.mine")
    mine = families.actions_for(user)
    overdue = mine.filter(due__lt=timezone.localdate()).count()
    record(
        actor,
        Event(action="families.actions.mine", detail={"count": mine.count(), "overdue": overdue}),
    )
    return respond(
        request,
        "conversations/families/my_actions.html",
        lambda: {
            "listing": lists.list_page(
                mine, ACTION_COLUMNS, request.GET, _my_action_row, default="due"
            ),
            "overdue": overdue,
        },
        table=lambda: Table(
            "family-plan-actions",
            lists.all_rows(mine, ACTION_COLUMNS, request.GET, _my_action_row, default="due"),
            [c.key for c in ACTION_COLUMNS],
        ),
    )
