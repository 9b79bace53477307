"""The pages in a real browser, checked by axe-core, with screenshots to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_live(transactional_db: None, identify_workspace: Path) -> Path:
    from upstream.flags.publish import publish_workspace

    publish_workspace(identify_workspace)
    return identify_workspace


def test_an_analyst_opens_the_cohort_report(browser: Any, published_live: Path) -> None:
    user = create_user(role=Role.ANALYST)
    browser.sign_in(user.get_username(), DEFAULT_PASSWORD)
    page = browser.visit("/flags/cohorts/")
    assert page.locator("h1").inner_text() == "Cohorts"
    browser.screenshot("flags-cohorts")


def test_a_practitioner_reads_a_familys_why_flagged_cards(
    browser: Any, published_live: Path
) -> None:
    from tests.flags.test_flags import allocated, household_flag_person

    _, person_id = household_flag_person(police=False, others=True)
    user = allocated(person_id)
    browser.sign_in(user.get_username(), DEFAULT_PASSWORD)
    page = browser.visit(f"/flags/person/{person_id}/")
    assert "Why flagged" in page.inner_text("main")
    page.locator("summary").first.click()
    browser.screenshot("flags-person")


def test_the_data_protection_officer_sees_the_transparency_page(
    browser: Any, published_live: Path
) -> None:
    user = create_user(role=Role.DATA_PROTECTION_OFFICER)
    browser.sign_in(user.get_username(), DEFAULT_PASSWORD)
    page = browser.visit("/flags/transparency/")
    assert page.locator("text=Fairness audit (CSV)").count() == 1
    browser.screenshot("flags-transparency")
