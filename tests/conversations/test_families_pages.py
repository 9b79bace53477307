"""Team-around-the-family pages for every role: the key worker and the household's team see and
change the whole plan; a partner member sees the plan and their own actions (never the
household's ID or other members' contact details) and marks only their own actions done; a
partner who is not a member, a worker from another team and every other role are refused, and
each refusal is audited. Forms answer with GOV.UK error summaries and save nothing half-way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.casework.conftest import TEAM, client_for, page
from tests.casework.factories import allocate
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import families
from upstream.conversations import families_access as plan_access
from upstream.conversations.families import ActionAsked, DateGiven, MemberAsked
from upstream.conversations.models import FamilyAction, FamilyPlan
from upstream.governance.audit import Actor
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

CHANGE_PAGES = ("members", "outcomes", "actions", "meetings", "close")


@pytest.fixture
def world(family: dict[str, Any]) -> dict[str, Any]:
    """A plan for the family's home: key worker Kim, a partner member (Pat, school nurse) with
    one action, and the key worker's own action; and people who are not in it."""
    kim = create_user(username="kim", role=Role.PRACTITIONER, team=TEAM, first_name="Kim")
    allocate(person=family["mother"], worker=kim)
    actor = Actor("kim", role=kim.role)
    decision = plan_access.decide_household(actor, kim, family["home"].household_id, view="t")
    plan = families.start_plan(actor, kim, decision, risk="high")
    pat = create_user(username="pat", role=Role.PARTNER_PROFESSIONAL)
    nurse = families.add_member(
        actor,
        plan,
        MemberAsked("Pat Nurse", "Northside NHS", "School nurse", "0161 496 0000", "pat"),
    )
    families.add_member(
        actor, plan, MemberAsked("Sam Police", "GMP", "PCSO", "sam@police.example", "")
    )
    due = DateGiven(timezone.localdate() + timedelta(days=7))
    theirs = families.add_action(actor, plan, ActionAsked("Health check", str(nurse.pk), due))
    kims = families.add_action(
        actor, plan, ActionAsked("Home visit", str(plan.members.get(user=kim).pk), due)
    )
    return {
        "plan": plan,
        "kim": kim,
        "pat": pat,
        "theirs": theirs,
        "kims": kims,
        "colleague": create_user(username="mo", role=Role.TEAM_MANAGER, team=TEAM),
        "other_team": create_user(
            username="olly", role=Role.PRACTITIONER, team="Early help — South"
        ),
        "outsider": create_user(username="quinn", role=Role.PARTNER_PROFESSIONAL),
        "provider": create_user(username="pia", role=Role.SERVICE_PROVIDER),
        "citizen": create_user(username="cit", role=Role.CITIZEN),
        "analyst": create_user(username="ana", role=Role.ANALYST),
        "dpo": create_user(username="dee", role=Role.DATA_PROTECTION_OFFICER),
        "officer": create_user(username="fred", role=Role.FRONT_DOOR_OFFICER),
    }


ALLOWED_TO_SEE = {"kim", "colleague", "pat"}
ALLOWED_TO_CHANGE = {"kim", "colleague"}
EVERYONE = (
    "kim",
    "colleague",
    "pat",
    "other_team",
    "outsider",
    "provider",
    "citizen",
    "analyst",
    "dpo",
    "officer",
)


def denials() -> int:
    return AuditEntry.objects.filter(outcome="denied").count()


@pytest.mark.parametrize("who", EVERYONE)
def test_the_plan_page_is_for_the_team_around_the_family_only(
    world: dict[str, Any], who: str
) -> None:
    before = denials()
    response = client_for(world[who]).get(f"/families/{world['plan'].pk}/")
    body = response.content.decode()
    if who in ALLOWED_TO_SEE:
        assert response.status_code == 200
        assert "Health check" in body and "Pat Nurse" in body
        assert AuditEntry.objects.filter(
            action="families.plan.view", actor=world[who].username
        ).exists()
    else:
        assert response.status_code == 403 and denials() == before + 1
        assert "Health check" not in body


def test_a_partner_member_sees_no_household_id_and_no_other_member_s_contact(
    world: dict[str, Any],
) -> None:
    plan = world["plan"]
    shown = page(client_for(world["pat"]).get(f"/families/{plan.pk}/"))
    text = shown.get_text()
    assert plan.household_id not in str(shown)
    assert "sam@police.example" not in text  # another member's contact
    assert "0161 496 0000" in text  # their own
    assert "Add a member" not in text and "Close the family plan" not in text
    buttons = shown.select("form[action*='/done/']")
    assert [b["action"] for b in buttons] == [f"/families/actions/{world['theirs'].pk}/done/"]
    mine = page(client_for(world["kim"]).get(f"/families/{plan.pk}/"))
    assert plan.household_id in mine.get_text() and "sam@police.example" in mine.get_text()


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("form", CHANGE_PAGES)
def test_only_the_key_worker_and_the_household_s_team_change_the_plan(
    world: dict[str, Any], who: str, form: str
) -> None:
    before = denials()
    url = f"/families/{world['plan'].pk}/{form}/"
    response = client_for(world[who]).get(url)
    if who in ALLOWED_TO_CHANGE:
        assert response.status_code == 200
    else:
        assert response.status_code == 403 and denials() == before + 1
        assert client_for(world[who]).post(url, {}).status_code == 403


