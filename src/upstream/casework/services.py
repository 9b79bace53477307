"""What the pages and the API do, in one place: decide access, build the story, audit it.

Every read of a person's or household's data, and every refusal, writes an audit entry here,
so the pages and their JSON twins are audited the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.access import Access, access_to_person, may_search, working_relationships
from upstream.casework.models import Allocation
from upstream.casework.search import Query, find_people
from upstream.casework.story import (
    HouseholdStory,
    Period,
    PersonStory,
    household_access,
    household_story,
    person_story,
)
from upstream.errors import InputError
from upstream.governance.audit import Actor, Event, record
from upstream.governance.pseudonyms import person_for, pseudonym_for
from upstream.people.models import Household, Person, PersonLineage


class Denied(Exception):  # noqa: N818 (an outcome, named as the page says it)
    """Refused (and audited). `person_id` is set when recording a reason would help."""

    def __init__(self, message: str, person_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.person_id = person_id


class NotFound(Exception):  # noqa: N818
    pass


class Moved(Exception):  # noqa: N818
    """The person ID was merged or split into another (PersonLineage): follow it."""

    def __init__(self, person_id: str) -> None:
        super().__init__(person_id)
        self.person_id = person_id


def refuse(
    actor: Actor,
    action: str,
    message: str,
    *,
    person: str = "",
    household: str = "",
    detail: dict[str, Any] | None = None,
) -> Denied:
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


def _read_event(
    action: str, access: Access, *, person: str = "", household: str = "", detail: dict[str, Any]
) -> Event:
    return Event(
        action=action,
        person=person,
        household=household,
        purpose=access.purpose.value if access.purpose else "",
        reason=access.reason,
        detail={"basis": access.basis, "sources": sorted(access.sources), **detail},
    )


def _person(person_id: str) -> Person:
    person = Person.objects.filter(person_id=person_id).first()
    if person is not None:
        return person
    moved = PersonLineage.objects.filter(old_person_id=person_id).order_by("-id").first()
    if moved is not None:
        raise Moved(moved.new_person_id)
    raise NotFound(person_id)


def period_detail(period: Period) -> dict[str, str]:
    return {
        "agency": period.agency,
        "from": period.start.isoformat() if period.start else "",
        "to": period.end.isoformat() if period.end else "",
    }


def view_person(
    actor: Actor, user: User, person_id: str, period: Period, *, view: str = "person page"
) -> PersonStory:
    """A person's story for this viewer, audited; Denied (audited) without access."""
    access = access_to_person(user, person_id)
    if not access.allowed and user.role_enum not in {
        Role.PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR_OFFICER,
    }:
        raise refuse(actor, "view-person", access.message, person=person_id, detail={"view": view})
    person = _person(person_id)
    if not access.allowed:
        raise refuse(actor, "view-person", access.message, person=person_id, detail={"view": view})
    story = person_story(person, user, access, period)
    record(
        actor,
        _read_event(
            "view-person", access, person=person_id, detail={"view": view, **period_detail(period)}
        ),
    )
    return story


def view_household(
    actor: Actor, user: User, household_id: str, period: Period, *, view: str = "household page"
) -> HouseholdStory:
    if user.role_enum == Role.ANALYST:
        raise refuse(
            actor,
            "view-household",
            "Household pages show addresses; analysts see pseudonymised person records only.",
            household=household_id,
        )
    household = Household.objects.filter(household_id=household_id).first()
    if household is None:
        if user.role_enum not in {
            Role.PRACTITIONER,
            Role.TEAM_MANAGER,
            Role.FRONT_DOOR_OFFICER,
            Role.DATA_PROTECTION_OFFICER,
        }:
            raise refuse(
                actor,
                "view-household",
                "Your role does not include seeing people's records.",
                household=household_id,
            )
        raise NotFound(household_id)
    access = household_access(user, household)
    if access is None:
        raise refuse(
            actor,
            "view-household",
            "You do not have a working relationship with anyone in this household.",
            household=household_id,
            detail={"view": view},
        )
    story = household_story(household, user, access, period)
    shown = tuple(sorted({m.person_id for m in story.members}))
    event = _read_event(
        "view-household",
        access,
        household=household_id,
        detail={"view": view, **period_detail(period)},
    )
    record(actor, Event(**{**event.__dict__, "people_shown": shown}))
    return story


