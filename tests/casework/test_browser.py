"""Search → person → household in a real browser (Debian's Chromium), axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.fixtures import Browser
from tests.casework.factories import allocate
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEAM = "Early help — North"


def test_a_practitioner_finds_a_person_and_sees_their_and_their_households_story(
    browser: Browser, family
) -> None:  # type: ignore[no-untyped-def]
    pat = create_user(
        username="pat", role=Role.PRACTITIONER, first_name="Pat", last_name="Jones", team=TEAM
    )
    for member in ("mother", "son", "partner"):
        allocate(person=family[member], worker=pat)
    page = browser.sign_in("pat", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Find a person")
    browser.checked()
    page.fill("#name", "Sara Kahn")
    page.click("button:has-text('Search')")
    browser.checked()
    browser.screenshot("casework-find-a-person")
    page.click("tbody tr:first-child td:first-child a")
    browser.checked()
    assert page.inner_text("h1") == "Sarah Khan"
    assert "Homelessness application decided" in page.inner_text(".moj-timeline")
    browser.screenshot("casework-person")
    page.select_option("#agency", "health")
    page.click("button:has-text('Apply filters')")
    browser.checked()
    assert page.locator(".moj-timeline__title").all_inner_texts() == ["A&E attendance"]
    page.click(".upstream-person-header a")
    browser.checked()
    assert page.inner_text("h1") == "12 Canal Street, M14 5AB"
    assert "Adam Khan · Schools" in page.inner_text(".moj-timeline")
    browser.screenshot("casework-household")


def test_a_front_door_officer_records_a_reason_and_the_dpo_sees_it(
    browser: Browser, family
) -> None:  # type: ignore[no-untyped-def]
    create_user(username="fran", role=Role.FRONT_DOOR_OFFICER)
    create_user(username="dana", role=Role.DATA_PROTECTION_OFFICER)
    page = browser.sign_in("fran", DEFAULT_PASSWORD)
    browser.visit(f"/people/{family['mother'].person_id}/")
    assert page.inner_text("h1") == "You cannot see this record"
    browser.screenshot("casework-denied")
    page.check("#purpose")
    page.fill("#reason", "Phone call: asking for help with rent arrears")
    page.click("button:has-text('Record reason')")
    browser.checked()
    assert page.inner_text("h1") == "Sarah Khan"
    page.click("text=Sign out")
    browser.checked()
    page = browser.sign_in("dana", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Reasons to review")
    browser.checked()
    assert "rent arrears" in page.inner_text("tbody")
    browser.screenshot("governance-reasons")
    browser.visit(f"/governance/audit/?person={family['mother'].person_id}")
    assert "fran" in page.inner_text("tbody")
    browser.screenshot("governance-audit")
    browser.visit(f"/governance/subject-access/{family['mother'].person_id}/")
    browser.screenshot("governance-subject-access")