@pytest.mark.parametrize(
    ("who", "action", "allowed"),
    [
        ("pat", "theirs", True),
        ("pat", "kims", False),
        ("kim", "theirs", True),
        ("colleague", "theirs", True),
        ("outsider", "theirs", False),
        ("other_team", "theirs", False),
        ("provider", "theirs", False),
        ("citizen", "theirs", False),
    ],
)
def test_a_partner_member_marks_only_their_own_action_done(
    world: dict[str, Any], who: str, action: str, allowed: bool
) -> None:
    item = world[action]
    before = denials()
    response = client_for(world[who]).post(f"/families/actions/{item.pk}/done/")
    item.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and item.done_at is not None
        assert AuditEntry.objects.filter(
            action="families.action.done", actor=world[who].username
        ).exists()
    else:
        assert response.status_code == 403 and item.done_at is None
        assert denials() == before + 1


def test_marking_done_is_a_post(world: dict[str, Any]) -> None:
    response = client_for(world["pat"]).get(f"/families/actions/{world['theirs'].pk}/done/")
    assert response.status_code == 405


@pytest.mark.parametrize("who", EVERYONE)
def test_the_plans_list_shows_each_role_only_the_plans_it_stands_in(
    world: dict[str, Any], who: str
) -> None:
    response = client_for(world[who]).get("/families/")
    if who in {"citizen", "analyst", "dpo"}:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = f"Family plan {world['plan'].pk}" in response.content.decode()
    assert listed == (who in ALLOWED_TO_SEE), who


def test_the_plans_list_has_csv_and_json_twins_without_the_household_for_partners(
    world: dict[str, Any],
) -> None:
    rows = client_for(world["pat"]).get("/families/?format=json").json()
    assert [r["household"] for r in rows["rows"]] == ["Not shown to partners"]
    csv = client_for(world["kim"]).get("/families/?format=csv").content.decode()
    assert world["plan"].household_id in csv


def test_your_actions_show_overdue_first_and_only_your_own(world: dict[str, Any]) -> None:
    FamilyAction.objects.filter(pk=world["theirs"].pk).update(
        due=timezone.localdate() - timedelta(days=3)
    )
    shown = page(client_for(world["pat"]).get("/families/actions/"))
    text = shown.get_text()
    assert "Health check" in text and "Home visit" not in text
    assert "Overdue" in text and "1 is overdue" in text
    kim = page(client_for(world["kim"]).get("/families/actions/")).get_text()
    assert "Home visit" in kim and "Health check" not in kim


def test_an_empty_action_form_shows_the_error_summary_and_saves_nothing(
    world: dict[str, Any],
) -> None:
    plan = world["plan"]
    response = client_for(world["kim"]).post(
        f"/families/{plan.pk}/actions/", {"due_day": "31", "due_month": "2", "due_year": "2027"}
    )
    assert response.status_code == 400
    summary = page(response).select_one(".govuk-error-summary")
    assert summary is not None
    links = {a["href"] for a in summary.select("a")}
    assert links == {"#action", "#owner", "#due"}
    assert FamilyAction.objects.filter(plan=plan).count() == 2


def test_closing_from_the_page_needs_every_outcome_answered(world: dict[str, Any]) -> None:
    plan, client = world["plan"], client_for(world["kim"])
    actor = Actor("kim", role="practitioner")
    school = families.add_outcome(actor, plan, area="education", outcome="In school")
    response = client.post(f"/families/{plan.pk}/close/", {"note": "Done"})
    assert response.status_code == 400
    assert page(response).select_one(f".govuk-error-summary a[href='#achieved-{school.pk}']")
    response = client.post(f"/families/{plan.pk}/close/", {f"achieved-{school.pk}": "sustained"})
    assert response.status_code == 302
    assert not FamilyPlan.objects.get(pk=plan.pk).is_open


def test_the_start_page_starts_a_plan_for_a_household_the_worker_may_see(
    family: dict[str, Any],
) -> None:
    worker = create_user(username="kit", role=Role.TEAM_MANAGER, team=TEAM)
    allocate(person=family["son"], team=TEAM)
    client = client_for(worker)
    household = family["home"].household_id
    found = client.get(f"/families/start/?household={household}")
    assert found.status_code == 302 and found["Location"] == f"/families/start/{household}/"
    assert client.get(found["Location"]).status_code == 200
    response = client.post(found["Location"], {"risk": "low"})
    plan = FamilyPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/families/{plan.pk}/"
    again = page(client.get(found["Location"]))
    assert "already has an open family plan" in again.get_text()
    assert client.get("/families/start/?household=").status_code == 302


def test_a_partner_cannot_start_a_plan(family: dict[str, Any]) -> None:
    partner = create_user(role=Role.PARTNER_PROFESSIONAL)
    before = denials()
    response = client_for(partner).get(f"/families/start/{family['home'].household_id}/")
    assert response.status_code == 403 and denials() == before + 1
    assert "Canal Street" not in response.content.decode()


def test_a_household_flagged_for_supporting_families_is_offered_a_plan(
    family: dict[str, Any],
) -> None:
    from datetime import date

    from upstream.flags.models import Flag, IdentifyRun

    worker = create_user(username="kai", role=Role.PRACTITIONER, team=TEAM)
    allocate(person=family["mother"], worker=worker)
    run = IdentifyRun.objects.create(as_of=date(2025, 3, 31), input_kind="test", workspace="t")
    household = family["home"].household_id
    Flag.objects.create(
        flag_id=f"supporting-families/{household}/2025-03-31",
        flag_key=f"supporting-families/{household}",
        run=run,
        ruleset_id="supporting-families",
        ruleset_version="1",
        kind="rule",
        code="SF",
        label="Supporting Families",
        subject_type="household",
        subject_id=household,
    )
    shown = page(client_for(worker).get("/families/"))
    link = shown.select_one(f"a[href='/families/start/{household}/']")
    assert link is not None and "Start a family plan" in link.get_text()
