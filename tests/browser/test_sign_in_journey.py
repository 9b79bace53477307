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


def test_a_commissioner_reads_the_business_cases(
    browser: Browser, settings, tmp_path, test_city
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import shutil

    # The example appraisals the demo pipeline wrote.
    shutil.copytree(test_city.data_dir / "reports", tmp_path / "reports")
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path)
    create_user(username="cara", role=Role.COMMISSIONER)
    browser.sign_in("cara", DEFAULT_PASSWORD)
    page = browser.visit("/appraisals/")
    assert "Business cases" in page.inner_text("h1")
    browser.screenshot("appraisals")
    page.click("text=Read the report for Early help transformation programme: business case")
    page.wait_for_load_state("load")
    assert "The answer" in page.inner_text("body")
    browser.screenshot("appraisal-report")


def test_the_error_pages_are_accessible_govuk_pages(browser: Browser) -> None:
    page = browser.visit("/no-such-page/")
    assert page.inner_text("h1") == "Page not found"
    browser.screenshot("error-404")
    create_user(username="cy", role=Role.CITIZEN)
    browser.sign_in("cy", DEFAULT_PASSWORD)
    page = browser.visit("/city/")
    assert page.inner_text("h1") == "You cannot see this page"
    browser.screenshot("error-403")
