"""The demo step "conversations": the synthetic year continued into Three Conversations work.

`upstream.synth.conversations_activity` draws it (pure, seeded by the city's seed) from the
front door's synthetic requests triaged to the early-help teams; this writes it with the ORM in
bulk, in one transaction, with one audit entry.

Synthetic rows are marked so a second run replaces them and nothing else:
- conversations hang from synthetic requests (`R-SYN-`: conversations 2 and 3 keep their
  conversation 1's request), and with them their hand-offs, plan steps, contact notes,
  practical help, agreed outcomes and reviews; contacts while waiting hang from those requests;
- the connections made in conversation 1 hang from them too, and their message starts
  `CONNECTION_MARK` (the front door's own synthetic connections are left to the front door);
- family plans (no request) end their closure note with `PLAN_MARK`;
- team budgets are set only where a team has none for the year (a manager's own is kept);
- the synthetic workers are accounts named `synthetic-…` with unusable passwords.

The front door's step removes its synthetic requests; it calls `remove_synthetic` here first,
since conversations protect their requests.
"""

from __future__ import annotations

import json
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upstream.jobs.database import operational_database
from upstream.jobs.output import console

if TYPE_CHECKING:
    from upstream.accounts.models import User
    from upstream.synth.conversations_activity import Work

SYSTEM_ACTOR = "upstream-demo"
EARLY_HELP = "Early help"
POLICY_VERSION = "1.0.0"  # the review policy the synthetic reviews were scheduled under
# Synthetic workers beside the demo practitioner (names invented).
WORKERS = {
    "Early help — North": (
        ("synthetic-north-1", "Priya", "Shah"),
        ("synthetic-north-2", "Tom", "Owen"),
    ),
    "Early help — South": (
        ("synthetic-south-1", "Grace", "Mensah"),
        ("synthetic-south-2", "Liam", "Byrne"),
        ("synthetic-south-3", "Ada", "Novak"),
    ),
}


@dataclass(frozen=True)
class Loaded:
    counts: dict[str, int]
    seconds: float = 0.0
    skipped: str = ""

    def line(self) -> str:
        if self.skipped:
            return f"conversations: no synthetic work ({self.skipped})"
        c = self.counts
        return (
            f"conversations: {c['conversations']:,} conversations ({c['open']:,} open), "
            f"{c['handoffs']:,} hand-offs, {c['family_plans']:,} family plans, "
            f"{c['reviews']:,} reviews, {c['waiting_contacts']:,} contacts while waiting, "
            f"{c['connections']:,} connections in {self.seconds:.1f}s"
        )


def activity_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step (after frontdoor): the year's conversations, replacing the last."""
    operational_database()
    from django.utils import timezone

    manifest = json.loads((city_dir / "manifest.json").read_text(encoding="utf-8"))
    loaded = load_conversations(seed=int(manifest.get("seed", 0)), now=timezone.now())
    console().print(loaded.line(), highlight=False)


def load_conversations(*, seed: int, now: datetime) -> Loaded:
    """Draw and write the conversations up to `now` (aware); returns what was written."""
    from django.db import transaction

    from upstream.conversations import measures
    from upstream.synth.conversations_activity import generate_conversations

    started = clock.perf_counter()
    requests = _team_requests()
    if not requests:
        return Loaded({}, skipped="no synthetic requests for early help: run the frontdoor step")
    with transaction.atomic():
        users = ensure_users()
        work = generate_conversations(
            requests,
            _workers(users),
            _services(),
            _focus(users),
            now=_local(now),
            seed=seed,
        )
        remove_synthetic()
        counts = write_work(work, users)
        _audit(counts)
    measures.forget()
    return Loaded(counts, clock.perf_counter() - started)


def _local(moment: datetime) -> datetime:
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None)


def _at(moment: datetime) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(moment)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else _at(moment)


# --- What the generator draws from --------------------------------------------------------


