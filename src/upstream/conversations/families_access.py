"""Who may see and change a team-around-the-family plan (issue 13: "members from partner
organisations see the plan and their own actions, nothing else").

- The key worker, and practitioners and team managers in the plan's team (the household's team,
  which holds the working relationship), see the whole plan and change it.
- A member with an account here who is not on the household's team (a partner professional, a
  service provider, or a council worker from another team) is a *partner member*: they see the
  plan (outcomes, actions, meetings), the members' names, organisations and roles, and the key
  worker's contact; never the household's records, its address or ID, nor other members'
  contact details. They mark their own actions done, and nothing else.
- Everyone else is refused, and the refusal audited.

Starting a plan shows a household, so it rests on the one access decision
(`governance.access.decide`) for that household, as the household page does. A plan page shows
no one's agency records: its access is the plan's own need-to-know, decided here.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations.models import FamilyAction, FamilyMember, FamilyPlan
from upstream.governance import access
from upstream.governance.access import Decision, refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.purposes import default_purpose
from upstream.people.models import HouseholdMembership

KEY_WORKERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})

NOT_IN_THE_PLAN = "This family plan is for the team around the family only."
TEAM_ONLY = "Only the key worker and the household's team change the plan."
NOT_YOUR_ACTION = "Only the person an action is given to, or the key worker, marks it done."
NOT_A_KEY_WORKER = "Family plans are started by practitioners and team managers in a team."


class Standing(StrEnum):
    """How a user stands to a plan; it decides what the plan page shows them."""

    KEY_WORKER = "key_worker"
    TEAM = "team"
    PARTNER = "partner"
    NONE = ""

    @property
    def is_team(self) -> bool:
        return self in {Standing.KEY_WORKER, Standing.TEAM}


def standing(user: User, plan: FamilyPlan) -> Standing:
    if plan.key_worker_id == user.pk:
        return Standing.KEY_WORKER
    if user.role_enum in KEY_WORKERS and user.team and user.team == plan.team:
        return Standing.TEAM
    if member_of(user, plan) is not None:
        return Standing.PARTNER
    return Standing.NONE


def member_of(user: User, plan: FamilyPlan) -> FamilyMember | None:
    """The user's own, current place in the plan's team, if they have one."""
    return plan.members.filter(user=user, left_at__isnull=True).first()


def visible_plans(user: User) -> QuerySet[FamilyPlan]:
    """The plans this user may open (their lists and counts use it too)."""
    mine = Q(key_worker=user) | Q(members__user=user, members__left_at__isnull=True)
    if user.role_enum in KEY_WORKERS and user.team:
        mine |= Q(team=user.team)
    return FamilyPlan.objects.filter(mine).distinct()


def see_plan(actor: Actor, user: User, plan: FamilyPlan, *, action: str) -> Standing:
    """Refuse (audited) unless the user stands in the plan; audit the read when they do."""
    found = standing(user, plan)
    if found == Standing.NONE:
        raise _refused(actor, plan, action, NOT_IN_THE_PLAN)
    record(actor, _event(user, plan, action, found))
    return found


def change_plan(actor: Actor, user: User, plan: FamilyPlan, *, action: str) -> Standing:
    """Refuse (audited) unless the user is the key worker or on the household's team (the
    write itself is audited by the service that makes it)."""
    found = standing(user, plan)
    if not found.is_team:
        raise _refused(actor, plan, action, NOT_IN_THE_PLAN if not found else TEAM_ONLY)
    return found


def complete_action(actor: Actor, user: User, item: FamilyAction, *, action: str) -> Standing:
    """The action's owner, or the key worker and team, may mark it done; no one else."""
    plan = item.plan
    found = standing(user, plan)
    if found.is_team or (found and item.owner.user_id == user.pk):
        return found
    raise _refused(actor, plan, action, NOT_IN_THE_PLAN if not found else NOT_YOUR_ACTION)


def decide_household(actor: Actor, user: User, household_id: str, *, view: str) -> Decision:
    """The one access decision for the household a plan is started for; only key workers may
    start one (refused, audited, before the decision for anyone else)."""
    if user.role_enum not in KEY_WORKERS or not user.team:
        raise refuse(actor, "families.plan.start", NOT_A_KEY_WORKER, household=household_id)
    return access.decide(
        actor,
        user,
        household=household_id,
        members=lambda: household_members(household_id),
        action="families.plan.start",
        view=view,
    )


def household_members(household_id: str) -> list[str]:
    return list(
        HouseholdMembership.objects.filter(household_id=household_id).values_list(
            "person_id", flat=True
        )
    )


def _event(user: User, plan: FamilyPlan, action: str, found: Standing) -> Event:
    purpose = default_purpose(user.role_enum)
    return Event(
        action=action,
        household=plan.household_id,
        purpose=purpose.value if purpose else "",
        detail={"plan": plan.pk, "standing": found.value},
    )


def _refused(actor: Actor, plan: FamilyPlan, action: str, message: str) -> Exception:
    return refuse(actor, action, message, household=plan.household_id, detail={"plan": plan.pk})
