"""What the pages and the API do, in one place: ask the access decision, build the story,
audit it.

Each service that shows a person's or a household's records asks `governance.access.decide`
once and passes the decision down. Every read, and every refusal, writes an audit entry, so
the pages, their JSON twins and the API are audited the same way. Failures are domain errors
(`upstream.errors`: Denied, NotFound, Moved, InputError) that the web edge turns into pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.search import Query, find_people
from upstream.casework.story import (
    HouseholdStory,
    Period,
    PersonStory,
    household_story,
    person_story,
)
from upstream.errors import InputError, Moved, NotFound
from upstream.flags.models import Override
from upstream.flags.services import (
    FlagCard,
    live_flags,
    record_flag_view,
    record_override,
    within,
)
from upstream.governance import access
from upstream.governance.access import Decision, refuse
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation, RecordedReason
from upstream.governance.pseudonyms import person_for, pseudonym_for
from upstream.governance.reasons import record_reason
from upstream.governance.register import dataset_code_for
from upstream.governance.services import person_id_error
from upstream.people.models import Household, HouseholdMembership, Person, PersonLineage


def _read_event(
    action: str,
    decision: Decision,
    *,
    person: str = "",
    household: str = "",
    detail: dict[str, Any],
) -> Event:
    return Event(
        action=action,
        person=person,
        household=household,
        purpose=decision.purpose.value,
        reason=decision.reason,
        detail={"basis": decision.basis, "sources": sorted(decision.sources), **detail},
    )


def _person(person_id: str) -> Person:
    person = Person.objects.filter(person_id=person_id).first()
    if person is not None:
        return person
    moved = PersonLineage.objects.filter(old_person_id=person_id).order_by("-id").first()
    if moved is not None:
        raise Moved(moved.new_person_id)
    raise NotFound("No person has this ID")


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
    decision = access.decide(actor, user, person=person_id, action="view-person", view=view)
    try:
        person = _person(decision.person_id)
    except Moved:
        if decision.pseudonymised:  # following the move would show the new real ID
            raise NotFound("No person has this ID") from None
        raise
    story = person_story(person, user, decision, period)
    event = _read_event(
        "view-person",
        decision,
        person=decision.person_id,
        detail={"view": view, **period_detail(period)},
    )
    record(actor, replace(event, people_shown=story.people_shown))
    return story


@dataclass(frozen=True)
class FlagsShown:
    """A person's flags as one viewer may see them; `withheld` counts flags that rest on
    sources the viewer's purpose does not cover."""

    person_id: str
    decision: Decision
    cards: list[FlagCard]
    withheld: int


FLAGS_FOR_ANALYSTS = "Flags are shown to those who work with the person; analysts see cohorts."


def person_flags(
    actor: Actor,
    user: User,
    person_id: str,
    *,
    view: str = "flags page",
    decision: Decision | None = None,
) -> FlagsShown:
    """The why-flagged cards through the same decision as the person page (pass the
    `decision` that page, or an override, has just made). Sources are limited by purpose;
    evidence about other household members shows only for those the viewer may open; the
    view is audited with everyone it showed."""
    if decision is None:
        decision = access.decide(actor, user, person=person_id, action="flag_view", view=view)
    person_id = decision.person_id
    if decision.pseudonymised:
        raise refuse(
            actor, "flag_view", FLAGS_FOR_ANALYSTS, person=person_id, detail={"view": view}
        )
    cards = live_flags(person_id)
    shown = _cards_within(user, person_id, decision, cards)
    if cards:
        record_flag_view(actor, person_id, shown, purpose=decision.purpose.value, view=view)
    return FlagsShown(person_id, decision, shown, len(cards) - len(shown))


def _cards_within(
    user: User, person_id: str, decision: Decision, cards: list[FlagCard]
) -> list[FlagCard]:
    def covered(source: str) -> bool:
        return dataset_code_for(source, decision.sources) is not None

    others = {
        e["person_id"]
        for c in cards
        for need in c.flag.card.get("needs", [])
        for e in need.get("evidence", [])
        if e.get("person_id") and e["person_id"] != person_id
    }
    visible = access.visible_people(user, sorted(others))
    narrowed = (within(c, person_id, covered, visible) for c in cards)
    return [c for c in narrowed if c is not None]


OVERRIDE_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER})


def decide_override(actor: Actor, user: User, person_id: str, flag_id: str) -> Decision:
    """Who may say a flag is not right for a person: those who work with people, and only
    with the same decision as seeing the person's flags (made once; the override and, when
    the form is sent back, the flags page both rest on it)."""
    if user.role_enum not in OVERRIDE_ROLES:
        raise refuse(
            actor,
            "flag_override",
            "Only those who work with people can say a flag is not right for someone.",
            person=person_id,
            detail={"flag": flag_id},
        )
    return access.decide(actor, user, person=person_id, action="flag_override", view="override")


