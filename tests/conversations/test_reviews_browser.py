"""A review recording outcomes, in a real browser (Debian's Chromium), axe-core on every page:
the practitioner finds it on Due today, is told what is missing, records each outcome, and
sees when the next review is due; the team manager sees it on the team's list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.fixtures import Browser
from tests.conversations.review_factories import agree, create_conversation
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEAM = "Early help — North"


def test_a_practitioner_records_a_review_of_the_outcomes_agreed(
    browser: Browser, family: dict[str, Any]
) -> None:
    from upstream.conversations.models import Review
    from upstream.conversations.reviews import schedule_for_conversation

    priya = create_user(username="priya", role=Role.PRACTITIONER, first_name="Priya", team=TEAM)
    create_user(username="mo", role=Role.TEAM_MANAGER, first_name="Mo", team=TEAM)
    conversation = create_conversation(
        owner=priya, person_id=family["mother"].person_id, kind=3, risk="high"
    )
    agree(conversation, "Keep my flat and stay on top of the rent", "Find part-time work")
    review = schedule_for_conversation(conversation)
    Review.objects.filter(pk=review.pk).update(due_on=date.today() - timedelta(days=4))

    page = browser.sign_in("priya", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Due today")
    browser.checked()
    assert "Overdue by 4 days" in page.inner_text("main")
    browser.screenshot("reviews-due")
    page.click("main >> text=Sarah Khan")
    browser.checked()
    browser.screenshot("reviews-form")
    page.check("#method-phone")
    page.click("button:has-text('Record the review')")
    browser.checked()
    summary = page.inner_text(".govuk-error-summary")
    assert "Select whether outcome 1 was achieved" in summary
    assert "Select how the review was held" not in summary, "the answer given is kept"
    browser.screenshot("reviews-form-errors")
    first, second = conversation.agreed_outcomes.order_by("pk")
    page.check(f"#outcome-{first.pk}-achieved")
    page.check(f"#outcome-{second.pk}-partly")
    page.check("#risk-medium")
    page.fill("#note", "Rent is up to date; two interviews booked.")
    page.click("button:has-text('Record the review')")
    browser.checked()
    following = Review.objects.get(held_at__isnull=True)
    assert following.due_on == date.today() + timedelta(weeks=12), "medium risk now"
    assert "The next review is due on" in page.inner_text(".govuk-notification-banner")
    assert "Partly achieved" in page.inner_text("main")
    browser.screenshot("reviews-recorded")

    browser.page.context.clear_cookies()
    page = browser.sign_in("mo", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Reviews")
    browser.checked()
    assert "Sarah Khan" in page.inner_text("main")
    browser.screenshot("reviews-team")
