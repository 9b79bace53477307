"""Need-to-know: who may see a person's record, on what basis, for what purpose, and which
agency sources that purpose covers.

- practitioners, team managers and front-door officers see people they have a working
  relationship with (allocated to them, or on their team's caseload), or anyone after recording
  a reason ("break glass", queued for the data protection officer's review);
- analysts see pseudonymised records only;
- the data protection officer sees records to answer subject-access requests;
- citizens, commissioners and administrators see no one's record here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.models import Allocation
from upstream.governance.models import RecordedReason
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


@dataclass(frozen=True)
class Access:
    allowed: bool
    basis: str = ""
    purpose: Purpose | None = None
    sources: frozenset[str] = frozenset()
    reason: str = ""
    message: str = ""
    reason_id: int | None = None  # the recorded reason this access rests on, if any

    @property
    def pseudonymised(self) -> bool:
        return self.basis == "pseudonymised"

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


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


def _granted(
    user: User, basis: str, purpose: Purpose | None, reason: str = "", reason_id: int | None = None
) -> Access:
    sources = permitted_sources(user.role_enum, purpose)
    return Access(True, basis, purpose, sources, reason, reason_id=reason_id)


def denied(message: str) -> Access:
    return Access(False, message=message)


def access_to_person(user: User, person_id: str) -> Access:
    """Decide whether this user may see this person's record now, and how."""
    role = user.role_enum
    if role == Role.ANALYST:
        return _granted(user, "pseudonymised", Purpose.ANALYSIS)
    if role == Role.DATA_PROTECTION_OFFICER:
        return _granted(user, "subject_access", Purpose.SUBJECT_ACCESS)
    if role not in CASEWORK_ROLES:
        return denied("Your role does not include seeing people's records.")
    grant = active_reason(user, person_id)
    if grant is not None:
        return _granted(user, "reason", Purpose(grant.purpose), grant.reason, grant.pk)
    relationship = working_relationship(user, person_id)
    if relationship:
        return _granted(user, relationship, default_purpose(role))
    return denied(
        "You do not have a working relationship with this person. "
        "To see their record, record why you need to."
    )


def may_search(user: User) -> bool:
    return user.role_enum in SEARCH_ROLES


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


def end_allocation(allocation: Allocation) -> None:
    allocation.ended_at = timezone.now()
    allocation.save(update_fields=["ended_at"])


def visible_people(user: User, person_ids: list[str]) -> set[str]:
    """Which of these people the user may open now, in two queries (for household members)."""
    role = user.role_enum
    if role in {Role.ANALYST, Role.DATA_PROTECTION_OFFICER}:
        return set(person_ids)
    if role not in CASEWORK_ROLES:
        return set()
    reasons = RecordedReason.objects.filter(
        user=user, person__in=person_ids, expires_at__gt=timezone.now()
    ).values_list("person", flat=True)
    return set(working_relationships(user, person_ids)) | set(reasons)
