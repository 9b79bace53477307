"""The conversation pages through a browserless client: the waiting list with its size and a
contact while waiting, pick-up and allocation, conversations 1, 2 and 3 from their forms (a form
with problems says so and saves nothing), lists with their twins, the printable copy, and the
team's budget."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.casework.conftest import TEAM, client_for, page
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import crisis
from upstream.conversations.models import Conversation, PlanStep, TeamBudget, WaitingContact
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def picked_up(client: Any, triaged_request: Any) -> Conversation:
    response = client.post(f"/conversations/waiting/{triaged_request.reference}/pick-up/")
    assert response.status_code == 302, response.content[:500]
    return Conversation.objects.get(request=triaged_request)


def test_the_waiting_list_shows_its_size_and_the_request(
    triaged_request: Any, sign_in: Any
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    response = client.get("/conversations/waiting/")
    assert response.status_code == 200
    shown = page(response)
    assert shown.select_one("#waiting-count").text.strip() == "1"
    assert triaged_request.reference in response.content.decode()
    assert client.get("/conversations/waiting/?format=csv").status_code == 200


def test_a_contact_while_waiting_with_problems_saves_nothing(
    triaged_request: Any, sign_in: Any
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    url = f"/conversations/waiting/{triaged_request.reference}/"
    bad = client.post(url, {"method": "", "note": ""})
    assert bad.status_code == 400
    summary = page(bad).select_one(".govuk-error-summary")
    assert summary is not None and "How are they" not in summary.text
    assert {a["href"] for a in summary.select("a")} == {"#method", "#note"}
    assert not WaitingContact.objects.exists()
    good = client.post(url, {"method": "phone", "note": "Coping, thank you."})
    assert good.status_code == 302
    assert "Coping, thank you." in client.get(url).content.decode()


def test_picking_up_opens_conversation_1_for_the_practitioner(
    triaged_request: Any, sign_in: Any
) -> None:
    me, client = sign_in(Role.PRACTITIONER)
    conversation = picked_up(client, triaged_request)
    assert conversation.owner == me
    shown = client.get(f"/conversations/{conversation.pk}/")
    assert shown.status_code == 200
    body = shown.content.decode()
    assert "What we already know" in body and "Conversation 1" in body
    assert AuditEntry.objects.filter(
        action="conversations.view", person=conversation.person_id
    ).exists()
    assert triaged_request.reference not in client.get("/conversations/waiting/").content.decode()


def test_the_team_manager_allocates_from_the_waiting_page(
    triaged_request: Any, sign_in: Any
) -> None:
    worker = create_user(role=Role.PRACTITIONER, team=TEAM)
    _, client = sign_in(Role.TEAM_MANAGER)
    form = client.get(f"/conversations/waiting/{triaged_request.reference}/")
    assert page(form).select_one(f"#worker option[value='{worker.username}']") is not None
    response = client.post(
        f"/conversations/waiting/{triaged_request.reference}/allocate/", {"worker": "nobody"}
    )
    assert response.status_code == 400
    assert not Conversation.objects.exists()
    response = client.post(
        f"/conversations/waiting/{triaged_request.reference}/allocate/", {"worker": worker.username}
    )
    assert response.status_code == 302
    assert Conversation.objects.get().owner == worker


def test_conversation_1_resolved_from_its_page(triaged_request: Any, sign_in: Any) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    conversation = picked_up(client, triaged_request)
    base = f"/conversations/{conversation.pk}/"
    early = client.post(base + "end/", {"outcome": "resolved"})
    assert early.status_code == 400
    assert "Record what matters" in early.content.decode()
    saved = client.post(
        base + "listening/",
        {"what_matters": "Keeping my home", "strengths_family": "My sister nearby", "risk": "low"},
    )
    assert saved.status_code == 302
    assert client.post(base + "end/", {"outcome": "resolved"}).status_code == 302
    conversation.refresh_from_db()
    triaged_request.refresh_from_db()
    assert conversation.outcome == "resolved" and triaged_request.status == "closed"


def test_conversation_2_keeps_a_plan_a_log_and_help_within_the_budget(
    triaged_request: Any, sign_in: Any
) -> None:
    manager = create_user(role=Role.TEAM_MANAGER, team=TEAM)
    TeamBudget.objects.create(
        team=TEAM,
        financial_year=crisis.financial_year(date.today()),
        amount="50",
        set_by=manager,
        set_at="2026-04-01T09:00Z",
    )
    _, client = sign_in(Role.PRACTITIONER)
    first = picked_up(client, triaged_request)
    client.post(
        f"/conversations/{first.pk}/listening/", {"what_matters": "The bailiffs are coming"}
    )
    moved = client.post(f"/conversations/{first.pk}/end/", {"outcome": "needs_2"})
    second = Conversation.objects.get(previous=first)
    assert moved["Location"] == f"/conversations/{second.pk}/"
    base = f"/conversations/{second.pk}/"
    bad = client.post(base + "steps/", {"what": "Call the landlord", "who": "", "by_when": "soon"})
    assert bad.status_code == 400 and not PlanStep.objects.exists()
    client.post(
        base + "steps/",
        {"what": "Call the landlord", "who": "Key worker", "by_when": date.today().isoformat()},
    )
    step = PlanStep.objects.get()
    client.post(base + f"steps/{step.pk}/done/")
    client.post(base + "contacts/", {"contact_method": "phone", "contact_note": "Calmer now."})
    refused = client.post(base + "help/", {"amount": "80", "purpose": "Food shop"})
    assert refused.status_code == 400 and "£50.00 left" in refused.content.decode()
    assert client.post(base + "help/", {"amount": "30", "purpose": "Food shop"}).status_code == 302
    shown = client.get(base).content.decode()
    assert "Calmer now." in shown and "£20.00 left" in shown
    assert client.post(base + "end/", {"outcome": "stable"}).status_code == 302


def test_conversation_3_agrees_outcomes_then_the_support_plan_starts(
    triaged_request: Any, sign_in: Any
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    first = picked_up(client, triaged_request)
    client.post(f"/conversations/{first.pk}/listening/", {"what_matters": "Living at home safely"})
    client.post(f"/conversations/{first.pk}/end/", {"outcome": "needs_3"})
    third = Conversation.objects.get(previous=first)
    base = f"/conversations/{third.pk}/"
    assert client.post(base + "outcomes/", {"agreed_outcome": " "}).status_code == 400
    client.post(base + "outcomes/", {"agreed_outcome": "To cook my own meals again"})
    client.post(base + "end/", {"outcome": "statutory", "outcome_note": "Care Act assessment"})
    third.refresh_from_db()
    assert third.outcome == "statutory"
    copy = client.get(base + "copy/")
    assert copy.status_code == 200
    text = copy.content.decode()
    assert "To cook my own meals again" in text and "Living at home safely" in text
    assert "govuk-service-navigation" not in text, "no menus on the person's copy"
    assert "service user" not in text.lower() and " case" not in text.lower()


def test_my_conversations_and_the_teams_list_by_kind_with_twins(
    triaged_request: Any, sign_in: Any
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    conversation = picked_up(client, triaged_request)
    mine = client.get("/conversations/")
    assert f"C{conversation.pk}" in mine.content.decode()
    assert f"C{conversation.pk}" not in client.get("/conversations/?kind=2").content.decode()
    assert client.get("/conversations/?format=json").json()
    manager_client = client_for(create_user(role=Role.TEAM_MANAGER, team=TEAM))
    assert f"C{conversation.pk}" in manager_client.get("/conversations/team/").content.decode()


def test_a_hand_off_from_the_page_needs_a_reason(triaged_request: Any, sign_in: Any) -> None:
    colleague = create_user(role=Role.PRACTITIONER, team=TEAM)
    _, client = sign_in(Role.PRACTITIONER)
    conversation = picked_up(client, triaged_request)
    base = f"/conversations/{conversation.pk}/"
    assert (
        client.post(base + "hand-off/", {"to": colleague.username, "reason": ""}).status_code == 400
    )
    assert (
        client.post(
            base + "hand-off/", {"to": colleague.username, "reason": "Moving team"}
        ).status_code
        == 302
    )
    conversation.refresh_from_db()
    assert conversation.owner == colleague


def test_the_team_manager_sets_the_budget_and_bad_input_says_so(sign_in: Any) -> None:
    _, client = sign_in(Role.TEAM_MANAGER)
    assert client.get("/conversations/budget/").status_code == 200
    bad = client.post("/conversations/budget/", {"year": "next year", "amount": "-5"})
    assert bad.status_code == 400 and not TeamBudget.objects.exists()
    year = crisis.financial_year(date.today())
    assert (
        client.post("/conversations/budget/", {"year": year, "amount": "£2,500"}).status_code == 302
    )
    assert str(TeamBudget.objects.get().amount) == "2500.00"
