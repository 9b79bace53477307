"""Sign-in throttling: five failures for one username from one address lock it for a while;
many from one address lock the address; many across the service hold up failing addresses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

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


def failures_from(address: str, usernames: list[str], each: int) -> None:
    client = Client(REMOTE_ADDR=address)
    for username in usernames:
        for _ in range(each):
            assert attempt(client, "wrong", username=username).status_code == 200


def test_twenty_failures_from_one_address_across_usernames_lock_that_address() -> None:
    create_user(username="pat")
    # Password spraying: four guesses at each of five accounts, never reaching one account's
    # lock of five.
    failures_from("198.51.100.7", [f"user{i}" for i in range(5)], each=4)
    response = attempt(Client(REMOTE_ADDR="198.51.100.7"), DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = BeautifulSoup(response.content, "html.parser")
    summary = html.select_one(".govuk-error-summary")
    assert summary is not None and "from this network address" in summary.text
    refusal = AuditEntry.objects.filter(action="sign-in").order_by("sequence").last()
    assert refusal is not None
    assert (refusal.outcome, refusal.reason, refusal.actor) == (
        "denied",
        "address locked after failed attempts for many users",
        "pat",
    )
    assert attempt(Client(REMOTE_ADDR="203.0.113.20"), DEFAULT_PASSWORD).status_code == 302


def test_fewer_failures_from_one_address_do_not_lock_it() -> None:
    create_user(username="pat")
    failures_from("198.51.100.7", [f"user{i}" for i in range(19)], each=1)
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), DEFAULT_PASSWORD).status_code == 302


def stuffing_from_many_addresses(count: int) -> None:
    """Credential stuffing: one failed guess from each of many addresses, as stored."""
    now = timezone.now()
    SignInFailure.objects.bulk_create(
        SignInFailure(username=f"victim{i}", ip_address=f"10.0.{i // 250}.{i % 250}", at=now)
        for i in range(count)
    )


def test_while_failures_across_the_service_are_high_a_failing_address_gets_no_more_guesses() -> (
    None
):
    create_user(username="pat")
    stuffing_from_many_addresses(100)
    response = attempt(Client(REMOTE_ADDR="10.0.0.1"), DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = BeautifulSoup(response.content, "html.parser")
    summary = html.select_one(".govuk-error-summary")
    assert summary is not None and "too many failed attempts to sign in to Upstream" in summary.text
    assert AuditEntry.objects.filter(
        reason="refused while failed sign-ins across the service are high"
    ).exists()


def test_while_failures_across_the_service_are_high_staff_with_no_failures_still_sign_in() -> None:
    create_user(username="pat")
    stuffing_from_many_addresses(100)
    assert attempt(Client(REMOTE_ADDR="203.0.113.20"), DEFAULT_PASSWORD).status_code == 302


def test_below_the_service_wide_limit_one_failure_does_not_hold_an_address_up() -> None:
    create_user(username="pat")
    stuffing_from_many_addresses(99)
    assert attempt(Client(REMOTE_ADDR="10.0.0.1"), DEFAULT_PASSWORD).status_code == 302


def test_the_throttle_settings_and_their_defaults_are_documented() -> None:
    from pathlib import Path

    from django.conf import settings as django_settings

    docs = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text("utf-8")
    names = [n for n in dir(django_settings) if n.startswith("LOGIN_THROTTLE_")]
    assert len(names) == 4
    for name in names:
        assert f"| `{name}` | `{getattr(django_settings, name)}` |" in docs