def override_flag(
    actor: Actor, user: User, decision: Decision, flag_id: str, kind: str, reason: str
) -> Override:
    """Mark a flag as not right for a person, under `decide_override`'s decision: only a flag
    the viewer can see for this purpose."""
    real = decision.person_id
    card = next((c for c in live_flags(real) if c.flag.flag_id == flag_id), None)
    if card is None or not _cards_within(user, real, decision, [card]):
        raise NotFound("This flag does not concern that person.")
    if kind not in dict(Override.KINDS) or not reason.strip():
        raise InputError("Choose why and give a reason", where="reason")
    return record_override(actor, card.flag, real, kind, reason.strip()[:2000], user)


def record_access_reason(
    actor: Actor, user: User, person_id: str, purpose: str, reason: str
) -> RecordedReason:
    """Break glass: record why you need to see a person's record. Only for roles that work with
    people (`access.may_record_reason`); the page and the API call this, so they refuse the
    same roles."""
    check_may_record_reason(actor, user, person_id)
    return record_reason(actor, user, person_id, purpose, reason)


def check_may_record_reason(actor: Actor, user: User, person_id: str) -> None:
    """Refuse (audited) a role that may not record a reason, before it sees the form."""
    if not access.may_record_reason(user):
        raise refuse(actor, "record-reason", access.NO_RECORDS, person=person_id)


def view_household(
    actor: Actor, user: User, household_id: str, period: Period, *, view: str = "household page"
) -> HouseholdStory:
    """A household's story for this viewer, audited; Denied (audited) without access to
    anyone who lived there."""
    decision = access.decide(
        actor,
        user,
        household=household_id,
        members=lambda: _members_of(household_id),
        action="view-household",
        view=view,
    )
    household = Household.objects.filter(household_id=household_id).first()
    if household is None:  # it had members a moment ago: republished since
        raise NotFound("No household has this ID")
    story = household_story(household, user, decision, period)
    event = _read_event(
        "view-household",
        decision,
        household=household_id,
        detail={"view": view, **period_detail(period)},
    )
    record(actor, replace(event, people_shown=story.people_shown))
    return story


def _members_of(household_id: str) -> list[str]:
    return list(
        HouseholdMembership.objects.filter(household_id=household_id).values_list(
            "person_id", flat=True
        )
    )


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
    if not access.may_search(user):
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
    relationships = access.working_relationships(user, [p.person_id for p in people])
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
    decision = access.decide(
        actor,
        manager,
        person=person_id,
        action="allocate",
        view="allocate",
        no_basis="An allocation needs a basis: record why this person needs your team first.",
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
    basis = Allocation.Basis.REASON if decision.basis == "reason" else Allocation.Basis.CASELOAD
    allocation = Allocation.objects.create(
        person_id=person_id,
        team=manager.team,
        worker=worker,
        allocated_by=manager,
        allocated_at=timezone.now(),
        basis=basis,
        recorded_reason_id=decision.reason_id if basis == Allocation.Basis.REASON else None,
    )
    record(
        actor,
        Event(
            action="allocate",
            person=person_id,
            purpose=decision.purpose.value,
            reason=decision.reason,
            detail={
                "team": manager.team,
                "worker": worker_username,
                "basis": basis.value,
                "recorded_reason": decision.reason_id,
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


# Caseloads: practitioners' and team managers' own and their team's allocations.

CASELOAD_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
CASELOAD_COLUMNS = ("person_id", "name", "date_of_birth", "team", "worker", "allocated_at")


def view_caseload(actor: Actor, user: User, *, view: str) -> list[dict[str, Any]]:
    """The viewer's caseload rows, audited with everyone they show; refused (audited) for
    roles without one. `view` is how it was asked for (page, csv, json, api)."""
    if user.role_enum not in CASELOAD_ROLES:
        raise refuse(actor, "view-caseload", "Caseloads are for practitioners and team managers.")
    rows = caseload_rows(user)
    record(
        actor,
        Event(
            action="view-caseload",
            people_shown=tuple(r["person_id"] for r in rows),
            detail={"format": view},
        ),
    )
    return rows


def caseload_rows(user: User) -> list[dict[str, Any]]:
    """One row per active allocation of a published person, by family name then given name."""
    allocations = list(Allocation.objects.filter(access.caseload(user)).select_related("worker"))
    people = Person.objects.in_bulk({a.person_id for a in allocations})
    shown = [(a, people[a.person_id]) for a in allocations if a.person_id in people]
    shown.sort(key=lambda pair: (pair[1].family_name, pair[1].given_name))
    return [_caseload_row(allocation, person) for allocation, person in shown]


def _caseload_row(allocation: Allocation, person: Person) -> dict[str, Any]:
    worker = allocation.worker
    return {
        "allocation": allocation.pk,
        "person_id": allocation.person_id,
        "name": f"{person.given_name} {person.family_name}".strip(),
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "team": allocation.team,
        "worker": (worker.get_full_name() or worker.username) if worker else "",
        "worker_username": worker.username if worker else "",
        "allocated_at": allocation.allocated_at.date().isoformat(),
    }
