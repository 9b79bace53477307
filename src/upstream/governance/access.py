"""Need-to-know: the one decision on who may see a person's or a household's records.

`decide` is the only way to anyone's records. Every page, download, API route, flags view and
override calls it once per request and passes the `Decision` on (the person page hands its
decision to the flags cards below it). It refuses (audited, raising `Denied`) before anyone
looks the person up, so a refusal never says whether someone exists.

- practitioners, team managers and front-door officers see people they have a working
  relationship with (allocated to them, or on their team's caseload), or anyone after recording
  a reason ("break glass", queued for the data protection officer's review);
- analysts see pseudonymised records only, and open them by pseudonym;
- the data protection officer sees records to answer subject-access requests;
- citizens, commissioners and administrators see no one's record here.

A household is seen when at least one person who lived there may be seen; its decision is that
person's (its purpose decides the sources shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.errors import Denied
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation, RecordedReason
from upstream.governance.pseudonyms import PREFIX as PSEUDONYM
from upstream.governance.pseudonyms import person_for
from upstream.governance.purposes import Purpose, default_purpose
from upstream.governance.reasons import active_reason
from upstream.governance.register import permitted_sources

CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER})
SEARCH_ROLES = CASEWORK_ROLES | {Role.DATA_PROTECTION_OFFICER, Role.ANALYST}

BASIS_LABELS = {
    "allocated": "Allocated to you",
    "team": "On your team's caseload",
    "reason": "Reason recorded",
    "pseudonymised": "Pseudonymised for analysis",
    "subject_access": "Subject-access request",
    "": "No working relationship",
}

NO_RECORDS = "Your role does not include seeing people's records."
NO_RELATIONSHIP = (
    "You do not have a working relationship with this person. "
    "To see their record, record why you need to."
)
NO_HOUSEHOLD_RELATIONSHIP = "You do not have a working relationship with anyone in this household."
PSEUDONYM_ONLY = "Analysts open pseudonymised records by pseudonym only."
NO_HOUSEHOLDS_FOR_ANALYSTS = (
    "Household pages show addresses; analysts see pseudonymised person records only."
)


@dataclass(frozen=True)
class Decision:
    """Who may see whose records now: for what purpose, on what basis, from which sources."""

    user_id: int
    role: Role
    person_id: str  # the real person ID ("" for a household)
    asked_for: str  # the ID asked for: a pseudonym when an analyst asks
    purpose: Purpose
    basis: str  # allocated, team, reason, pseudonymised or subject_access
    sources: frozenset[str]  # the register's dataset codes this role may see for this purpose
    reason: str = ""  # the recorded reason this access rests on, if any
    reason_id: int | None = None
    household_id: str = ""

    @property
    def pseudonymised(self) -> bool:
        return self.basis == "pseudonymised"

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


# Tests watch every decision made during a request (one per request, whatever the page).
_watchers: list[list[str]] = []


@contextmanager
def watching() -> Iterator[list[str]]:
    """The views named in every call of `decide` while this is open, in order."""
    calls: list[str] = []
    _watchers.append(calls)
    try:
        yield calls
    finally:
        _watchers.remove(calls)


def decide(
    actor: Actor,
    user: User,
    *,
    action: str,
    view: str,
    person: str = "",
    household: str = "",
    members: Callable[[], Iterable[str]] | None = None,
    no_basis: str = NO_RELATIONSHIP,
) -> Decision:
    """The one access decision for anything that shows a person's or a household's records:
    pages, downloads, flags, overrides and the API. For a household, `members` lists the
    people who lived there (asked only once the role may see records at all). Refuses
    (audited) with `Denied`; `no_basis` is the refusal for a caseworker without a working
    relationship or a recorded reason (an allocation says why it needs one)."""
    for calls in _watchers:
        calls.append(view)
    if household:
        return _decide_household(actor, user, household, members, action=action, view=view)
    real = _real_person(actor, user, person, action=action, view=view)
    granted = _grant(user, real)
    if granted is None:
        message = no_basis if user.role_enum in CASEWORK_ROLES else NO_RECORDS
        raise refuse(actor, action, message, person=real, detail={"view": view})
    return _decision(user, granted, person_id=real, asked_for=person)


def _real_person(actor: Actor, user: User, person: str, *, action: str, view: str) -> str:
    """The person behind the ID asked for: analysts ask by pseudonym, and only by pseudonym."""
    if user.role_enum != Role.ANALYST:
        return person
    real = person_for(person) if person.upper().startswith(PSEUDONYM) else None
    if real is None:
        raise refuse(actor, action, PSEUDONYM_ONLY, person=person, detail={"view": view})
    return real


def _decide_household(
    actor: Actor,
    user: User,
    household: str,
    members: Callable[[], Iterable[str]] | None,
    *,
    action: str,
    view: str,
) -> Decision:
    role = user.role_enum
    if role == Role.ANALYST:
        raise refuse(
            actor, action, NO_HOUSEHOLDS_FOR_ANALYSTS, household=household, detail={"view": view}
        )
    if role in CASEWORK_ROLES | {Role.DATA_PROTECTION_OFFICER}:
        for person_id in members() if members else ():
            granted = _grant(user, person_id)
            if granted is not None:
                return _decision(user, granted, household_id=household, asked_for=household)
    # The same answer whether or not the household exists: household IDs are built from
    # addresses, so a different answer would tell anyone who lives where.
    message = NO_HOUSEHOLD_RELATIONSHIP if role in CASEWORK_ROLES else NO_RECORDS
    raise refuse(actor, action, message, household=household, detail={"view": view})


@dataclass(frozen=True)
class _Grant:
    basis: str
    purpose: Purpose
    reason: str = ""
    reason_id: int | None = None


def _grant(user: User, person_id: str) -> _Grant | None:
    """On what basis this user may see this person now, if any (unaudited: `decide` audits)."""
    role = user.role_enum
    if role == Role.ANALYST:
        return _Grant("pseudonymised", Purpose.ANALYSIS)
    if role == Role.DATA_PROTECTION_OFFICER:
        return _Grant("subject_access", Purpose.SUBJECT_ACCESS)
    purpose = default_purpose(role)
    if role not in CASEWORK_ROLES or purpose is None:
        return None
    recorded = active_reason(user, person_id)
    if recorded is not None:
        return _Grant("reason", Purpose(recorded.purpose), recorded.reason, recorded.pk)
    relationship = working_relationship(user, person_id)
    return _Grant(relationship, purpose) if relationship else None


def _decision(user: User, granted: _Grant, **subject: str) -> Decision:
    return Decision(
        user_id=user.pk,
        role=user.role_enum,
        person_id=subject.get("person_id", ""),
        asked_for=subject["asked_for"],
        purpose=granted.purpose,
        basis=granted.basis,
        sources=permitted_sources(user.role_enum, granted.purpose),
        reason=granted.reason,
        reason_id=granted.reason_id,
        household_id=subject.get("household_id", ""),
    )


def refuse(
    actor: Actor,
    action: str,
    message: str,
    *,
    person: str = "",
    household: str = "",
    detail: dict[str, Any] | None = None,
) -> Denied:
    """Audit a refusal and return the error to raise (the refusal page offers to record a
    reason for `person` when the viewer's role can)."""
    record(
        actor,
        Event(
            action=action,
            outcome="denied",
            person=person,
            household=household,
            reason=message,
            detail=detail or {},
        ),
    )
    return Denied(message, person)


def require_dpo(actor: Actor, user: User, action: str) -> None:
    """The data protection officer's pages and API: refused (audited) for everyone else."""
    if user.role_enum != Role.DATA_PROTECTION_OFFICER:
        refuse(actor, action, "data protection officer only")
        raise PermissionDenied("This is for the data protection officer.")


def may_search(user: User) -> bool:
    return user.role_enum in SEARCH_ROLES


def may_record_reason(user: User) -> bool:
    """Only roles that work with people record reasons: analysts see pseudonyms and the data
    protection officer works under subject access without one."""
    return user.role_enum in CASEWORK_ROLES


# Working relationships: allocations to a worker or to their team.


def active_allocations(person_id: str) -> Q:
    return Q(person_id=person_id, ended_at__isnull=True)


def working_relationship(user: User, person_id: str) -> str:
    """'allocated', 'team' or '' for this user and person."""
    rows = Allocation.objects.filter(active_allocations(person_id))
    mine = Q(worker=user)
    if user.team:
        mine |= Q(team=user.team)
    found = list(rows.filter(mine).values_list("worker_id", flat=True)[:10])
    if not found:
        return ""
    return "allocated" if user.pk in found else "team"


def working_relationships(user: User, person_ids: list[str]) -> dict[str, str]:
    """The relationship for each of many people in two queries (for search results)."""
    rows = Allocation.objects.filter(person_id__in=person_ids, ended_at__isnull=True)
    mine = Q(worker=user) | (Q(team=user.team) if user.team else Q(pk__in=[]))
    found: dict[str, str] = {}
    for person_id, worker_id in rows.filter(mine).values_list("person_id", "worker_id"):
        if worker_id == user.pk or found.get(person_id) != "allocated":
            found[person_id] = "allocated" if worker_id == user.pk else "team"
    return found


def caseload(user: User) -> Q:
    """The active allocations a user works from: their own, and their team's."""
    own = Q(worker=user)
    team = Q(team=user.team) if user.team else Q(pk__in=[])
    return Q(ended_at__isnull=True) & (own | team)


def now_allocations(person_id: str) -> list[Allocation]:
    return list(
        Allocation.objects.filter(active_allocations(person_id))
        .select_related("worker")
        .order_by("allocated_at")
    )


def visible_people(user: User, person_ids: list[str]) -> set[str]:
    """Which of these people the user may open now, in two queries (household members shown
    on a page, and other people's rows in a flag's evidence, under the page's decision)."""
    role = user.role_enum
    if role in {Role.ANALYST, Role.DATA_PROTECTION_OFFICER}:
        return set(person_ids)
    if role not in CASEWORK_ROLES:
        return set()
    reasons = RecordedReason.objects.filter(
        user=user, person__in=person_ids, expires_at__gt=timezone.now()
    ).values_list("person", flat=True)
    return set(working_relationships(user, person_ids)) | set(reasons)
