"""Citizens' and partners' journeys at the front door in a real browser (Debian's Chromium),
axe-core on every page: a citizen asks for help with JavaScript switched off, from the start
page to the reference; a citizen signs in, claims a request and reads the services' answers;
a partner professional refers someone and follows the referral."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.fixtures import Browser, check_accessibility
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.frontdoor.conftest import service  # noqa: F401  (a directory service)
from tests.frontdoor.public_helpers import (
    BORN,
    answer,
    connect,
    create_organisation,
    partner_professional,
    take,
)
from upstream.accounts.roles import Role
from upstream.frontdoor.models import Consent, Request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


class NoScriptBrowser(Browser):
    """A browser with JavaScript switched off. axe-core is itself JavaScript, so each page is
    checked as a copy, without its scripts, in a second page on the same site that runs it."""

    def __init__(self, page: Any, base_url: str, checker: Any) -> None:
        super().__init__(page, base_url)
        self.checker = checker

    def checked(self) -> Any:
        self.page.wait_for_load_state("load")
        self.checker.set_content(SCRIPT.sub("", self.page.content()), wait_until="load")
        check_accessibility(self.checker)
        self.visited.append(self.page.url)
        return self.page


@pytest.fixture
def no_script_browser(chromium: Any, live_server: Any) -> Iterator[NoScriptBrowser]:
    without = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    checking = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    checker = checking.new_page()
    checker.goto(live_server.url + "/healthz")  # the copies' addresses resolve on the site
    page = without.new_page()
    page.set_default_timeout(15_000)
    yield NoScriptBrowser(page, live_server.url, checker)
    without.close()
    checking.close()


def _fill_request(page: Any) -> None:
    page.fill("#given_name", "Amina")
    page.fill("#family_name", "Okafor")
    page.fill("#dob_day", str(BORN.day))
    page.fill("#dob_month", str(BORN.month))
    page.fill("#dob_year", str(BORN.year))
    page.fill("#address_line_1", "12 Canal Street")
    page.fill("#address_town", "Upstream")
    page.fill("#postcode", "UP7 4NB")
    page.fill("#what_matters", "I have fallen behind on the rent and the bills keep coming.")
    page.check("#needs-financial-help")
    page.check("#urgency-soon")
    page.check("#preferred_contact")  # phone, the first way
    page.fill("#contact_detail", "07700 900982")


def test_a_citizen_asks_for_help_without_javascript_and_gets_a_reference(
    no_script_browser: NoScriptBrowser,
) -> None:
    browser = no_script_browser
    page = browser.visit("/")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")
    browser.screenshot("public-start")
    page.click("main >> text=Ask for help")
    browser.checked()
    assert page.inner_text("h1") == "Ask for help"
    browser.screenshot("public-ask")
    page.click("button:has-text('Send request')")
    browser.checked()
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    browser.screenshot("public-ask-errors")
    assert not Request.objects.exists()
    page.check("#asked_by")
    _fill_request(page)
    page.check("#consent")
    page.click("button:has-text('Send request')")
    browser.checked()
    request = Request.objects.get()
    assert page.inner_text(".govuk-panel__title") == "Request sent"
    assert page.inner_text("#reference") == request.reference
    assert request.provisional.postcode == "UP7 4NB"
    assert Consent.objects.get(request=request).state == "given"
    browser.screenshot("public-ask-sent")


def test_someone_asking_for_a_friend_with_javascript_gives_their_name_and_may_refuse_sharing(
    browser: Browser,
) -> None:
    page = browser.visit("/ask/")
    page.check("#asked_by-someone")
    page.fill("#asker_name", "Grace Okafor")
    _fill_request(page)
    page.check("#consent-no")
    page.click("button:has-text('Send request')")
    browser.checked()
    request = Request.objects.get()
    assert (request.asked_by, request.asker_name) == ("family_or_friend", "Grace Okafor")
    assert "we will not share them" in page.inner_text("main")


def test_a_citizen_claims_a_request_and_reads_what_the_services_said(
    browser: Browser,
    service: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    request = take()
    answer(connect(request, service), "accepted")
    request.status = "connected"
    request.save()
    create_user(username="amina", role=Role.CITIZEN, first_name="Amina")
    page = browser.sign_in("amina", DEFAULT_PASSWORD)
    browser.screenshot("public-home-citizen")
    page.click("#navigation >> text=Your requests")
    browser.checked()
    browser.screenshot("public-my-requests-empty")
    page.fill("#reference", "R-ZZZZZZZZ")
    page.fill("#dob_day", str(BORN.day))
    page.fill("#dob_month", str(BORN.month))
    page.fill("#dob_year", str(BORN.year))
    page.click("button:has-text('Add request')")
    browser.checked()
    assert "We could not find a request" in page.inner_text(".govuk-error-summary")
    browser.screenshot("public-claim-error")
    page.fill("#reference", request.reference.lower())
    page.click("button:has-text('Add request')")
    browser.checked()
    assert page.inner_text("h1") == "Your request for help"
    assert "They have agreed to help and will contact you." in page.inner_text("#answers")
    browser.screenshot("public-my-request")
    page.click("text=Your requests")
    browser.checked()
    assert request.reference in page.inner_text("table")
    browser.screenshot("public-my-requests")


def test_a_partner_refers_someone_and_follows_the_referral(browser: Browser) -> None:
    hub = create_organisation("Riverside Family Hub")
    user, _ = partner_professional(hub, username="hannah")
    for number in range(3):
        take(organisation=hub, by=user, family_name=f"Earlier{number}")
    page = browser.sign_in("hannah", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Refer someone")
    browser.checked()
    assert page.input_value("#asker_name") == "Hannah Reid"
    browser.screenshot("public-refer")
    _fill_request(page)
    page.click("button:has-text('Send referral')")
    browser.checked()
    assert "Confirm the person has agreed" in page.inner_text(".govuk-error-summary")
    browser.screenshot("public-refer-errors")
    page.check("#agreed")
    page.check("#consent_method-verbal")
    page.click("button:has-text('Send referral')")
    browser.checked()
    referral = Request.objects.get(provisional__family_name="Okafor")
    assert referral.reference in page.inner_text(".govuk-notification-banner")
    browser.screenshot("public-referral")
    page.click("#navigation >> text=Referrals")
    browser.checked()
    rows = page.locator("tbody tr")
    assert rows.count() == 4 and referral.reference in rows.first.inner_text()
    browser.screenshot("public-referrals")
    page.click("th >> text=Name")
    browser.checked()
    assert "Earlier0" in page.locator("tbody tr").first.inner_text()
    browser.screenshot("public-referrals-by-name")
