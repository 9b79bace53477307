"""Conversations in a real browser (Debian's Chromium), axe-core on every page: conversation 1
resolved with a connection; conversation 1 → 2 with an emergency plan → stable; conversation
1 → 3 with agreed outcomes; and the team manager allocating from the waiting list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.fixtures import Browser
from tests.conversations.conftest import triage_to_team
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.conversations.models import Conversation
from upstream.frontdoor.models import Connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEAM = "Early help — North"


def _pick_up(browser: Browser, reference: str) -> Any:
    page = browser.page
    page.click("#navigation >> text=Waiting list")
    browser.checked()
    browser.screenshot("conversations-waiting")
    page.click(f"text={reference}")
    browser.checked()
    browser.screenshot("conversations-waiting-request")
    page.click("button:has-text('Pick up')")
    browser.checked()
    assert "Conversation 1" in page.inner_text("h1")
    return page


def _listen(browser: Browser, what: str) -> None:
    page = browser.page
    page.fill("#what_matters", what)
    page.fill("#strengths_person", "Good with money when there is some")
    page.fill("#strengths_family", "Her sister lives nearby")
    page.click("button:has-text('Save')")
    browser.checked()


def _end(browser: Browser, outcome: str, note: str = "") -> None:
    page = browser.page
    page.check(f"#outcome-{outcome}")
    if note:
        page.fill("#outcome_note", note)
    page.click("button:has-text('End this conversation')")
    browser.checked()


def test_conversation_1_is_resolved_with_a_connection(
    browser: Browser, family: dict[str, Any], service: Any
) -> None:
    from upstream.frontdoor.consent import CATEGORIES, CONNECT_TO_HELP, Asked, record_consent
    from upstream.governance.audit import Actor

    request = triage_to_team(family["mother"].person_id)
    record_consent(
        Actor("setup"), request, Asked(CONNECT_TO_HELP, tuple(CATEGORIES), types=("any_directory",))
    )
    create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat", team=TEAM)
    browser.sign_in("pat", DEFAULT_PASSWORD)
    page = _pick_up(browser, request.reference)
    _listen(browser, "Keeping my flat and sorting the debts")
    conversation = Conversation.objects.get()
    page.click("text=Connect to a service")
    browser.checked()
    page.check(f"#service-{service.id}")
    page.fill("#message", "Please help with her rent arrears.")
    page.click("button:has-text('Connect')")
    browser.checked()
    assert Connection.objects.get().status == "sent"
    browser.visit(f"/conversations/{conversation.pk}/")
    assert service.name in page.inner_text("#connections")
    browser.screenshot("conversations-c1")
    _end(browser, "resolved")
    assert "Resolved here" in page.inner_text("h1")
    request.refresh_from_db()
    assert request.status == "closed"
    browser.visit(f"/conversations/{conversation.pk}/copy/")
    browser.checked()
    assert "Keeping my flat" in page.inner_text("main")
    browser.screenshot("conversations-copy")


def test_conversation_1_moves_to_2_with_an_emergency_plan_until_stable(
    browser: Browser, family: dict[str, Any]
) -> None:
    request = triage_to_team(family["mother"].person_id)
    create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat", team=TEAM)
    create_user(username="mo", role=Role.TEAM_MANAGER, first_name="Mo", team=TEAM)
    browser.sign_in("mo", DEFAULT_PASSWORD)
    page = browser.page
    page.click("#navigation >> text=Team conversations")
    browser.checked()
    page.click("text=The budget for practical help")
    browser.checked()
    page.fill("#amount", "500")
    page.click("button:has-text('Set the budget')")
    browser.checked()
    browser.screenshot("conversations-budget")
    page.click("text=Sign out")
    browser.sign_in("pat", DEFAULT_PASSWORD)
    page = _pick_up(browser, request.reference)
    _listen(browser, "The electricity is off and the children are cold")
    _end(browser, "needs_2")
    assert "Conversation 2" in page.inner_text("h1")
    page.click("button:has-text('Add to the plan')")
    browser.checked()
    assert "Enter what must happen" in page.inner_text(".govuk-error-summary")
    page.fill("#what", "Get the electricity back on")
    page.fill("#who", "Pat (key worker) with the supplier")
    page.fill("#by_when", date.today().isoformat())
    page.click("button:has-text('Add to the plan')")
    browser.checked()
    page.select_option("#contact_method", "phone")
    page.fill("#contact_note", "Supplier agreed to reconnect today.")
    page.click("button:has-text('Add to the log')")
    browser.checked()
    page.fill("#amount", "40")
    page.fill("#purpose", "Electricity top-up")
    page.click("button:has-text('Record the help')")
    browser.checked()
    assert "£460.00 left" in page.inner_text("#budget-left")
    page.click("#plan button:has-text('Mark done')")
    browser.checked()
    browser.screenshot("conversations-c2")
    _end(browser, "stable")
    assert "Stable" in page.inner_text("h1")


def test_conversation_1_moves_to_3_with_agreed_outcomes(
    browser: Browser, family: dict[str, Any]
) -> None:
    request = triage_to_team(family["mother"].person_id)
    create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat", team=TEAM)
    browser.sign_in("pat", DEFAULT_PASSWORD)
    page = _pick_up(browser, request.reference)
    _listen(browser, "Staying in my own home as my sight goes")
    _end(browser, "needs_3")
    assert "Conversation 3" in page.inner_text("h1")
    page.fill("#agreed_outcome", "To get to the shops on my own each week")
    page.click("button:has-text('Add the outcome')")
    browser.checked()
    browser.screenshot("conversations-c3")
    _end(browser, "statutory", "Care Act assessment booked with adult social care")
    assert "Ended" in page.inner_text("h1")


def test_the_team_manager_allocates_from_the_waiting_list(
    browser: Browser, family: dict[str, Any]
) -> None:
    request = triage_to_team(family["mother"].person_id)
    worker = create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat", team=TEAM)
    create_user(username="mo", role=Role.TEAM_MANAGER, first_name="Mo", team=TEAM)
    browser.sign_in("mo", DEFAULT_PASSWORD)
    page = browser.page
    page.click("#navigation >> text=Waiting list")
    browser.checked()
    assert page.inner_text("#waiting-count").strip() == "1"
    page.click(f"text={request.reference}")
    browser.checked()
    page.fill("#note", "Rang to say we will be in touch this week.")
    page.check("#method-phone")
    page.click("button:has-text('Record the contact')")
    browser.checked()
    page.select_option("#worker", "pat")
    page.click("button:has-text('Allocate')")
    browser.checked()
    assert "Allocated to Pat" in page.inner_text(".govuk-notification-banner")
    assert Conversation.objects.get().owner == worker
    page.click("#navigation >> text=Team conversations")
    browser.checked()
    browser.screenshot("conversations-team")
    assert "Conversation 1" in page.inner_text("main")
