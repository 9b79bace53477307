"""The first journey in a real browser: start page → sign in → role home → sign out."""

from __future__ import annotations

import pytest

from tests.browser.fixtures import Browser
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role, navigation_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_practitioner_signs_in_from_the_start_page_and_signs_out(browser: Browser) -> None:
    create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat")
    page = browser.visit("/")
    browser.screenshot("start")
    page.click("text=Sign in")
    browser.checked()
    page.fill("#id_username", "pat")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    browser.checked()
    assert page.inner_text("h1") == "Welcome, Pat"
    browser.screenshot("home-practitioner")
    page.click("text=Sign out")
    browser.checked()
    assert page.inner_text("h1") == "Upstream"


def test_a_wrong_password_is_reported_accessibly(browser: Browser) -> None:
    create_user(username="pat", role=Role.PRACTITIONER)
    page = browser.sign_in("pat", "not-the-password")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    browser.screenshot("sign-in-error")


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CITIZEN, Role.DATA_PROTECTION_OFFICER])
def test_each_role_sees_its_own_navigation_in_the_browser(browser: Browser, role: Role) -> None:
    create_user(username="someone", role=role)
    page = browser.sign_in("someone", DEFAULT_PASSWORD)
    labels = [t.strip() for t in page.locator("#navigation a").all_inner_texts()]
    assert labels == [item.label for item in navigation_for(role)]
    for item in navigation_for(role)[1:]:
        page.click(f"#navigation >> text={item.label}")
        browser.checked()
    browser.screenshot(f"home-{role.value}")
