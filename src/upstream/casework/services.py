"""What the pages and the API do, in one place: decide access, build the story, audit it.

Every read of a person's or household's data, and every refusal, writes an audit entry here,
so the pages and their JSON twins are audited the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.access import (
    CASEWORK_ROLES,
    Access,
    access_to_person,
    may_search,
    visible_people,
    working_relationships,
)
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
from upstream.flags.models import Override
from upstream.flags.services import (
    FlagCard,
    live_flags,
    record_flag_view,
    record_override,
    within,
)
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import RecordedReason
from upstream.governance.pseudonyms import PREFIX as PSEUDONYM
from upstream.governance.pseudonyms import person_for, pseudonym_for
from upstream.governance.reasons import record_reason
from upstream.governance.register import dataset_code_for
from upstream.governance.services import person_id_error
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


def decide(
    actor: Actor, user: User, person_id: str, *, action: str, view: str
) -> tuple[str, Access]:
    """The one access decision for anything that shows a person's records: pages, downloads,
    flags, overrides and the API. Returns the real person ID behind the one asked for
    (analysts ask by pseudonym) and the access granted; refuses (audited) otherwise, before
    looking the person up, so a refusal never says whether someone exists."""
    if user.role_enum == Role.ANALYST:
        real = person_for(person_id) if person_id.upper().startswith(PSEUDONYM) else None
        if real is None:
            raise refuse(
                actor,
                action,
                "Analysts open pseudonymised records by pseudonym only.",
                person=person_id,
                detail={"view": view},
            )
        person_id = real
    access = access_to_person(user, person_id)
    if not access.allowed:
        raise refuse(actor, action, access.message, person=person_id, detail={"view": view})
    return person_id, access


def view_person(
    actor: Actor, user: User, person_id: str, period: Period, *, view: str = "person page"
) -> PersonStory:
    """A person's story for this viewer, audited; Denied (audited) without access."""
    real, access = decide(actor, user, person_id, action="view-person", view=view)
    try:
        person = _person(real)
    except Moved as moved:
        if access.pseudonymised:  # following the move would show the new real ID
            raise NotFound(person_id) from None
        raise moved from None
    story = person_story(person, user, access, period)
    event = _read_event(
        "view-person", access, person=real, detail={"view": view, **period_detail(period)}
    )
    record(actor, replace(event, people_shown=story.people_shown))
    return story


@dataclass(frozen=True)
class FlagsShown:
    """A person's flags as one viewer may see them; `withheld` counts flags that rest on
    sources the viewer's purpose does not cover."""

    person_id: str
    access: Access
    cards: list[FlagCard]
    withheld: int


def person_flags(
    actor: Actor,
    user: User,
    person_id: str,
    *,
    view: str = "flags page",
    access: Access | None = None,
) -> FlagsShown:
    """The why-flagged cards through the same decision as the person page (pass `access` when
    that page has just decided it). Sources are limited by purpose; evidence about other
    household members shows only for those the viewer may open; the view is audited with
    everyone it showed."""
    if access is None:
        person_id, access = decide(actor, user, person_id, action="flag_view", view=view)
    if access.pseudonymised:
        raise refuse(
            actor,
            "flag_view",
            "Flags are shown to those who work with the person; analysts see cohorts.",
            person=person_id,
            detail={"view": view},
        )
    cards = live_flags(person_id)
    shown = _cards_within(user, person_id, access, cards)
    if cards:
        purpose = access.purpose.value if access.purpose else ""
        record_flag_view(actor, person_id, shown, purpose=purpose, view=view)
    return FlagsShown(person_id, access, shown, len(cards) - len(shown))


def _cards_within(
    user: User, person_id: str, access: Access, cards: list[FlagCard]
) -> list[FlagCard]:
    def covered(source: str) -> bool:
        return dataset_code_for(source, access.sources) is not None

    others = {
        e["person_id"]
        for c in cards
        for need in c.flag.card.get("needs", [])
        for e in need.get("evidence", [])
        if e.get("person_id") and e["person_id"] != person_id
    }
    visible = visible_people(user, sorted(others))
    narrowed = (within(c, person_id, covered, visible) for c in cards)
    return [c for c in narrowed if c is not None]


OVERRIDE_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER})


