"""Who may see and act on a conversation (need-to-know, issue 13).

A conversation holds what matters to someone in their own words, so it is personal data in its
own right and every read and write is audited:

- its owner (the worker who stays with the person) reads and writes it;
- their team (practitioners and the team manager of the conversation's team) read it, so
  someone can answer the phone when the owner is away; the team manager may hand it off;
- anyone else in a role that works with people reads it only with a reason recorded for the
  person (governance's "break glass", reviewed by the data protection officer);
- the data protection officer reads it to answer subject-access requests;
- everyone else is refused, and the refusal is audited.

The person's agency records shown beside a conversation still go through the one access
decision (`governance.access.decide`, via the front door's story).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations.models import Conversation
from upstream.governance.access import CASEWORK_ROLES, refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import RecordedReason
from upstream.governance.purposes import default_purpose
from upstream.governance.reasons import active_reason

NOT_YOURS = "This conversation is not one your work needs."
NOT_THE_OWNER = "Only the worker who holds this conversation can change it."
TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
WORKERS = TEAM_ROLES  # who may hold a conversation


def visible(user: User) -> QuerySet[Conversation]:
    """The conversations this user may read, as a query (lists and counts use it too)."""
    role = user.role_enum
    everything = Conversation.objects.all()
    if role == Role.DATA_PROTECTION_OFFICER:
        return everything
    if role not in CASEWORK_ROLES:
        return everything.none()
    mine = Q(owner=user)
    if role in TEAM_ROLES and user.team:
        mine |= Q(team=user.team)
    reasons = RecordedReason.objects.filter(user=user).filter(_unexpired()).values("person")
    return everything.filter(mine | Q(person_id__in=reasons))


def _unexpired() -> Q:
    from django.utils import timezone

    return Q(expires_at__gt=timezone.now())


def basis(user: User, conversation: Conversation) -> str:
    """Why this user may read this conversation: 'owner', 'team', 'reason', 'subject_access'
    or '' (refused)."""
    role = user.role_enum
    if conversation.owner_id == user.pk:
        return "owner"
    if role in TEAM_ROLES and user.team and user.team == conversation.team:
        return "team"
    if role == Role.DATA_PROTECTION_OFFICER:
        return "subject_access"
    if role in CASEWORK_ROLES and active_reason(user, conversation.person_id) is not None:
        return "reason"
    return ""


def may_write(user: User, conversation: Conversation) -> bool:
    return conversation.owner_id == user.pk


def may_hand_off(user: User, conversation: Conversation) -> bool:
    """The owner, or the manager of the conversation's team (when the owner is away)."""
    if conversation.owner_id == user.pk:
        return True
    return (
        user.role_enum == Role.TEAM_MANAGER and bool(user.team) and user.team == conversation.team
    )


def see(actor: Actor, user: User, conversation: Conversation, *, action: str, **shown: Any) -> str:
    """Refuse (audited) unless the user may read the conversation; audit the read when they
    may. Returns the basis."""
    found = check(actor, user, conversation, action=action)
    record(
        actor,
        Event(
            action=action,
            person=conversation.person_id,
            purpose=_purpose(user),
            detail={"conversation": conversation.pk, "basis": found, **shown},
        ),
    )
    return found


def check(actor: Actor, user: User, conversation: Conversation, *, action: str) -> str:
    """Refuse (audited) unless the user may read the conversation (the caller audits the read)."""
    found = basis(user, conversation)
    if not found:
        raise refuse(
            actor,
            action,
            NOT_YOURS,
            person=conversation.person_id,
            detail={"conversation": conversation.pk},
        )
    return found


def require_owner(actor: Actor, user: User, conversation: Conversation, *, action: str) -> None:
    """Refuse (audited) unless the user holds the conversation: one worker stays with the
    person, so nobody else writes in it (a change of worker is a hand-off, with a reason)."""
    check(actor, user, conversation, action=action)
    if not may_write(user, conversation):
        raise refuse(
            actor,
            action,
            NOT_THE_OWNER,
            person=conversation.person_id,
            detail={"conversation": conversation.pk},
        )


def require_role(actor: Actor, user: User, roles: frozenset[Role], action: str, what: str) -> None:
    if user.role_enum not in roles:
        raise refuse(actor, action, f"Your role does not include {what}.")


def require_team(actor: Actor, user: User, action: str, what: str) -> str:
    """The user's team, refusing (audited) practitioners and managers who are in none."""
    require_role(actor, user, TEAM_ROLES, action, what)
    if not user.team:
        raise refuse(actor, action, f"You are not in a team, so there is no {what} for you.")
    return str(user.team)


def _purpose(user: User) -> str:
    found = default_purpose(user.role_enum)
    return found.value if found else ""
