"""Sign-in throttling: five failures for one username from one address lock it for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.governance.models import AuditEntry, SignInFailure

pytestmark = pytest.mark.django_db


def attempt(client: Client, password: str, username: str = "pat"):  # type: ignore[no-untyped-def]
    return client.post("/sign-in/", {"username": username, "password": password})


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password() -> None:
    create_user(username="pat")
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = BeautifulSoup(response.content, "html.parser")
    assert "Too many failed attempts" in html.select_one(".govuk-error-summary").text
    assert client.get("/home/").status_code == 302  # still signed out


def test_the_lock_is_per_address_so_the_person_can_still_sign_in_elsewhere() -> None:
    create_user(username="pat")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        attempt(attacker, "wrong")
    office = Client(REMOTE_ADDR="203.0.113.20")
    assert attempt(office, DEFAULT_PASSWORD).status_code == 302


def test_the_lock_ends_after_the_window() -> None:
    create_user(username="pat")
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        attempt(client, "wrong")
    for failure in SignInFailure.objects.all():
        SignInFailure.objects.filter(pk=failure.pk).update(at=failure.at - timedelta(minutes=16))
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures() -> None:
    create_user(username="pat")
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302
    assert not SignInFailure.objects.exists()


def test_failures_lockouts_and_sign_ins_are_audited() -> None:
    create_user(username="pat")
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(6):
        attempt(client, "wrong", username="PAT")
    reasons = list(
        AuditEntry.objects.filter(action="sign-in")
        .order_by("sequence")
        .values_list("outcome", "reason", "actor", "ip_address")
    )
    assert reasons[0] == ("denied", "wrong username or password", "pat", "198.51.100.7")
    assert reasons[-1][1] == "locked after failed attempts"


def test_session_and_csrf_cookies_are_http_only_and_same_site(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_sign_in_needs_the_csrf_token() -> None:
    create_user(username="pat")
    client = Client(enforce_csrf_checks=True)
    assert attempt(client, DEFAULT_PASSWORD).status_code == 403
