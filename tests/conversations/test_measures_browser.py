"""The team measures page in a real browser (Debian's Chromium), axe-core on every page: a team
manager opens it from the navigation, reads a measure's figures as a table, narrows it to a
ward, downloads the spreadsheet, and is told plainly when a choice is not on offer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import Browser
from tests.conversations.test_measures import TEAM, dataset  # noqa: F401  (fixture)
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.conversations import measures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_manager_reads_their_teams_measures_and_narrows_them_to_a_ward(
    browser: Browser,
    dataset: dict[str, Any],  # noqa: F811
) -> None:
    measures.forget()
    create_user(username="mo", role=Role.TEAM_MANAGER, first_name="Mo", team=TEAM)
    page = browser.sign_in("mo", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Team measures")
    browser.checked()
    assert page.locator("#team").input_value() == TEAM
    assert page.locator("svg.upstream-trend").count() == len(measures.DEFINITIONS)
    page.click("text=Resolved at conversation 1 as a table")
    section = page.locator("section", has=page.locator("#m-resolved_at_c1"))
    assert "Month" in section.locator("table").inner_text()
    browser.screenshot("conversations-measures")
    page.select_option("#ward", "Ashfield")
    page.click("button:has-text('Show')")
    browser.checked()
    assert "ward=Ashfield" in page.url
    with page.expect_download() as download:
        page.click("text=Excel (XLSX)")
    assert download.value.suggested_filename.endswith(".xlsx")
    browser.visit("/conversations/measures/?team=Nobody")
    assert "Choose a team from the list" in page.inner_text(".govuk-error-summary")
    measures.forget()
