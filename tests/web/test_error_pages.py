"""Error pages are the service's own: GOV.UK pages with the header and a way on, or JSON for
the APIs and JSON downloads; never Django's bare "Not Found" or "403 Forbidden" (found by
tests/web/test_every_route.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client, RequestFactory

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.web import errors

pytestmark = pytest.mark.django_db


def signed_in(role: Role, **options: bool) -> Client:
    client = Client(**options)
    user = create_user(role=role)
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def heading(response) -> str:  # type: ignore[no-untyped-def]
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one(".govuk-header") is not None, "not a GOV.UK page"
    return html.select_one("h1").get_text()


def test_a_page_that_does_not_exist_is_a_govuk_page_not_found(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"


@pytest.mark.parametrize(
    "address", ["/api/no-such-endpoint", "/api/", "/directory/api/services/not-a-uuid"]
)
def test_an_api_address_that_does_not_exist_answers_json(client: Client, address: str) -> None:
    response = client.get(address)
    assert response.status_code == 404
    assert response.json() == {"detail": "Page not found"}


def test_a_refused_page_says_why_on_a_govuk_page() -> None:
    response = signed_in(Role.CITIZEN).get("/city/")
    assert response.status_code == 403
    assert heading(response) == "You cannot see this page"
    assert "for analysts and governance roles" in response.content.decode()


def test_a_refused_json_twin_answers_json() -> None:
    response = signed_in(Role.CITIZEN).get("/city/", {"format": "json"})
    assert response.status_code == 403
    assert "for analysts and governance roles" in response.json()["detail"]


def test_a_form_posted_without_its_csrf_token_is_refused_on_a_govuk_page() -> None:
    client = signed_in(Role.TEAM_MANAGER, enforce_csrf_checks=True)
    response = client.post("/caseload/allocate/", {"person_id": "P00000001"})
    assert response.status_code == 403
    assert heading(response) == "You cannot see this page"
    assert "did not come from an Upstream page" in response.content.decode()


def test_a_server_error_is_a_govuk_page_without_the_details() -> None:
    response = errors.server_error(RequestFactory().get("/people/"))
    assert response.status_code == 500
    assert heading(response) == "Sorry, there is a problem with the service"
    assert b"Traceback" not in response.content
