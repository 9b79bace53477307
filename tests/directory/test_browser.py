"""The citizen's search and the editor's update in a real browser, checked by axe-core."""

from __future__ import annotations

import pytest

from tests.browser.fixtures import Browser
from tests.directory.factories import journey_service, load_directory
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_finds_saturday_debt_advice_for_over_60s_without_javascript(
    chromium, live_server
) -> None:  # type: ignore[no-untyped-def]
    load_directory(per_item=2)
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/directory/")
    page.fill("#id_postcode", "UP1 2AB")
    page.select_option("#id_need", "financial-help")
    page.fill("#id_age", "67")
    page.select_option("#id_day", "SA")
    page.click("button:has-text('Search')")
    assert page.inner_text(".upstream-result h3") == journey_service().name
    context.close()


def test_the_citizen_journey_is_accessible_and_looks_right(browser: Browser) -> None:
    load_directory(per_item=2)
    page = browser.visit("/directory/")
    browser.screenshot("directory-search-start")
    page.fill("#id_postcode", "up1 2ab")
    page.select_option("#id_need", "financial-help")
    page.fill("#id_age", "67")
    page.select_option("#id_day", "SA")
    page.click("button:has-text('Search')")
    browser.checked()
    browser.screenshot("directory-search-results")
    page.click(".upstream-result h3 a")
    browser.checked()
    assert page.inner_text("h1") == journey_service().name
    browser.screenshot("directory-service")


def test_search_mistakes_are_reported_accessibly(browser: Browser) -> None:
    page = browser.visit("/directory/?postcode=nowhere&age=old")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    browser.screenshot("directory-search-errors")


def test_an_editor_updates_the_service_and_sees_the_change_in_its_history(browser: Browser) -> None:
    load_directory(per_item=1)
    create_user(username="editor", role=Role.ADMINISTRATOR, first_name="Eddie", last_name="Editor")
    browser.sign_in("editor", DEFAULT_PASSWORD)
    page = browser.visit("/directory/editor/")
    browser.screenshot("directory-editor-home")
    browser.visit(f"/directory/services/{journey_service().pk}/")
    page.click("text=Edit this service")
    browser.checked()
    browser.screenshot("directory-editor-form")
    page.fill("#id_closes_at", "14:00")
    page.check("#id_reviewed")
    page.click("button:has-text('Save')")
    browser.checked()
    assert page.inner_text("h1") == "Change history"
    assert "14:00:00" in page.inner_text("table")
    browser.screenshot("directory-history")
    browser.visit("/directory/editor/stale/")
    browser.screenshot("directory-stale")


def test_editor_form_errors_are_reported_accessibly(browser: Browser) -> None:
    load_directory(per_item=1)
    create_user(username="editor", role=Role.ADMINISTRATOR)
    browser.sign_in("editor", DEFAULT_PASSWORD)
    page = browser.visit(f"/directory/editor/services/{journey_service().pk}/edit/")
    page.fill("#id_name", "")
    page.fill("#id_opens_at", "14:00")
    page.click("button:has-text('Save')")
    browser.checked()
    assert "Enter the service name" in page.inner_text(".govuk-error-summary")
    browser.screenshot("directory-editor-errors")