@dataclass(frozen=True)
class Result:
    person_id: str
    name: str
    date_of_birth: str
    postcode: str
    relationship: str  # allocated, team or "" (record a reason to open)

    @property
    def born(self) -> str:
        """The date of birth as people read it: 14 Feb 1988."""
        return (
            date.fromisoformat(self.date_of_birth).strftime("%-d %b %Y")
            if self.date_of_birth
            else ""
        )


def search_people(actor: Actor, user: User, query: Query) -> list[Result]:
    """Find people; analysts by pseudonym only (a name search would re-identify people)."""
    if not may_search(user):
        raise refuse(
            actor,
            "search",
            "Your role does not include finding people's records.",
            detail=query.as_detail(),
        )
    if user.role_enum == Role.ANALYST:
        return _search_pseudonym(actor, query)
    people = find_people(query)
    relationships = working_relationships(user, [p.person_id for p in people])
    results = [
        Result(
            p.person_id,
            f"{p.given_name} {p.family_name}".strip(),
            p.date_of_birth.isoformat() if p.date_of_birth else "",
            p.current_postcode,
            relationships.get(p.person_id, ""),
        )
        for p in people
    ]
    _audit_search(actor, query, results)
    return results


def _search_pseudonym(actor: Actor, query: Query) -> list[Result]:
    if query.name or query.date_of_birth or query.postcode:
        raise refuse(
            actor,
            "search",
            "Analysts find pseudonymised records by pseudonym only.",
            detail=query.as_detail(),
        )
    person_id = person_for(query.identifier) if query.identifier else None
    person = Person.objects.filter(person_id=person_id).first() if person_id else None
    results = (
        [
            Result(
                person.person_id,
                pseudonym_for(person.person_id),
                "",
                person.current_postcode.split(" ")[0],
                "",
            )
        ]
        if person
        else []
    )
    _audit_search(actor, query, results)
    return results


def _audit_search(actor: Actor, query: Query, results: list[Result]) -> None:
    record(
        actor,
        Event(
            action="search",
            people_shown=tuple(r.person_id for r in results),
            detail={**query.as_detail(), "results": len(results)},
        ),
    )


# Allocations: team managers put people on their team's caseload and allocate a key worker.


def allocate(actor: Actor, manager: User, person_id: str, worker_username: str) -> Allocation:
    if manager.role_enum != Role.TEAM_MANAGER or not manager.team:
        raise refuse(
            actor,
            "allocate",
            "Only a team manager can allocate people to their team.",
            person=person_id,
        )
    if not Person.objects.filter(person_id=person_id).exists():
        raise InputError("No person has this ID", where="person_id")
    worker = None
    if worker_username:
        worker = User.objects.filter(username=worker_username, team=manager.team).first()
        if worker is None:
            raise InputError("Select a practitioner in your team", where="worker")
    for old in Allocation.objects.filter(
        person_id=person_id, team=manager.team, ended_at__isnull=True
    ):
        old.ended_at = timezone.now()
        old.save(update_fields=["ended_at"])
    allocation = Allocation.objects.create(
        person_id=person_id,
        team=manager.team,
        worker=worker,
        allocated_by=manager,
        allocated_at=timezone.now(),
    )
    record(
        actor,
        Event(
            action="allocate",
            person=person_id,
            detail={"team": manager.team, "worker": worker_username},
        ),
    )
    return allocation


def end_allocation(actor: Actor, manager: User, allocation_id: int) -> Allocation:
    allocation = Allocation.objects.filter(pk=allocation_id, ended_at__isnull=True).first()
    if (
        allocation is None
        or manager.role_enum != Role.TEAM_MANAGER
        or allocation.team != manager.team
    ):
        raise refuse(
            actor,
            "end-allocation",
            "Only the team's manager can end this allocation.",
            detail={"allocation": allocation_id},
        )
    allocation.ended_at = timezone.now()
    allocation.save(update_fields=["ended_at"])
    record(
        actor,
        Event(
            action="end-allocation", person=allocation.person_id, detail={"team": allocation.team}
        ),
    )
    return allocation


def allowed_access(user: User, person_id: str) -> Access:
    return access_to_person(user, person_id)