def _team_requests() -> list[Any]:
    """The synthetic requests the front door triaged to an early-help team, with the person's
    ward, household and age."""
    from django.utils import timezone

    from upstream.frontdoor.models import Request
    from upstream.people.models import HouseholdMembership, Person
    from upstream.synth.activity import REQUEST_PREFIX
    from upstream.synth.conversations_activity import TeamRequest

    found = Request.objects.filter(
        reference__startswith=REQUEST_PREFIX,
        route="targeted",
        team__startswith=EARLY_HELP,
        triaged_at__isnull=False,
    ).exclude(person_id="")
    rows = list(
        found.values_list(
            "reference",
            "person_id",
            "team",
            "received_at",
            "triaged_at",
            "closed_at",
            "status",
            "needs",
        )
    )
    ids = {r[1] for r in rows}
    people = {
        pid: (ward, born)
        for pid, ward, born in Person.objects.filter(person_id__in=ids).values_list(
            "person_id", "ward", "date_of_birth"
        )
    }
    homes = {  # the latest household each person lived in (later rows overwrite earlier)
        pid: household
        for pid, household in HouseholdMembership.objects.filter(person_id__in=ids)
        .order_by("start_date")
        .values_list("person_id", "household_id")
    }
    today = timezone.localdate()
    local = timezone.localtime
    return [
        TeamRequest(
            reference=ref,
            person_id=pid,
            household_id=homes.get(pid, ""),
            ward=people.get(pid, ("", None))[0] or "",
            team=team,
            received_at=local(received).replace(tzinfo=None),
            triaged_at=local(triaged).replace(tzinfo=None),
            left_list_at=local(closed).replace(tzinfo=None)
            if closed and status == "closed"
            else None,
            age=_age(people.get(pid, ("", None))[1], today),
            needs=tuple(needs or ()),
        )
        for ref, pid, team, received, triaged, closed, status, needs in rows
    ]


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def ensure_users() -> dict[str, User]:
    """The demo accounts and the synthetic workers, by username."""
    from upstream.accounts.demo import ensure_demo_users
    from upstream.accounts.models import User
    from upstream.accounts.roles import Role

    users = {u.username: u for u in ensure_demo_users().values()}
    for team, people in WORKERS.items():
        for username, first, last in people:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
            user.first_name, user.last_name = first, last
            user.role, user.team = Role.PRACTITIONER.value, team
            user.save()
            users[username] = user
    return users


def _workers(users: dict[str, User]) -> list[Any]:
    from upstream.accounts.roles import Role
    from upstream.synth.conversations_activity import Worker

    return [
        Worker(u.username, u.team)
        for u in users.values()
        if u.role == Role.PRACTITIONER.value and u.team.startswith(EARLY_HELP)
    ]


def _services() -> list[Any]:
    from upstream.jobs.frontdoor_activity import _offers
    from upstream.synth.conversations_activity import Service

    return [Service(o.service_id, o.organisation_id, o.needs) for o in _offers()]


def _focus(users: dict[str, User]) -> Any:
    from upstream.accounts.demo import DEMO_TEAM, demo_username
    from upstream.accounts.roles import Role
    from upstream.frontdoor.models import PartnerAccount
    from upstream.synth.conversations_activity import Focus

    partner = users[demo_username(Role.PARTNER_PROFESSIONAL)]
    tie = PartnerAccount.objects.filter(user=partner).select_related("organisation").first()
    organisation = tie.organisation.name if tie else "Community NHS trust"
    return Focus(
        practitioner=demo_username(Role.PRACTITIONER),
        manager=demo_username(Role.TEAM_MANAGER),
        partner=partner.username,
        partner_name=partner.get_full_name() or partner.username,
        partner_organisation=organisation,
        team=DEMO_TEAM,
    )


# --- Replacing the synthetic rows ---------------------------------------------------------


