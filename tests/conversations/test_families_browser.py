"""A team around the family in a real browser (Debian's Chromium), axe-core on every page: a key
worker starts a family plan for a household on their caseload, adds a partner member, an outcome
and actions, holds a multi-agency meeting; the partner signs in, sees the plan and their own
action (not the household's ID) and marks it done; the key worker closes the plan, first without
saying how far the outcome was achieved, then with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.fixtures import Browser
from tests.casework.factories import allocate
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.conversations.models import FamilyAction, FamilyPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEAM = "Early help — North"


def _date(page: Any, name: str, when: Any) -> None:
    page.fill(f"#{name}", str(when.day))
    page.fill(f"#{name}-month", str(when.month))
    page.fill(f"#{name}-year", str(when.year))


def test_a_key_worker_runs_a_family_plan_with_a_partner_who_completes_an_action(
    browser: Browser, family: dict[str, Any]
) -> None:
    kim = create_user(username="kim", role=Role.PRACTITIONER, team=TEAM, first_name="Kim")
    create_user(username="pat", role=Role.PARTNER_PROFESSIONAL, first_name="Pat")
    allocate(person=family["mother"], worker=kim)
    household = family["home"].household_id
    today = timezone.localdate()

    page = browser.sign_in("kim", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Family plans")
    browser.checked()
    page.click("button:has-text('Continue')")  # no household ID typed: the error summary
    browser.checked()
    assert "Enter the household ID" in page.inner_text(".govuk-error-summary")
    browser.screenshot("families-plans")
    page.fill("#household", household)
    page.click("button:has-text('Continue')")
    browser.checked()
    browser.screenshot("families-start")
    page.click("button:has-text('Start the family plan')")
    browser.checked()
    plan = FamilyPlan.objects.get()

    page.click("text=Add a member")
    browser.checked()
    page.click("button:has-text('Add the member')")
    browser.checked()
    assert "Enter the member's name" in page.inner_text(".govuk-error-summary")
    page.fill("#name", "Pat Nurse")
    page.fill("#organisation", "Northside NHS Trust")
    page.fill("#role", "School nurse")
    page.fill("#contact", "0161 496 0000")
    page.fill("#username", "pat")
    browser.screenshot("families-member")
    page.click("button:has-text('Add the member')")
    browser.checked()

    page.click("text=Add an outcome")
    browser.checked()
    page.check("#area-education")
    page.fill("#outcome", "The children get to school every day, on time.")
    browser.screenshot("families-outcome")
    page.click("button:has-text('Add the outcome')")
    browser.checked()

    page.click("text=Add an action")
    browser.checked()
    page.fill("#action", "Health check for Adam at school")
    page.select_option("#owner", label="Pat Nurse (Northside NHS Trust)")
    page.select_option("#outcome", index=1)
    _date(page, "due", today + timedelta(days=14))
    browser.screenshot("families-action")
    page.click("button:has-text('Add the action')")
    browser.checked()

    page.click("text=Record a meeting")
    browser.checked()
    _date(page, "held_on", today)
    page.locator("#attended input").first.check()
    page.locator("#attended input").nth(1).check()
    page.check("#family_attended-yes")
    page.fill("#decisions", "Pat sees Adam at school; Kim visits at home each week.")
    _date(page, "next_on", today + timedelta(days=28))
    browser.screenshot("families-meeting")
    page.click("button:has-text('Record the meeting')")
    browser.checked()
    assert "Meeting recorded" in page.inner_text(".govuk-notification-banner")
    browser.screenshot("families-plan-key-worker")

    # The partner signs in: the plan and their own action, never the household's ID.
    browser.page.context.clear_cookies()
    page = browser.sign_in("pat", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Family plan actions")
    browser.checked()
    assert "Health check for Adam at school" in page.inner_text("main")
    browser.screenshot("families-my-actions")
    page.click("text=Health check for Adam at school")
    browser.checked()
    assert household not in page.content()
    assert "Pat sees Adam at school" in page.inner_text("#meetings ~ dl")
    browser.screenshot("families-plan-partner")
    page.click("button:has-text('Mark done')")
    browser.checked()
    assert FamilyAction.objects.get().done_at is not None

    # The key worker closes the plan: refused until the outcome says how far it was achieved.
    browser.page.context.clear_cookies()
    page = browser.sign_in("kim", DEFAULT_PASSWORD)
    browser.visit(f"/families/{plan.pk}/")
    assert "Done" in page.inner_text("#actions ~ table")
    page.click("a:has-text('Close the family plan')")
    browser.checked()
    page.click("button:has-text('Close the family plan')")
    browser.checked()
    assert "Say how far this was achieved" in page.inner_text(".govuk-error-summary")
    browser.screenshot("families-close-error")
    page.locator("input[value='sustained']").check()
    page.fill("#note", "Adam is in school every day; the family no longer needs the team.")
    page.click("button:has-text('Close the family plan')")
    browser.checked()
    browser.screenshot("families-plan-closed")
    plan.refresh_from_db()
    assert not plan.is_open and plan.outcomes.get().achieved == "sustained"