def override_flag(
    actor: Actor, user: User, flag_id: str, person_id: str, kind: str, reason: str
) -> Override:
    """Mark a flag as not right for a person: only someone who may see the person's flags now
    (the same decision as the page), and only a flag the viewer can see for this purpose."""
    if user.role_enum not in OVERRIDE_ROLES:
        raise refuse(
            actor,
            "flag_override",
            "Only those who work with people can say a flag is not right for someone.",
            person=person_id,
            detail={"flag": flag_id},
        )
    real, access = decide(actor, user, person_id, action="flag_override", view="override")
    card = next((c for c in live_flags(real) if c.flag.flag_id == flag_id), None)
    if card is None or not _cards_within(user, real, access, [card]):
        raise NotFound(flag_id)
    if kind not in dict(Override.KINDS) or not reason.strip():
        raise InputError("Choose why and give a reason", where="reason")
    return record_override(actor, card.flag, real, kind, reason.strip()[:2000], user)


def record_access_reason(
    actor: Actor, user: User, person_id: str, purpose: str, reason: str
) -> RecordedReason:
    """Break glass: record why you need to see a person's record. Only for roles that work with
    people (analysts see pseudonyms and the DPO works under subject access without one); the
    page and the API call this, so they refuse the same roles."""
    check_may_record_reason(actor, user, person_id)
    return record_reason(actor, user, person_id, purpose, reason)


def check_may_record_reason(actor: Actor, user: User, person_id: str) -> None:
    """Refuse (audited) a role that may not record a reason, before it sees the form."""
    if user.role_enum not in CASEWORK_ROLES:
        raise refuse(
            actor,
            "record-reason",
            "Your role does not include seeing people's records.",
            person=person_id,
        )


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
    access = household_access(user, household) if household is not None else None
    if access is None:
        # The same answer whether or not the household exists: household IDs are built from
        # addresses, so a different answer would tell anyone who lives where.
        raise refuse(
            actor,
            "view-household",
            "You do not have a working relationship with anyone in this household."
            if user.role_enum in CASEWORK_ROLES
            else "Your role does not include seeing people's records.",
            household=household_id,
            detail={"view": view},
        )
    assert household is not None
    story = household_story(household, user, access, period)
    event = _read_event(
        "view-household",
        access,
        household=household_id,
        detail={"view": view, **period_detail(period)},
    )
    record(actor, replace(event, people_shown=story.people_shown))
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
    query.check()
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
    # The pseudonym is the result's only key: the real person ID never reaches an analyst.
    token = pseudonym_for(person.person_id) if person else ""
    results = (
        [Result(token, token, "", person.current_postcode.split(" ")[0], "")] if person else []
    )
    _audit_search(actor, query, results, real_ids=(person.person_id,) if person else ())
    return results


def _audit_search(
    actor: Actor, query: Query, results: list[Result], real_ids: tuple[str, ...] | None = None
) -> None:
    record(
        actor,
        Event(
            action="search",
            people_shown=real_ids if real_ids is not None else tuple(r.person_id for r in results),
            detail={**query.as_detail(), "results": len(results)},
        ),
    )


# Allocations: team managers put people on their team's caseload and allocate a key worker.


def allocate(actor: Actor, manager: User, person_id: str, worker_username: str) -> Allocation:
    """Put a person on the manager's team (optionally with a key worker). An allocation opens
    the record to the whole team, so it needs a basis of its own: the person is already the
    team's, or the manager recorded why (a reason the data protection officer reviews). A
    request or referral will be a basis too once the front door records them."""
    if manager.role_enum != Role.TEAM_MANAGER or not manager.team:
        raise refuse(
            actor,
            "allocate",
            "Only a team manager can allocate people to their team.",
            person=person_id,
        )
    if person_id_error(person_id):  # typed into a form: a NUL in a query is a PostgreSQL error
        raise InputError("No person has this ID", where="person_id")
    access = access_to_person(manager, person_id)
    if not access.allowed:
        raise refuse(
            actor,
            "allocate",
            "An allocation needs a basis: record why this person needs your team first.",
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
    basis = Allocation.Basis.REASON if access.basis == "reason" else Allocation.Basis.CASELOAD
    allocation = Allocation.objects.create(
        person_id=person_id,
        team=manager.team,
        worker=worker,
        allocated_by=manager,
        allocated_at=timezone.now(),
        basis=basis,
        recorded_reason_id=access.reason_id if basis == Allocation.Basis.REASON else None,
    )
    record(
        actor,
        Event(
            action="allocate",
            person=person_id,
            purpose=access.purpose.value if access.purpose else "",
            reason=access.reason,
            detail={
                "team": manager.team,
                "worker": worker_username,
                "basis": basis.value,
                "recorded_reason": access.reason_id,
            },
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