def remove_synthetic() -> dict[str, int]:
    """Remove the synthetic conversations and everything that hangs from them, the synthetic
    family plans, contacts while waiting and connections made in conversation 1."""
    from upstream.conversations.models import (
        Conversation,
        FamilyPlan,
        PracticalHelp,
        WaitingContact,
    )
    from upstream.frontdoor.models import Connection, ConnectionEvent
    from upstream.synth.activity import REQUEST_PREFIX
    from upstream.synth.conversations_activity import CONNECTION_MARK, PLAN_MARK

    synthetic = Conversation.objects.filter(request__reference__startswith=REQUEST_PREFIX)
    _remove_allocations(synthetic)
    PracticalHelp.objects.filter(conversation__in=synthetic).delete()
    synthetic.update(previous=None)  # conversations protect the one they follow
    removed = {"conversations": synthetic.delete()[1].get("conversations.Conversation", 0)}
    plans = FamilyPlan.objects.filter(closure_note__endswith=PLAN_MARK)
    from upstream.conversations.models import FamilyAction

    FamilyAction.objects.filter(plan__in=plans).delete()  # actions protect their owners
    removed["family_plans"] = plans.delete()[1].get("conversations.FamilyPlan", 0)
    WaitingContact.objects.filter(request__reference__startswith=REQUEST_PREFIX).delete()
    ours = Connection.objects.filter(
        request__reference__startswith=REQUEST_PREFIX, message__startswith=CONNECTION_MARK
    )
    ConnectionEvent.objects.filter(connection__in=ours).delete()
    removed["connections"] = ours.delete()[0]
    return removed


def _remove_allocations(synthetic: Any) -> int:
    """The key workers' allocations the open synthetic conversations rest on, found as they
    were made (basis demo, the owner, the team, at the conversation's start): the demo
    caseload's own allocations (`upstream.jobs.casework`) are left alone."""
    from django.db.models import Q

    from upstream.governance.models import Allocation

    rows = synthetic.filter(ended_at__isnull=True).values_list(
        "person_id", "team", "owner_id", "started_at"
    )
    made = [
        Q(person_id=person, team=team, worker_id=owner, allocated_at=started)
        for person, team, owner, started in rows
    ]
    removed = 0
    for start in range(0, len(made), 200):
        either = Q()
        for condition in made[start : start + 200]:
            either |= condition
        removed += Allocation.objects.filter(either, basis=Allocation.Basis.DEMO).delete()[0]
    return removed


# --- Writing ------------------------------------------------------------------------------


def write_work(work: Work, users: dict[str, User]) -> dict[str, int]:
    """Write the drawn work (inside the caller's transaction); returns the counts."""
    return _Writer(work, users).write()


