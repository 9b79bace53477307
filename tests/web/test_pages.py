"""Page tests: assert on what a person sees."""

from __future__ import annotations

import dataclasses
import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role, navigation_for

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def signed_in(role: Role) -> Client:
    client = Client()
    user = create_user(role=role)
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def test_start_page_says_what_upstream_is_and_offers_sign_in(client: Client) -> None:
    html = page(client.get("/"))
    assert html.select_one("h1").text.strip() == "Upstream"
    assert "crisis to prevention" in html.text
    assert html.select_one("a.govuk-button--start").text.strip() == "Sign in"


def test_every_page_has_the_service_name_phase_banner_and_footer(client: Client) -> None:
    html = page(client.get("/"))
    assert html.select_one(".govuk-header").text.strip().startswith("Upstream")
    assert "Alpha" in html.select_one(".govuk-phase-banner").text
    assert html.select_one("footer.govuk-footer") is not None


def test_home_page_needs_sign_in(client: Client) -> None:
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_sign_in_with_wrong_password_shows_an_error_summary(client: Client) -> None:
    create_user(username="pat", role=Role.PRACTITIONER)
    html = page(client.post("/sign-in/", {"username": "pat", "password": "wrong"}))
    assert html.select_one(".govuk-error-summary__title").text.strip() == "There is a problem"
    assert html.select_one("title").text.startswith("Error:")


def test_signing_in_takes_a_person_to_their_role_home(client: Client) -> None:
    create_user(username="pat", role=Role.PRACTITIONER, first_name="Pat")
    response = client.post(
        "/sign-in/", {"username": "pat", "password": DEFAULT_PASSWORD}, follow=True
    )
    html = page(response)
    assert html.select_one("h1").text.strip() == "Welcome, Pat"
    assert html.select_one(".govuk-caption-l").text.strip() == "Practitioner"


def test_sign_out_ends_the_session(client: Client) -> None:
    client = signed_in(Role.ANALYST)
    client.post("/sign-out/")
    assert client.get("/home/").status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_each_role_only_its_own_items(role: Role) -> None:
    html = page(signed_in(role).get("/home/"))
    shown = [a.text.strip() for a in html.select("#navigation a")]
    assert shown == [item.label for item in navigation_for(role)]


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.PRACTITIONER, Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER]
)
def test_city_summary_is_denied_to_roles_that_do_not_need_it(role: Role) -> None:
    assert signed_in(role).get("/city/").status_code == 403


def test_city_summary_shows_the_manifest_and_its_json_twin(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path)
    city = tmp_path / "city"
    city.mkdir()
    manifest = {
        "people": 1234,
        "seed": 7,
        "generator_version": "t",
        "files": [{"path": "extracts/police.csv", "rows": 99}],
    }
    (city / "manifest.json").write_text(json.dumps(manifest))
    client = signed_in(Role.ANALYST)
    html = page(client.get("/city/"))
    assert "1234" in html.select_one(".govuk-summary-list").text
    assert html.select_one("tbody td").text.strip() == "extracts/police.csv"
    assert client.get("/city/?format=json").json()["manifest"]["people"] == 1234


def test_responses_carry_security_headers(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_city_summary_says_how_to_make_a_city_when_there_is_none(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path)
    html = page(signed_in(Role.ANALYST).get("/city/"))
    assert "No synthetic city has been generated yet" in html.select_one(".govuk-inset-text").text
