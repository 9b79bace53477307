"""Conversations as a service: picking up from the waiting list, every state move (1 → resolved,
1 → 2 → stable, 1 → 3 → support plan, statutory, withdrawn), hand-offs, refusals, and the team's
budget for practical help."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.casework.conftest import TEAM
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import crisis, services, waiting
from upstream.conversations.models import Conversation, HandOff, Kind, PracticalHelp, WaitingContact
from upstream.errors import Denied, InvalidFields
from upstream.frontdoor.models import RequestStatus
from upstream.frontdoor.routing import waiting as waiting_list
from upstream.governance.audit import Actor
from upstream.governance.models import Allocation, AuditEntry

pytestmark = pytest.mark.django_db


def worker(role: Role = Role.PRACTITIONER, team: str = TEAM) -> Any:
    return create_user(role=role, team=team)


def act(user: Any) -> Actor:
    return Actor(user.username, role=user.role)


def heard(what: str = "Keeping my flat and getting back to work.") -> services.Listening:
    return services.Listening(what_matters=what, strengths_person="Organised, determined")


def started(triaged_request: Any, owner: Any | None = None) -> Conversation:
    owner = owner or worker()
    conversation = waiting.pick_up(act(owner), owner, triaged_request)
    services.record_listening(act(owner), owner, conversation, heard())
    return conversation


def test_a_triaged_request_waits_on_the_teams_list_with_its_size(triaged_request: Any) -> None:
    assert triaged_request.status == RequestStatus.WAITING_LIST
    assert list(waiting.on_list(TEAM)) == [triaged_request]
    assert waiting.size(TEAM).count == 1


def test_picking_up_makes_the_practitioner_the_key_worker_and_starts_conversation_1(
    triaged_request: Any, family: dict[str, Any]
) -> None:
    me = worker()
    conversation = waiting.pick_up(act(me), me, triaged_request)
    assert (conversation.kind, conversation.owner, conversation.team) == (
        Kind.LISTEN_AND_CONNECT,
        me,
        TEAM,
    )
    assert conversation.person_id == family["mother"].person_id
    assert conversation.request == triaged_request
    assert Allocation.objects.filter(
        person_id=conversation.person_id, worker=me, ended_at__isnull=True
    ).exists()
    assert not Allocation.objects.filter(
        person_id=conversation.person_id, worker__isnull=True, ended_at__isnull=True
    ).exists()
    assert list(waiting_list(TEAM)) == [], "off the waiting list at once"
    assert AuditEntry.objects.filter(
        action="conversations.pick_up", person=conversation.person_id
    ).exists()


def test_a_request_cannot_be_picked_up_twice(triaged_request: Any) -> None:
    waiting.pick_up(act(worker()), worker(), triaged_request)
    with pytest.raises(InvalidFields) as second:
        late = worker()
        waiting.pick_up(act(late), late, triaged_request)
    assert "already" in second.value.fields["worker"]


def test_another_teams_practitioner_and_an_officer_cannot_pick_up(triaged_request: Any) -> None:
    for outsider in (worker(team="Early help — South"), worker(Role.FRONT_DOOR_OFFICER, team="")):
        with pytest.raises(Denied):
            waiting.pick_up(act(outsider), outsider, triaged_request)
    assert not Conversation.objects.exists()
    assert AuditEntry.objects.filter(action="conversations.pick_up", outcome="denied").count() == 2


def test_the_team_manager_allocates_to_a_named_worker_in_the_team(triaged_request: Any) -> None:
    manager, me = worker(Role.TEAM_MANAGER), worker()
    with pytest.raises(InvalidFields):
        waiting.allocate(act(manager), manager, triaged_request, worker(team="Elsewhere").username)
    conversation = waiting.allocate(act(manager), manager, triaged_request, me.username)
    assert conversation.owner == me
    assert Allocation.objects.get(worker=me, ended_at__isnull=True).allocated_by == manager
    with pytest.raises(Denied):
        practitioner = worker()
        waiting.allocate(act(practitioner), practitioner, triaged_request, me.username)


def test_a_contact_while_waiting_is_kept_and_needs_a_note(triaged_request: Any) -> None:
    me = worker()
    with pytest.raises(InvalidFields) as problems:
        waiting.contact_while_waiting(act(me), me, triaged_request, method="fax", note=" ")
    assert set(problems.value.fields) == {"method", "note"}
    waiting.contact_while_waiting(
        act(me), me, triaged_request, method="phone", note="Still managing."
    )
    assert WaitingContact.objects.get().note == "Still managing."


def test_conversation_1_resolved_here_closes_the_request_and_ends_the_relationship(
    triaged_request: Any,
) -> None:
    conversation = started(triaged_request)
    owner = conversation.owner
    assert services.end(act(owner), owner, conversation, outcome="resolved") is None
    conversation.refresh_from_db()
    triaged_request.refresh_from_db()
    assert conversation.ended_at and conversation.outcome == "resolved"
    assert (triaged_request.status, triaged_request.outcome) == (
        "closed",
        "Resolved at conversation 1",
    )
    assert not Allocation.objects.filter(worker=owner, ended_at__isnull=True).exists()


def test_conversation_1_cannot_end_before_what_matters_is_heard(triaged_request: Any) -> None:
    me = worker()
    conversation = waiting.pick_up(act(me), me, triaged_request)
    with pytest.raises(InvalidFields) as problems:
        services.end(act(me), me, conversation, outcome="resolved")
    assert "what_matters" in problems.value.fields
    conversation.refresh_from_db()
    assert conversation.is_open


def test_an_ending_must_fit_the_conversation(triaged_request: Any) -> None:
    conversation = started(triaged_request)
    me = conversation.owner
    for outcome, field in (
        ("stable", "outcome"),
        ("nonsense", "outcome"),
        ("statutory", "outcome_note"),
    ):
        with pytest.raises(InvalidFields) as problems:
            services.end(act(me), me, conversation, outcome=outcome)
        assert field in problems.value.fields


def test_conversation_1_to_2_keeps_the_owner_and_2_ends_stable(triaged_request: Any) -> None:
    first = started(triaged_request)
    me = first.owner
    second = services.end(act(me), me, first, outcome="needs_2")
    assert second is not None
    assert (second.kind, second.owner, second.previous, second.request) == (
        Kind.CRISIS,
        me,
        first,
        triaged_request,
    )
    assert second.what_matters == first.what_matters, "told once, not asked again"
    assert Allocation.objects.filter(worker=me, ended_at__isnull=True).exists(), "the worker stays"
    step = crisis.add_step(
        act(me),
        me,
        second,
        what="Call the landlord",
        who="Key worker",
        by_when=date.today().isoformat(),
    )
    crisis.step_done(act(me), me, second, step.pk)
    crisis.add_contact(act(me), me, second, method="phone", note="Calmer today.")
    assert services.end(act(me), me, second, outcome="stable") is None
    triaged_request.refresh_from_db()
    assert triaged_request.outcome == "Stable after conversation 2"


def test_conversation_1_to_3_ends_when_the_support_plan_starts(triaged_request: Any) -> None:
    first = started(triaged_request)
    me = first.owner
    third = services.end(act(me), me, first, outcome="needs_3")
    assert third is not None and third.kind == Kind.GOOD_LIFE
    with pytest.raises(InvalidFields) as problems:
        services.end(act(me), me, third, outcome="statutory", note="Care Act assessment booked")
    assert "agreed_outcome" in problems.value.fields
    services.agree_outcome(act(me), me, third, "To get to the shops on my own each week")
    services.end(act(me), me, third, outcome="statutory", note="Care Act assessment booked")
    triaged_request.refresh_from_db()
    assert triaged_request.status == "closed"
    assert triaged_request.outcome.startswith("Support plan started")
    assert Allocation.objects.filter(worker=me, ended_at__isnull=True).exists(), (
        "long-term support goes on"
    )


def test_a_statutory_route_from_conversation_1_hands_the_request_over(triaged_request: Any) -> None:
    first = started(triaged_request)
    services.end(
        act(first.owner), first.owner, first, outcome="statutory", note="Adult social care"
    )
    triaged_request.refresh_from_db()
    assert triaged_request.status == "handed_over"


def test_only_the_owner_writes_in_a_conversation(triaged_request: Any) -> None:
    conversation = started(triaged_request)
    colleague = worker()
    with pytest.raises(Denied):
        services.record_listening(act(colleague), colleague, conversation, heard("changed"))
    conversation.refresh_from_db()
    assert conversation.what_matters == "Keeping my flat and getting back to work."


def test_a_hand_off_needs_a_reason_moves_at_once_and_is_counted(triaged_request: Any) -> None:
    conversation = started(triaged_request)
    old, new = conversation.owner, worker()
    with pytest.raises(InvalidFields) as problems:
        services.hand_off(act(old), old, conversation, to_username=new.username, reason="")
    assert set(problems.value.fields) == {"reason"}
    services.hand_off(act(old), old, conversation, to_username=new.username, reason="Long leave")
    conversation.refresh_from_db()
    assert conversation.owner == new
    assert HandOff.objects.filter(conversation=conversation).count() == 1
    assert (
        Allocation.objects.get(person_id=conversation.person_id, ended_at__isnull=True).worker
        == new
    )
    assert AuditEntry.objects.filter(action="conversations.hand_off").exists()


def test_a_colleague_cannot_hand_off_but_the_team_manager_can(triaged_request: Any) -> None:
    conversation = started(triaged_request)
    colleague, manager = worker(), worker(Role.TEAM_MANAGER)
    with pytest.raises(Denied):
        services.hand_off(
            act(colleague),
            colleague,
            conversation,
            to_username=colleague.username,
            reason="I'll take it",
        )
    services.hand_off(
        act(manager), manager, conversation, to_username=colleague.username, reason="Owner off sick"
    )
    conversation.refresh_from_db()
    assert conversation.owner == colleague


def test_practical_help_is_refused_without_a_budget_and_beyond_what_is_left(
    triaged_request: Any,
) -> None:
    first = started(triaged_request)
    me = first.owner
    second = services.end(act(me), me, first, outcome="needs_2")
    assert second is not None
    with pytest.raises(InvalidFields) as none_set:
        crisis.give_help(act(me), me, second, amount="20", purpose="Electricity top-up")
    assert "no budget" in none_set.value.fields["amount"]
    manager = worker(Role.TEAM_MANAGER)
    year = crisis.financial_year(date.today())
    crisis.set_budget(act(manager), manager, year=year, amount="100")
    crisis.give_help(act(me), me, second, amount="£60.00", purpose="Electricity top-up")
    with pytest.raises(InvalidFields) as too_much:
        crisis.give_help(act(me), me, second, amount="50", purpose="Food")
    assert "£40.00 left" in too_much.value.fields["amount"]
    assert PracticalHelp.objects.count() == 1
    assert crisis.budget_for(TEAM, year).left == Decimal("40.00")
    with pytest.raises(InvalidFields) as below:
        crisis.set_budget(act(manager), manager, year=year, amount="50")
    assert "already been given" in below.value.fields["amount"]


def test_only_a_team_manager_sets_a_budget_and_the_year_must_be_one(db: Any) -> None:
    practitioner, manager = worker(), worker(Role.TEAM_MANAGER)
    with pytest.raises(Denied):
        crisis.set_budget(act(practitioner), practitioner, year="2026-27", amount="10")
    with pytest.raises(InvalidFields) as problems:
        crisis.set_budget(act(manager), manager, year="2026-28", amount="lots")
    assert set(problems.value.fields) == {"year", "amount"}


def test_the_financial_year_starts_in_april() -> None:
    assert crisis.financial_year(date(2026, 3, 31)) == "2025-26"
    assert crisis.financial_year(date(2026, 4, 1)) == "2026-27"


def test_plan_steps_and_help_belong_to_conversation_2(triaged_request: Any) -> None:
    first = started(triaged_request)
    me = first.owner
    with pytest.raises(InvalidFields):
        crisis.add_step(act(me), me, first, what="x", who="y", by_when=date.today().isoformat())
    second = services.end(act(me), me, first, outcome="needs_2")
    assert second is not None
    with pytest.raises(InvalidFields) as problems:
        crisis.add_step(act(me), me, second, what="", who="", by_when="yesterday")
    assert set(problems.value.fields) == {"what", "who", "by_when"}