class _Writer:
    def __init__(self, work: Work, users: dict[str, User]) -> None:
        self.work, self.users = work, users
        self.talks: dict[int, Any] = {}

    def user(self, username: str) -> User:
        return self.users[username]

    def write(self) -> dict[str, int]:
        self._conversations()
        self._key_workers()
        self._around_conversations()
        self._waiting()
        self._connections()
        plans = self._family_plans()
        self._reviews(plans)
        self._budgets()
        w = self.work
        return {
            "conversations": len(w.talks),
            "open": sum(t.ended_at is None for t in w.talks),
            "handoffs": len(w.handoffs),
            "family_plans": len(w.plans),
            "reviews": len(w.reviews),
            "waiting_contacts": len(w.waiting),
            "connections": len(w.connections),
        }

    def _conversations(self) -> None:
        from upstream.conversations.models import Conversation
        from upstream.frontdoor.models import Request
        from upstream.synth.activity import REQUEST_PREFIX

        requests = dict(
            Request.objects.filter(reference__startswith=REQUEST_PREFIX).values_list(
                "reference", "id"
            )
        )
        self.requests = requests
        for kind in (1, 2, 3):  # each follows one of the kind before: write those first
            talks = [t for t in self.work.talks if t.kind == kind]
            rows = [
                Conversation(
                    person_id=t.person_id,
                    request_id=requests[t.request],
                    previous=self.talks.get(t.previous) if t.previous is not None else None,
                    kind=t.kind,
                    owner=self.user(t.owner),
                    team=t.team,
                    ward=t.ward,
                    started_at=_at(t.started_at),
                    ended_at=_aware(t.ended_at),
                    risk=t.risk,
                    what_matters=t.what_matters,
                    strengths_person=t.strengths[0],
                    strengths_family=t.strengths[1],
                    strengths_community=t.strengths[2],
                    outcome=t.outcome,
                    outcome_note=t.outcome_note,
                )
                for t in talks
            ]
            for talk, row in zip(
                talks, Conversation.objects.bulk_create(rows, batch_size=2000), strict=True
            ):
                self.talks[talk.key] = row

    def _key_workers(self) -> None:
        """Each open conversation's owner is the person's key worker in the team (as picking
        a request up makes them), so the story of what is known opens to them."""
        from upstream.accounts.demo import demo_username
        from upstream.accounts.roles import Role
        from upstream.governance.models import Allocation

        manager = self.user(demo_username(Role.TEAM_MANAGER))
        Allocation.objects.bulk_create(
            [
                Allocation(
                    person_id=row.person_id,
                    team=row.team,
                    worker=row.owner,
                    allocated_by=manager,
                    allocated_at=row.started_at,
                    basis=Allocation.Basis.DEMO,
                )
                for row in self.talks.values()
                if row.ended_at is None
            ],
            batch_size=2000,
        )

    def _around_conversations(self) -> None:
        from upstream.conversations import models as m

        w, t, u = self.work, self.talks, self.user
        m.HandOff.objects.bulk_create(
            [
                m.HandOff(
                    conversation=t[h.talk],
                    from_owner=u(h.from_owner),
                    to_owner=u(h.to_owner),
                    reason=h.reason,
                    at=_at(h.at),
                )
                for h in w.handoffs
            ],
            batch_size=2000,
        )
        m.PlanStep.objects.bulk_create(
            [
                m.PlanStep(
                    conversation=t[s.talk],
                    what=s.what,
                    who=s.who,
                    by_when=s.by_when,
                    done_at=_aware(s.done_at),
                )
                for s in w.steps
            ],
            batch_size=2000,
        )
        m.ContactNote.objects.bulk_create(
            [
                m.ContactNote(
                    conversation=t[n.talk],
                    at=_at(n.at),
                    by=u(n.by),
                    method=n.method,
                    note=n.note,
                )
                for n in w.notes
            ],
            batch_size=2000,
        )
        m.PracticalHelp.objects.bulk_create(
            [
                m.PracticalHelp(
                    conversation=t[h.talk],
                    amount=h.amount,
                    purpose=h.purpose,
                    at=_at(h.at),
                    by=u(h.by),
                )
                for h in w.help
            ],
            batch_size=2000,
        )
        agreed = m.AgreedOutcome.objects.bulk_create(
            [
                m.AgreedOutcome(
                    conversation=t[a.talk], outcome=a.outcome, agreed_at=_at(a.agreed_at)
                )
                for a in w.agreed
            ],
            batch_size=2000,
        )
        self.agreed: dict[int, list[int]] = defaultdict(list)
        for row in agreed:
            self.agreed[row.conversation_id].append(row.pk)

    def _waiting(self) -> None:
        from upstream.conversations.models import WaitingContact

        WaitingContact.objects.bulk_create(
            [
                WaitingContact(
                    request_id=self.requests[c.request],
                    at=_at(c.at),
                    by=self.user(c.by),
                    method=c.method,
                    note=c.note,
                )
                for c in self.work.waiting
            ],
            batch_size=2000,
        )

    def _connections(self) -> None:
        from upstream.frontdoor.models import Connection, ConnectionEvent
        from upstream.frontdoor.workdays import add_working_days
        from upstream.synth.conversations_activity import CONNECTION_MARK

        rows = []
        for c in self.work.connections:
            sent = _aware(c.sent_at)
            assert sent is not None
            rows.append(
                Connection(
                    request_id=self.requests[c.request],
                    service_id=c.service_id,
                    organisation_id=c.organisation_id,
                    message=CONNECTION_MARK + "they would like a call about what we talked about.",
                    sent_by=self.user(c.by),
                    sent_at=sent,
                    answer_due=add_working_days(sent, 5),
                    status=c.status,
                )
            )
        made = Connection.objects.bulk_create(rows, batch_size=2000)
        events = []
        for c, row in zip(self.work.connections, made, strict=True):
            events.append(ConnectionEvent(connection=row, status="sent", at=row.sent_at, by=c.by))
            if c.answered_at is not None:
                events.append(
                    ConnectionEvent(
                        connection=row, status=c.status, at=_at(c.answered_at), by="service"
                    )
                )
        ConnectionEvent.objects.bulk_create(events, batch_size=2000)

    def _family_plans(self) -> dict[int, Any]:
        from upstream.conversations import models as m

        plans = {}
        for p in self.work.plans:  # a few hundred: members, outcomes and actions refer back
            plan = m.FamilyPlan.objects.create(
                household_id=p.household_id,
                key_worker=self.user(p.key_worker),
                team=p.team,
                started_at=_at(p.started_at),
                closed_at=_aware(p.closed_at),
                closure_note=p.closure_note,
                risk=p.risk,
            )
            members = m.FamilyMember.objects.bulk_create(
                [
                    m.FamilyMember(
                        plan=plan,
                        user=self.users.get(x.username) if x.username else None,
                        name=self._name(x.username) or x.name,
                        organisation=x.organisation,
                        role=x.role,
                        joined_at=plan.started_at,
                    )
                    for x in p.members
                ]
            )
            outcomes = m.FamilyOutcome.objects.bulk_create(
                [
                    m.FamilyOutcome(plan=plan, area=o.area, outcome=o.outcome, achieved=o.achieved)
                    for o in p.outcomes
                ]
            )
            m.FamilyAction.objects.bulk_create(
                [
                    m.FamilyAction(
                        plan=plan,
                        outcome=outcomes[a.outcome] if a.outcome < len(outcomes) else None,
                        action=a.action,
                        owner=members[a.owner],
                        due=a.due,
                        done_at=_aware(a.done_at),
                    )
                    for a in p.actions
                ]
            )
            for meeting in p.meetings:
                held = m.FamilyMeeting.objects.create(
                    plan=plan,
                    held_on=meeting.held_on,
                    decisions=meeting.decisions,
                    next_on=meeting.next_on,
                )
                held.attended.set([members[i] for i in meeting.attended])
            plans[p.key] = plan
        return plans

    def _name(self, username: str) -> str:
        user = self.users.get(username) if username else None
        return (user.get_full_name() or user.username) if user else ""

    def _reviews(self, plans: dict[int, Any]) -> None:
        from upstream.conversations.models import Review

        rows = []
        for r in self.work.reviews:
            talk = self.talks.get(r.talk) if r.talk is not None else None
            outcomes = (
                {
                    str(pk): ("achieved" if n == 0 else "partly")
                    for n, pk in enumerate(self.agreed[talk.pk])
                }
                if talk is not None and r.held_at
                else {}
            )
            rows.append(
                Review(
                    conversation=talk,
                    family_plan=plans.get(r.plan) if r.plan is not None else None,
                    due_on=r.due_on,
                    policy_version=POLICY_VERSION,
                    held_at=_aware(r.held_at),
                    held_by=self.user(r.held_by) if r.held_by else None,
                    method=r.method,
                    reason=r.reason,
                    outcomes=outcomes,
                )
            )
        Review.objects.bulk_create(rows, batch_size=2000)

    def _budgets(self) -> None:
        from upstream.accounts.demo import demo_username
        from upstream.accounts.roles import Role
        from upstream.conversations.models import TeamBudget

        manager = self.user(demo_username(Role.TEAM_MANAGER))
        for b in self.work.budgets:
            TeamBudget.objects.get_or_create(
                team=b.team,
                financial_year=b.financial_year,
                defaults={"amount": b.amount, "set_by": manager, "set_at": _at(b.set_at)},
            )


def _audit(counts: dict[str, int]) -> None:
    from upstream.governance.audit import Actor, Event, record

    record(
        Actor(SYSTEM_ACTOR, "system"),
        Event(action="conversations.synthetic-activity", purpose="demo", detail=counts),
    )
