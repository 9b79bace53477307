"""A service provider in a real browser (Debian's Chromium), axe-core on every page: from the
navigation to their incoming connections, accepting one, declining another (first without a
reason, which the error summary names), and the officer who sent them seeing both answers."""

from __future__ import annotations

import pytest

from tests.browser.fixtures import Browser
from tests.factories import DEFAULT_PASSWORD
from tests.frontdoor.provider_factories import connected, create_provider, create_service
from upstream.frontdoor.models import ConnectionStatus, Request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provider_accepts_one_connection_and_declines_another(browser: Browser) -> None:
    service = create_service(name="Money advice drop-in")
    create_provider(service.organization, username="pri", first_name="Pri")
    first = connected(service, given_name="Priya", family_name="Shah")
    second = connected(service, categories=("needs",), given_name="Tom", family_name="Hardy")

    page = browser.sign_in("pri", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Incoming connections")
    browser.checked()
    assert page.inner_text("h1") == "Incoming connections"
    assert "2 connections waiting for your answer" in page.inner_text("main")
    browser.screenshot("provider-incoming")

    page.click("text=Priya Shah")
    browser.checked()
    browser.screenshot("provider-connection")
    page.click("button:has-text('Accept the connection')")
    browser.checked()
    assert "You accepted this connection." in page.inner_text(".govuk-notification-banner")
    browser.screenshot("provider-accepted")

    page.click("text=Back to incoming connections")
    browser.checked()
    page.click("text=Name not shared")
    browser.checked()
    assert "Tom" not in page.inner_text("main"), "consent did not cover his name"
    page.click("button:has-text('Decline the connection')")
    browser.checked()
    assert "Choose why the connection was declined" in page.inner_text(".govuk-error-summary")
    browser.screenshot("provider-decline-error")
    page.click(".govuk-error-summary a")
    page.check("#decline_reason-no_capacity")
    page.fill("#decline_note", "Full until March; try the Citizens Advice phone line.")
    page.click("button:has-text('Decline the connection')")
    browser.checked()
    assert "You declined this connection." in page.inner_text(".govuk-notification-banner")
    assert "No capacity" in page.inner_text("main")
    browser.screenshot("provider-declined")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ConnectionStatus.ACCEPTED, ConnectionStatus.DECLINED)

    # The officer who sent the first sees the answer on the request's page.
    officer = first.sent_by
    officer.set_password(DEFAULT_PASSWORD)
    officer.save()
    browser.page.context.clear_cookies()
    page = browser.sign_in(officer.username, DEFAULT_PASSWORD)
    reference = Request.objects.get(pk=first.request_id).reference
    page = browser.visit(f"/front-door/requests/{reference}/")
    assert "Accepted" in page.inner_text("main")


def test_a_partner_api_referral_reaches_the_front_door_queue(browser: Browser) -> None:
    """The partner API channel end to end: a partner's system refers someone with consent; a
    front-door officer finds it at the top of the queue and reads who referred them."""
    import json

    from django.test import Client

    from tests.factories import create_user
    from tests.frontdoor.provider_factories import api_key, create_organisation, need
    from upstream.accounts.roles import Role

    organisation = create_organisation(name="Northside Housing Association")
    body = {
        "person": {"given_name": "Priya", "family_name": "Shah", "date_of_birth": "1979-05-21"},
        "referrer_name": "Jo Bloggs",
        "referrer_role": "Housing support worker",
        "what_matters": "Priya wants to keep her flat and sort out the arrears.",
        "needs": [need()],
        "preferred_contact": "phone",
        "contact_detail": "07700 900456",
        "consent": {"categories": ["contact", "needs"], "types": ["any_directory"]},
    }
    referred = Client().post(
        "/api/frontdoor/requests",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_API_KEY=api_key(organisation),
        HTTP_IDEMPOTENCY_KEY="nha-0001",
    )
    assert referred.status_code == 201, referred.content
    reference = referred.json()["reference"]

    create_user(username="fran", role=Role.FRONT_DOOR_OFFICER)
    page = browser.sign_in("fran", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Front-door queue")
    browser.checked()
    assert "Referral from a partner organisation" in page.inner_text("table")
    page.click(f"text={reference}")
    browser.checked()
    main = page.inner_text("main")
    assert "Jo Bloggs (Northside Housing Association)" in main
    assert "Priya Shah" in main
    browser.screenshot("partner-api-referral-request")
