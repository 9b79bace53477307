"""Reviews proportionate to risk: scheduled from the versioned policy, recorded with each
outcome achieved / partly / not (checked whole), the next one scheduled, and the pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.casework.conftest import page
from tests.conversations.review_factories import agree, create_conversation, create_plan
from tests.factories import create_user
from upstream.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("risk", "weeks"), [("high", 6), ("medium", 12), ("low", 26)])
def test_a_conversation_that_agrees_outcomes_is_reviewed_after_the_policy_interval_for_its_risk(
    risk: str, weeks: int
) -> None:
    from upstream.conversations.reviews import schedule_for_conversation

    owner = create_user(role=Role.PRACTITIONER)
    conversation = create_conversation(owner=owner, person_id="P1", risk=risk)
    agree(conversation, "Keep my flat", on=date(2025, 10, 6))
    review = schedule_for_conversation(conversation)
    assert review is not None
    assert review.due_on == date(2025, 10, 6) + timedelta(weeks=weeks)
    assert review.policy_version == "1.0.0"


def test_no_review_is_scheduled_before_outcomes_are_agreed_and_asking_twice_keeps_one() -> None:
    from upstream.conversations.models import Review
    from upstream.conversations.reviews import schedule_for_conversation

    conversation = create_conversation(owner=create_user(), person_id="P1")
    assert schedule_for_conversation(conversation) is None
    agree(conversation, "Keep my flat")
    first = schedule_for_conversation(conversation)
    assert schedule_for_conversation(conversation) == first
    assert Review.objects.count() == 1


def test_a_family_plan_is_first_reviewed_from_the_day_it_started() -> None:
    from upstream.conversations.reviews import schedule_for_plan
    from upstream.governance.models import AuditEntry

    plan = create_plan(key_worker=create_user(), risk="high", started=date(2025, 11, 3))
    review = schedule_for_plan(plan)
    assert review.due_on == date(2025, 12, 15)
    assert AuditEntry.objects.filter(action="conversations.review.schedule").count() == 1


def test_the_bundled_review_policy_has_no_problems() -> None:
    from upstream.conversations import review_policy

    assert review_policy.check(review_policy.current_file()) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("high = 6", "high = 0"), "intervals.high: must be a whole number of weeks"),
        (("low = 26", "low = 60"), "intervals.low: 60 weeks is longer than 52"),
        (("high = 6", "high = 30"), "a higher risk must not wait longer"),
        (('version = "1.0.0"', 'version = ""'), "policy.version: missing"),
        (("[intervals]", "[intervals"), "not TOML"),
    ],
)
def test_a_review_policy_with_a_problem_is_refused_naming_the_field(
    change: tuple[str, str], problem: str, tmp_path: Path
) -> None:
    from upstream.conversations import review_policy

    text = review_policy.current_file().read_text().replace(*change)
    path = tmp_path / "review-policy-v9.toml"
    path.write_text(text)
    problems = review_policy.check(path)
    assert any(problem in p for p in problems), problems
    assert all(p.startswith(str(path)) for p in problems)


def _waiting_review(owner: Any, *outcomes: str, due_in_days: int = -3, **fields: Any) -> Any:
    from upstream.conversations.reviews import schedule_for_conversation

    conversation = create_conversation(
        owner=owner, person_id=fields.pop("person_id", "P1"), **fields
    )
    agree(conversation, *(outcomes or ("Keep my flat", "Find work")))
    review = schedule_for_conversation(conversation)
    review.due_on = date.today() + timedelta(days=due_in_days)
    review.save()
    return review


def test_a_review_with_no_answers_names_every_missing_answer_and_saves_nothing() -> None:
    from upstream.conversations.models import Review
    from upstream.conversations.reviews import check_answers
    from upstream.errors import InvalidFields

    review = _waiting_review(create_user())
    with pytest.raises(InvalidFields) as problems:
        check_answers(review, {"note": "x" * 5001})
    outcome_ids = [f"outcome-{o.pk}" for o in review.conversation.agreed_outcomes.all()]
    assert set(problems.value.fields) == {"method", "reason", "risk", "note", *outcome_ids}
    assert problems.value.fields[outcome_ids[1]] == "Select whether outcome 2 was achieved"
    assert Review.objects.get().held_at is None


def test_holding_a_review_records_each_outcome_and_schedules_the_next_at_the_risk_now() -> None:
    from upstream.conversations.reviews import check_answers, hold, outcomes_achieved
    from upstream.governance.audit import Actor
    from upstream.governance.models import AuditEntry

    owner = create_user()
    review = _waiting_review(owner, risk="medium")
    first, second = review.conversation.agreed_outcomes.order_by("pk")
    answers = {
        "method": "phone",
        "reason": "planned",
        "risk": "high",
        f"outcome-{first.pk}": "achieved",
        f"outcome-{second.pk}": "partly",
    }
    following = hold(review, check_answers(review, answers), by=owner, actor=Actor("t"))
    review.refresh_from_db()
    assert review.held_by == owner
    assert review.outcomes == {str(first.pk): "achieved", str(second.pk): "partly"}
    assert outcomes_achieved(review) == "Partially Met"
    assert following is not None
    assert following.due_on == date.today() + timedelta(weeks=6), "high risk: six weeks"
    review.conversation.refresh_from_db()
    assert review.conversation.risk == "high"
    assert AuditEntry.objects.filter(action="conversations.review.record").count() == 1
    with pytest.raises(Exception, match="already been recorded"):
        check_answers(review, answers)


@pytest.mark.parametrize(
    ("answers", "cld"),
    [
        (["achieved", "achieved"], "Fully Met"),
        (["achieved", "not"], "Partially Met"),
        (["partly", "not"], "Partially Met"),
        (["not", "not"], "Not Met"),
        ([], ""),
    ],
)
def test_outcomes_achieved_follows_the_cld_rule(answers: list[str], cld: str) -> None:
    from upstream.conversations.models import Review
    from upstream.conversations.reviews import outcomes_achieved

    review = Review(outcomes={str(i): a for i, a in enumerate(answers)})
    assert outcomes_achieved(review) == cld


def test_a_practitioner_lists_their_own_reviews_and_a_team_manager_the_teams(
    sign_in: Any,
) -> None:
    worker, worker_client = sign_in(Role.PRACTITIONER, first_name="Priya", last_name="Shah")
    colleague = create_user(role=Role.PRACTITIONER, team=worker.team)
    _waiting_review(worker, person_id="P1")
    _waiting_review(colleague, person_id="P2", due_in_days=10)
    _, manager_client = sign_in(Role.TEAM_MANAGER)
    mine = page(worker_client.get("/reviews/"))
    assert "1 in all" in mine.get_text()
    assert "Overdue by 3 days" in mine.get_text()
    team = page(manager_client.get("/reviews/"))
    assert "2 in all" in team.get_text()
    download = manager_client.get("/reviews/?format=csv")
    assert download.status_code == 200
    assert "Due in 10 days" in download.content.decode()


def test_someone_outside_the_team_is_refused_a_review_and_the_refusal_is_audited(
    sign_in: Any,
) -> None:
    from upstream.governance.models import AuditEntry

    review = _waiting_review(create_user(role=Role.PRACTITIONER, team="Early help — North"))
    _, elsewhere = sign_in(Role.PRACTITIONER, team="Early help — South")
    assert elsewhere.get(f"/reviews/{review.pk}/").status_code == 403
    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    assert officer.get("/reviews/").status_code == 403
    assert AuditEntry.objects.filter(outcome="denied").count() == 2


def test_recording_a_review_on_its_page_shows_errors_first_then_the_next_review(
    sign_in: Any,
) -> None:
    from upstream.conversations.models import Review

    worker, client = sign_in(Role.PRACTITIONER)
    review = _waiting_review(worker)
    form = page(client.get(f"/reviews/{review.pk}/"))
    assert "Keep my flat" in form.get_text()
    refused = client.post(f"/reviews/{review.pk}/", {"method": "phone"})
    assert refused.status_code == 400
    summary = page(refused).select_one(".govuk-error-summary")
    assert summary is not None
    assert "Select why the review was held" in summary.get_text()
    first, second = review.conversation.agreed_outcomes.order_by("pk")
    done = client.post(
        f"/reviews/{review.pk}/",
        {
            "method": "face_to_face",
            "reason": "safeguarding",
            "risk": "low",
            f"outcome-{first.pk}": "achieved",
            f"outcome-{second.pk}": "not",
        },
        follow=True,
    )
    text = page(done).get_text()
    following = Review.objects.get(held_at__isnull=True)
    assert following.due_on == date.today() + timedelta(weeks=26)
    assert f"The next review is due on {following.due_on:%-d %B %Y}" in text
    assert "Unplanned - Safeguarding concern" in text


def test_the_due_page_shows_the_users_overdue_reviews_plan_steps_and_family_actions(
    sign_in: Any,
) -> None:
    from tests.conversations.review_factories import create_member
    from upstream.conversations.models import FamilyAction, PlanStep

    worker, client = sign_in(Role.PRACTITIONER)
    _waiting_review(worker)
    crisis = create_conversation(owner=worker, person_id="P3", kind=2, started=date.today())
    PlanStep.objects.create(
        conversation=crisis, what="Ring the landlord", who="Me", by_when=date.today()
    )
    PlanStep.objects.create(
        conversation=crisis, what="Next week's step", who="Me", by_when=date.today() + timedelta(7)
    )
    plan = create_plan(key_worker=create_user(), started=date.today() - timedelta(30))
    FamilyAction.objects.create(
        plan=plan,
        action="Book the school meeting",
        owner=create_member(plan, user=worker),
        due=date.today() - timedelta(1),
    )
    text = page(client.get("/reviews/due/")).get_text()
    assert "Overdue by 3 days" in text
    assert "Ring the landlord" in text and "Due today" in text
    assert "Next week's step" not in text
    assert "Book the school meeting" in text and "Overdue by 1 day" in text


def test_late_work_is_counted_per_team() -> None:
    from upstream.conversations.models import PlanStep
    from upstream.conversations.overdue import by_team

    north = create_user(team="Early help — North")
    _waiting_review(north)
    _waiting_review(north, person_id="P2", due_in_days=0, team="Early help — South")
    crisis = create_conversation(owner=north, person_id="P3", kind=2, team="Early help — South")
    PlanStep.objects.create(
        conversation=crisis, what="Ring", who="Me", by_when=date.today() - timedelta(2)
    )
    counts = {c.team: (c.reviews, c.plan_steps, c.family_actions) for c in by_team(date.today())}
    assert counts == {"Early help — North": (1, 0, 0), "Early help — South": (0, 1, 0)}
