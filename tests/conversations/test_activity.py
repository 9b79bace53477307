"""The synthetic year continued into conversations (issue 13 "Demo data"): a pure, seeded
generator with the proportions the issue names (most resolved at conversation 1, a minority
needing 2, fewer reaching long-term support), open work for the demo practitioner, and a demo
step that replaces only its own rows, so every measure has a trend."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.city import TestCity
from tests.factories import create_user
from tests.frontdoor.test_activity import AWARE_NOW, demo_city  # noqa: F401  (fixture)
from tests.frontdoor.test_activity import load as load_front_door
from upstream.synth.conversations_activity import (
    Focus,
    Service,
    TeamRequest,
    Work,
    Worker,
    generate_conversations,
)

NOW = datetime(2026, 11, 18, 14, 30)
NORTH, SOUTH = "Early help — North", "Early help — South"
FOCUS = Focus("practitioner", "team-manager", "partner-professional", "Demo Partner", "NHS", NORTH)
WORKERS = [
    Worker("practitioner", NORTH),
    Worker("synthetic-north-1", NORTH),
    Worker("synthetic-south-1", SOUTH),
    Worker("synthetic-south-2", SOUTH),
]
SERVICES = [Service("s1", "o1", ("financial-help",)), Service("s2", "o2", ("housing",))]


def requests(count: int = 1500) -> list[TeamRequest]:
    made = []
    for n in range(count):
        triaged = NOW - timedelta(days=365) + timedelta(hours=5 * n)
        left = triaged + timedelta(days=20 + n % 15)
        made.append(
            TeamRequest(
                reference=f"R-SYN-{n:06d}",
                person_id=f"P{n:08d}",
                household_id=f"H{n // 2:06d}",
                ward="Ashfield" if n % 2 else "Copperhill",
                team=NORTH if n % 2 else SOUTH,
                received_at=triaged - timedelta(hours=3),
                triaged_at=triaged,
                left_list_at=None if n % 40 == 0 else left,
                age=20 + n % 60,
                needs=("financial-help",),
            )
        )
    return made


def draw(seed: int = 4, count: int = 1500) -> Work:
    return generate_conversations(requests(count), WORKERS, SERVICES, FOCUS, now=NOW, seed=seed)


def test_the_same_seed_gives_the_same_work_and_another_seed_other_work() -> None:
    assert draw(4) == draw(4)
    assert draw(4) != draw(5)


def test_most_end_at_conversation_1_a_minority_need_2_and_fewer_long_term_support() -> None:
    work = draw()
    ended = Counter(t.outcome for t in work.talks if t.kind == 1 and t.ended_at)
    total = sum(ended.values())
    assert 0.55 < ended["resolved"] / total < 0.72
    assert 0.14 < ended["needs_2"] / total < 0.27
    kinds = Counter(t.kind for t in work.talks)
    assert kinds[1] > kinds[2] > kinds[3] > 0


def test_conversations_follow_one_another_and_nothing_happens_after_now() -> None:
    work = draw()
    by_key = {t.key: t for t in work.talks}
    for talk in work.talks:
        assert talk.started_at <= NOW and (talk.ended_at is None or talk.ended_at <= NOW)
        if talk.kind > 1:
            before = by_key[talk.previous]  # type: ignore[index]
            assert before.kind < talk.kind and before.ended_at == talk.started_at
    moments = (
        [h.at for h in work.handoffs] + [n.at for n in work.notes] + [c.at for c in work.waiting]
    )
    assert max(moments) <= NOW
    assert all(c.answered_at is None or c.answered_at <= NOW for c in work.connections)


def test_hand_offs_are_few_and_reviews_include_some_overdue() -> None:
    work = draw()
    assert 0 < len(work.handoffs) < 0.08 * len(work.talks)
    overdue = [r for r in work.reviews if r.held_at is None and r.due_on < NOW.date()]
    held = [r for r in work.reviews if r.held_at is not None]
    assert overdue and held
    assert all(r.method and r.reason == "planned" for r in held)


def test_people_still_waiting_are_contacted_while_they_wait() -> None:
    work = draw()
    waiting = {r.reference for r in requests() if r.left_list_at is None}
    assert {c.request for c in work.waiting} <= waiting
    assert work.waiting


def test_the_demo_practitioner_has_open_work_and_the_partner_an_action_due() -> None:
    work = draw()
    mine = [t for t in work.talks if t.owner == "practitioner" and t.ended_at is None]
    assert Counter(t.kind for t in mine)[1] >= 3
    assert any(t.kind == 2 for t in mine)
    plans = [p for p in work.plans if p.key_worker == "practitioner" and p.closed_at is None]
    partnered = [p for p in plans if any(m.username == "partner-professional" for m in p.members)]
    assert partnered
    plan = partnered[-1]
    partner = next(i for i, m in enumerate(plan.members) if m.username == "partner-professional")
    assert any(
        a.owner == partner and a.done_at is None and a.due > NOW.date() for a in plan.actions
    )
    assert plan.meetings


def test_closed_family_plans_record_every_outcome_and_are_marked() -> None:
    from upstream.synth.conversations_activity import PLAN_MARK

    work = draw()
    closed = [p for p in work.plans if p.closed_at]
    assert closed
    assert all(o.achieved for p in closed for o in p.outcomes)
    assert all(p.closure_note.endswith(PLAN_MARK) for p in work.plans)


# --- Written by the demo step over the test city ------------------------------------------


def load_all(city: TestCity) -> dict[str, int]:
    from upstream.jobs.conversations_activity import load_conversations

    load_front_door(city)
    loaded = load_conversations(seed=11, now=AWARE_NOW)
    assert not loaded.skipped, loaded.line()
    return loaded.counts


def conversation_tables() -> dict[str, int]:
    from upstream.conversations import models as m
    from upstream.frontdoor.models import Connection
    from upstream.governance.models import Allocation

    tables: list[Any] = [
        m.Conversation,
        m.HandOff,
        m.PlanStep,
        m.ContactNote,
        m.PracticalHelp,
        m.AgreedOutcome,
        m.WaitingContact,
        m.FamilyPlan,
        m.FamilyMember,
        m.FamilyOutcome,
        m.FamilyAction,
        m.FamilyMeeting,
        m.Review,
        m.TeamBudget,
        Connection,
        Allocation,
    ]
    return {t.__name__: t.objects.count() for t in tables}


def test_the_demo_step_gives_every_measure_a_trend(demo_city: TestCity) -> None:  # noqa: F811
    from upstream.conversations import measures

    counts = load_all(demo_city)
    assert counts["conversations"] > 20
    found = measures.measure(measures.Scope(months=12), now=AWARE_NOW)
    # The test city's 3,000 people hold about 80 conversations: few family plans close and few
    # adults end a conversation 2 in any month (the demo's 20,000 have a figure most months).
    few = {"family_outcomes_achieved", "ascof_2a"}
    for d in measures.DEFINITIONS:
        months_with_figures = sum(m.values[d.key].value is not None for m in found.months)
        assert months_with_figures >= (1 if d.key in few else 3), (d.key, counts)
    assert 0.1 <= (found.period["repeat_requests"].value or 0) < 60


def test_running_again_replaces_the_synthetic_work_and_nothing_else(
    demo_city: TestCity,  # noqa: F811
) -> None:
    from upstream.accounts.roles import Role
    from upstream.conversations.models import Conversation, FamilyPlan
    from upstream.frontdoor.models import Request
    from upstream.jobs.conversations_activity import load_conversations

    first = load_all(demo_city)
    before = conversation_tables()
    worker = create_user(role=Role.PRACTITIONER, team=NORTH)
    real = Request.objects.create(
        reference="R-REALWXYZ",
        person_id="P00000001",
        channel="phone",
        received_at=AWARE_NOW,
        asked_by="person",
        what_matters="Help with the rent",
        preferred_contact="phone",
    )
    ours = Conversation.objects.create(
        person_id="P00000001", request=real, kind=1, owner=worker, team=NORTH, started_at=AWARE_NOW
    )
    plan = FamilyPlan.objects.create(
        household_id="H1", key_worker=worker, team=NORTH, started_at=AWARE_NOW
    )
    second = load_conversations(seed=11, now=AWARE_NOW).counts
    assert first == second
    after = conversation_tables()
    assert after["Conversation"] == before["Conversation"] + 1
    assert after["FamilyPlan"] == before["FamilyPlan"] + 1
    assert Conversation.objects.filter(pk=ours.pk).exists()
    assert FamilyPlan.objects.filter(pk=plan.pk).exists()
    # The front door's step runs first in the demo: it removes the conversations it must.
    load_all(demo_city)
    assert conversation_tables() == after


def test_the_step_is_audited_and_owned_by_demo_and_synthetic_workers(
    demo_city: TestCity,  # noqa: F811
) -> None:
    from upstream.accounts.models import User
    from upstream.conversations.models import Conversation
    from upstream.governance.models import Allocation, AuditEntry

    counts = load_all(demo_city)
    entry = AuditEntry.objects.get(action="conversations.synthetic-activity")
    assert entry.detail["conversations"] == counts["conversations"]
    open_ones = Conversation.objects.filter(ended_at__isnull=True, owner__username="practitioner")
    allocated = Allocation.objects.filter(worker__username="practitioner", ended_at__isnull=True)
    assert open_ones.exists()
    assert set(open_ones.values_list("person_id", flat=True)) <= set(
        allocated.values_list("person_id", flat=True)
    )
    owners = set(Conversation.objects.values_list("owner__username", flat=True))
    assert "practitioner" in owners
    assert owners <= {"practitioner"} | {o for o in owners if o.startswith("synthetic-")}
    synthetic = User.objects.filter(username__startswith="synthetic-")
    assert synthetic.exists() and not any(u.has_usable_password() for u in synthetic)


def test_without_synthetic_requests_the_step_says_what_to_run_first(db: None) -> None:
    from upstream.jobs.conversations_activity import load_conversations

    assert "frontdoor" in load_conversations(seed=1, now=AWARE_NOW).line()


@pytest.mark.parametrize("people", [20_000])
def test_a_20000_person_year_is_drawn_quickly(people: int) -> None:
    """The front door's year for 20,000 people has about 440 early-help requests (1,745 a
    year, a quarter targeted); draw ten times that in well under the step's 20 seconds."""
    import time

    start = time.perf_counter()
    draw(count=4_400)
    assert time.perf_counter() - start < 10
