"""The front-door officer's journeys in a real browser (Debian's Chromium), axe-core on every
page: a phone request for a known person (found first, what is known shown), triage with an
override, consent and a connection, a safeguarding concern reaching the team manager's queue;
and a request for someone not known yet."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import Browser
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.frontdoor.conftest import NEED
from upstream.accounts.roles import Role
from upstream.frontdoor.models import Connection, Request, SafeguardingConcern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEAM = "Early help — North"


def _fill_ask(page: Any) -> None:
    page.check("#channel-phone")
    page.select_option("#place", "contact_centre")
    page.fill("#what_matters", "Behind on rent since losing my job; worried about the kids.")
    need = page.locator(f"#need-{NEED}")
    page.locator("#needs details", has=need).locator("summary").click()
    need.check()
    page.check("#urgency-soon")
    page.select_option("#preferred_contact", "phone")
    page.fill("#contact_detail", "07700 900123")


def test_an_officer_takes_a_phone_request_triages_it_connects_and_raises_a_concern(
    browser: Browser, family: dict[str, Any], service: Any
) -> None:
    from upstream.casework.search import index_people

    index_people([family["mother"].person_id])
    create_user(username="fran", role=Role.FRONT_DOOR_OFFICER, first_name="Fran")
    create_user(username="mo", role=Role.TEAM_MANAGER, first_name="Mo", team=TEAM)
    page = browser.sign_in("fran", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Take a request")
    browser.checked()
    page.fill("#name", "Sarah Khan")
    page.click("button:has-text('Search')")
    browser.checked()
    browser.screenshot("frontdoor-find")
    page.click("button:has-text('Take a request')")
    browser.checked()
    assert "What we already know" in page.inner_text("main")
    _fill_ask(page)
    browser.screenshot("frontdoor-new-request")
    page.click("button:has-text('Record the request')")
    browser.checked()
    assert "recorded" in page.inner_text(".govuk-notification-banner")
    browser.screenshot("frontdoor-request")
    # Triage differently from the suggestion: the reason is asked for, then kept.
    request = Request.objects.get()
    other = "statutory" if request.suggested_route != "statutory" else "universal"
    page.check(f"#route-{other}")
    if other == "statutory":
        page.select_option("#team", "Adult social care front door")
    page.click("button:has-text('Save triage decision')")
    browser.checked()
    assert "Say why you chose differently" in page.inner_text(".govuk-error-summary")
    page.check(f"#route-{other}")
    if other == "statutory":
        page.select_option("#team", "Adult social care front door")
    page.fill("#override_reason", "She has care needs at home as well as the rent.")
    page.click("button:has-text('Save triage decision')")
    browser.checked()
    request.refresh_from_db()
    assert request.route == other and request.override_reason
    # Consent, then a connection that shares only what consent covers.
    page.click("text=Record consent")
    browser.checked()
    page.check("#category-contact")
    page.check("#category-needs")
    page.check("#type-voluntary")
    page.check("#state-given")
    page.click("button:has-text('Record consent')")
    browser.checked()
    page.click("text=Connect to a service")
    browser.checked()
    browser.screenshot("frontdoor-connect")
    page.check(f"#service-{service.id}")
    page.fill("#message", "Please call her about her rent arrears this week.")
    page.click("button:has-text('Connect')")
    browser.checked()
    assert Connection.objects.get().status == "sent"
    # A safeguarding concern, from the request page, reaches the team manager at once.
    page.click("text=This is a safeguarding concern")
    browser.checked()
    page.check("#team-adults")
    page.fill("#concern", "She said her partner takes her money.")
    page.click("button:has-text('Send to the safeguarding queue')")
    browser.checked()
    assert SafeguardingConcern.objects.count() == 1
    page.click("text=Sign out")
    page = browser.sign_in("mo", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Safeguarding")
    browser.checked()
    assert request.reference in page.inner_text("main")
    browser.screenshot("frontdoor-safeguarding-queue")


def test_an_officer_takes_a_request_for_someone_not_known_yet(browser: Browser) -> None:
    create_user(username="fran", role=Role.FRONT_DOOR_OFFICER)
    page = browser.sign_in("fran", DEFAULT_PASSWORD)
    browser.visit("/front-door/new/")
    page.click("text=Enter who they are")
    browser.checked()
    page.fill("#given_name", "Jo")
    page.fill("#family_name", "Bloggs")
    page.fill("#dob_day", "3")
    page.fill("#dob_month", "4")
    page.fill("#dob_year", "1979")
    page.fill("#postcode", "M14 5AB")
    _fill_ask(page)
    page.click("button:has-text('Record the request')")
    browser.checked()
    assert "Not matched to anyone we know yet" in page.inner_text("main")
    browser.screenshot("frontdoor-someone-new")
    assert Request.objects.get().provisional.family_name == "Bloggs"
