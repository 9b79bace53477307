"""Team around the family, through its services: a key worker starts a plan for a household
they may see, adds members, outcomes, actions and meetings, and closes it only when every
outcome says how far it was achieved; every form is checked whole (nothing saved half-way) and
every write audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.casework.conftest import TEAM
from tests.casework.factories import allocate
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import families
from upstream.conversations import families_access as plan_access
from upstream.conversations.families import ActionAsked, DateGiven, MeetingAsked, MemberAsked
from upstream.conversations.models import FamilyAction, FamilyMember, FamilyPlan
from upstream.errors import Denied, InvalidFields
from upstream.governance.audit import Actor
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def actor_for(user: Any) -> Actor:
    return Actor(user.username, role=user.role)


def key_worker_plan(family: dict[str, Any]) -> tuple[Any, FamilyPlan]:
    worker = create_user(role=Role.PRACTITIONER, team=TEAM, first_name="Kim", last_name="Ward")
    allocate(person=family["mother"], worker=worker)
    actor = actor_for(worker)
    household = family["home"].household_id
    decision = plan_access.decide_household(actor, worker, household, view="test")
    return worker, families.start_plan(actor, worker, decision, risk="medium")


def soon(days: int = 14) -> DateGiven:
    return DateGiven(timezone.localdate() + timedelta(days=days))


def test_a_key_worker_starts_a_plan_and_is_its_first_member(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    assert plan.household_id == family["home"].household_id and plan.team == TEAM
    (member,) = plan.members.all()
    assert member.user == worker and member.role == "Key worker" and member.name == "Kim Ward"
    assert AuditEntry.objects.filter(action="families.plan.start", household=plan.household_id)
    (review,) = plan.reviews.all()
    assert review.due_on > timezone.localdate() and review.held_at is None


def test_a_household_has_one_open_plan_at_a_time(family: dict[str, Any]) -> None:
    worker, _ = key_worker_plan(family)
    decision = plan_access.decide_household(
        actor_for(worker), worker, family["home"].household_id, view="test"
    )
    with pytest.raises(InvalidFields) as problems:
        families.start_plan(actor_for(worker), worker, decision, risk="medium")
    assert "already has an open family plan" in problems.value.fields["start"]
    assert FamilyPlan.objects.count() == 1


def test_starting_a_plan_is_refused_without_a_working_relationship_in_the_household(
    family: dict[str, Any],
) -> None:
    stranger = create_user(role=Role.PRACTITIONER, team="Early help — South")
    with pytest.raises(Denied):
        plan_access.decide_household(
            actor_for(stranger), stranger, family["home"].household_id, view="test"
        )
    partner = create_user(role=Role.PARTNER_PROFESSIONAL)
    with pytest.raises(Denied):
        plan_access.decide_household(
            actor_for(partner), partner, family["home"].household_id, view="test"
        )
    assert AuditEntry.objects.filter(action="families.plan.start", outcome="denied").count() == 2


def test_a_member_with_an_account_is_linked_and_a_citizen_account_is_refused(
    family: dict[str, Any],
) -> None:
    worker, plan = key_worker_plan(family)
    nurse = create_user(username="nurse", role=Role.PARTNER_PROFESSIONAL)
    create_user(username="resident", role=Role.CITIZEN)
    asked = MemberAsked("Pat Nurse", "Northside NHS Trust", "School nurse", "0161 000", "nurse")
    member = families.add_member(actor_for(worker), plan, asked)
    assert member.user == nurse
    with pytest.raises(InvalidFields) as problems:
        families.add_member(
            actor_for(worker), plan, MemberAsked("Res", "None", "Neighbour", "", "resident")
        )
    assert "not for someone who works with families" in problems.value.fields["username"]
    with pytest.raises(InvalidFields) as problems:
        families.add_member(actor_for(worker), plan, asked)
    assert "already in the team" in problems.value.fields["username"]


def test_a_member_form_names_every_missing_field_and_saves_nothing(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    with pytest.raises(InvalidFields) as problems:
        families.add_member(actor_for(worker), plan, MemberAsked("", "", "", "x" * 201, "nobody"))
    assert set(problems.value.fields) == {"name", "organisation", "role", "contact", "username"}
    assert plan.members.count() == 1


@pytest.mark.parametrize(
    ("area", "outcome", "wrong"),
    [
        ("", "We want the children in school every day", "area"),
        ("moon", "We want the children in school every day", "area"),
        ("education", "", "outcome"),
        ("education", "x" * 4001, "outcome"),
    ],
)
def test_an_outcome_needs_a_supporting_families_area_and_the_family_s_words(
    family: dict[str, Any], area: str, outcome: str, wrong: str
) -> None:
    worker, plan = key_worker_plan(family)
    with pytest.raises(InvalidFields) as problems:
        families.add_outcome(actor_for(worker), plan, area=area, outcome=outcome)
    assert set(problems.value.fields) == {wrong}
    assert not plan.outcomes.exists()


def test_an_action_needs_a_member_of_this_plan_and_a_due_date_within_the_plan(
    family: dict[str, Any],
) -> None:
    worker, plan = key_worker_plan(family)
    _, other = key_worker_plan_for_neighbour(family)
    outsider = other.members.get()
    yesterday_of_start = DateGiven(timezone.localdate() - timedelta(days=3))
    cases = [
        (ActionAsked("", "", DateGiven(None)), {"action", "owner", "due"}),
        (ActionAsked("Call school", str(outsider.pk), soon()), {"owner"}),
        (ActionAsked("Call school", "abc", DateGiven(None, "Bad date")), {"owner", "due"}),
        (ActionAsked("Call school", str(plan.members.get().pk), yesterday_of_start), {"due"}),
        (ActionAsked("Call school", str(plan.members.get().pk), soon(3 * 365)), {"due"}),
        (ActionAsked("Call school", str(plan.members.get().pk), soon(), "99999"), {"outcome"}),
    ]
    for asked, wrong in cases:
        with pytest.raises(InvalidFields) as problems:
            families.add_action(actor_for(worker), plan, asked)
        assert set(problems.value.fields) == wrong, asked
    assert not FamilyAction.objects.exists()


def key_worker_plan_for_neighbour(family: dict[str, Any]) -> tuple[Any, FamilyPlan]:
    """Another household's plan (the family's earlier address), with its own key worker."""
    worker = create_user(role=Role.PRACTITIONER, team=TEAM)
    allocate(person=family["earlier"].memberships.get().person, worker=worker)
    decision = plan_access.decide_household(
        actor_for(worker), worker, family["earlier"].household_id, view="test"
    )
    return worker, families.start_plan(actor_for(worker), worker, decision, risk="low")


def test_an_action_marked_done_twice_is_done_once(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    me = plan.members.get()
    item = families.add_action(actor_for(worker), plan, ActionAsked("Visit", str(me.pk), soon()))
    families.complete_action(actor_for(worker), item)
    first = item.done_at
    families.complete_action(actor_for(worker), item)
    item.refresh_from_db()
    assert item.done_at == first
    assert AuditEntry.objects.filter(action="families.action.done").count() == 1


def test_a_meeting_records_who_came_decisions_and_the_next_date(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    me = plan.members.get()
    today = timezone.localdate()
    asked = MeetingAsked(DateGiven(today), (str(me.pk),), "yes", "Agreed a school plan", soon(28))
    meeting = families.record_meeting(actor_for(worker), plan, asked)
    assert list(meeting.attended.all()) == [me] and meeting.family_attended
    assert meeting.next_on == today + timedelta(days=28)


@pytest.mark.parametrize(
    ("held", "attended", "family_came", "decisions", "next_on", "wrong"),
    [
        (None, "me", "yes", "Agreed", None, {"held_on"}),
        (1, "me", "yes", "Agreed", None, {"held_on"}),  # tomorrow: not held yet
        (0, "", "yes", "Agreed", None, {"attended"}),
        (0, "other", "yes", "Agreed", None, {"attended"}),
        (0, "me", "", "Agreed", None, {"family_attended"}),
        (0, "me", "yes", "", None, {"decisions"}),
        (0, "me", "yes", "Agreed", 0, {"next_on"}),  # the same day as this one
    ],
)
def test_a_meeting_form_says_what_is_wrong_and_saves_nothing(
    family: dict[str, Any],
    held: int | None,
    attended: str,
    family_came: str,
    decisions: str,
    next_on: int | None,
    wrong: set[str],
) -> None:
    worker, plan = key_worker_plan(family)
    today = timezone.localdate()
    ids = {"me": (str(plan.members.get().pk),), "other": ("123456",), "": ()}[attended]
    asked = MeetingAsked(
        DateGiven(None if held is None else today + timedelta(days=held)),
        ids,
        family_came,
        decisions,
        DateGiven(None if next_on is None else today + timedelta(days=next_on)),
    )
    with pytest.raises(InvalidFields) as problems:
        families.record_meeting(actor_for(worker), plan, asked)
    assert set(problems.value.fields) == wrong
    assert not plan.meetings.exists()


def test_closing_is_refused_until_every_outcome_says_how_far_it_was_achieved(
    family: dict[str, Any],
) -> None:
    worker, plan = key_worker_plan(family)
    actor = actor_for(worker)
    school = families.add_outcome(actor, plan, area="education", outcome="In school every day")
    home = families.add_outcome(actor, plan, area="housing", outcome="Keep our home")
    with pytest.raises(InvalidFields) as problems:
        families.close_plan(actor, plan, achieved={school.pk: "sustained"}, note="")
    assert set(problems.value.fields) == {f"achieved-{home.pk}"}
    plan.refresh_from_db()
    assert plan.is_open and not plan.outcomes.exclude(achieved="").exists()
    answers = {school.pk: "sustained", home.pk: "significant_progress"}
    families.close_plan(actor, plan, achieved=answers, note="Stable now.")
    plan.refresh_from_db()
    assert not plan.is_open and plan.closure_note == "Stable now."
    entry = AuditEntry.objects.get(action="families.plan.close")
    assert entry.detail["achieved"] == {
        "sustained": 1,
        "significant_progress": 1,
        "not_achieved": 0,
    }


def test_a_closed_plan_takes_no_more_changes(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    actor = actor_for(worker)
    families.close_plan(actor, plan, achieved={}, note="The family moved away.")
    with pytest.raises(InvalidFields) as problems:
        families.add_outcome(actor, plan, area="education", outcome="School")
    assert "closed" in problems.value.fields


def test_a_plan_without_outcomes_closes_only_with_a_reason(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    with pytest.raises(InvalidFields) as problems:
        families.close_plan(actor_for(worker), plan, achieved={}, note="")
    assert set(problems.value.fields) == {"note"}


def test_your_actions_list_only_your_open_actions_soonest_first(family: dict[str, Any]) -> None:
    worker, plan = key_worker_plan(family)
    actor = actor_for(worker)
    nurse = create_user(username="nurse", role=Role.PARTNER_PROFESSIONAL)
    member = families.add_member(
        actor, plan, MemberAsked("Pat", "NHS", "School nurse", "", "nurse")
    )
    later = families.add_action(actor, plan, ActionAsked("Later", str(member.pk), soon(20)))
    sooner = families.add_action(actor, plan, ActionAsked("Sooner", str(member.pk), soon(2)))
    done = families.add_action(actor, plan, ActionAsked("Done", str(member.pk), soon(1)))
    families.add_action(actor, plan, ActionAsked("Mine", str(plan.members.first().pk), soon(1)))
    families.complete_action(actor, done)
    FamilyAction.objects.filter(pk=later.pk).update(due=date(2020, 1, 1))  # long overdue
    assert [a.action for a in families.actions_for(nurse)] == ["Later", "Sooner"]
    assert families.overdue(FamilyAction.objects.get(pk=later.pk))
    assert not families.overdue(sooner)
    FamilyMember.objects.filter(pk=member.pk).update(left_at=timezone.now())
    assert not families.actions_for(nurse).exists()
