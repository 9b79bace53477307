"""Error pages are the service's own: GOV.UK pages with the header and a way on, or RFC 9457
problem JSON for the APIs, JSON downloads and `?format=json` twins; never Django's bare "Not
Found" or "403 Forbidden" (the route probe, tests/web/test_every_route.py, finds those too).
One edge answers them all (upstream.edge.errors)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client, RequestFactory

from tests.casework.factories import create_person
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.edge import errors
from upstream.errors import AuditUnavailableError, Denied, InputError, Moved, NotFound

pytestmark = pytest.mark.django_db

BARE = (b"<h1>Not Found</h1>", b"<h1>403 Forbidden</h1>", b"Bad Request (400)", b"Server Error")


def signed_in(role: Role, **options: Any) -> Client:
    client = Client(**options)
    user = create_user(role=role, team="Early help — North")
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def heading(response) -> str:  # type: ignore[no-untyped-def]
    assert not any(bare in response.content for bare in BARE), "Django's bare page"
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one(".govuk-header") is not None, "not a GOV.UK page"
    return html.select_one("h1").get_text()


def problem(response, status: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The RFC 9457 problem a response is (checking its status, type and members)."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


# --- real routes, as a page and as JSON ---------------------------------------------------


def test_a_page_that_does_not_exist_is_a_govuk_page_not_found(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"


@pytest.mark.parametrize(
    "address", ["/api/no-such-endpoint", "/api/", "/no-such-page/?format=json", "/nothing.json"]
)
def test_an_address_that_does_not_exist_answers_a_json_problem_where_json_was_asked(
    client: Client, address: str
) -> None:
    body = problem(client.get(address), 404)
    assert body["title"] == "Not Found" and body["detail"] == "Page not found"


def test_the_open_referral_apis_missing_address_is_json(client: Client) -> None:
    response = client.get("/directory/api/services/not-a-uuid")
    assert response.status_code == 404 and response.json()


def test_a_refused_page_says_why_on_a_govuk_page() -> None:
    response = signed_in(Role.CITIZEN).get("/city/")
    assert response.status_code == 403
    assert heading(response) == "You cannot see this page"
    assert "for analysts and governance roles" in response.content.decode()


def test_a_refused_json_twin_answers_a_problem() -> None:
    body = problem(signed_in(Role.CITIZEN).get("/city/", {"format": "json"}), 403)
    assert "for analysts and governance roles" in body["detail"]


def test_a_refused_record_is_the_refusal_page_and_its_twin_a_problem() -> None:
    person = create_person()
    client = signed_in(Role.PRACTITIONER)
    page = client.get(f"/people/{person.person_id}/")
    assert page.status_code == 403
    assert heading(page) == "You cannot see this record"
    assert BeautifulSoup(page.content, "html.parser").select_one("form textarea") is not None
    for twin in (
        f"/people/{person.person_id}/?format=json",
        f"/people/{person.person_id}/costs.json",
    ):
        assert "working relationship" in problem(client.get(twin), 403)["detail"]
    api = client.get(f"/api/people/{person.person_id}")
    assert "working relationship" in problem(api, 403)["detail"]


def test_a_record_that_does_not_exist_is_page_not_found_as_a_page_and_as_json() -> None:
    client = signed_in(Role.DATA_PROTECTION_OFFICER)
    page = client.get("/people/P99999999/")
    assert page.status_code == 404 and heading(page) == "Page not found"
    assert "No person has this ID" in page.content.decode()
    assert problem(client.get("/people/P99999999/timeline.json"), 404)["detail"]
    api = problem(client.get("/api/people/P99999999"), 404)
    assert api["detail"] == "No person has this ID"


def test_a_bad_form_is_a_govuk_400_and_its_twin_a_problem_naming_the_fields() -> None:
    person = create_person()
    dpo = signed_in(Role.DATA_PROTECTION_OFFICER)
    page = dpo.get(f"/people/{person.person_id}/", {"year": "twenty"})
    assert page.status_code == 400
    assert BeautifulSoup(page.content, "html.parser").select_one(".govuk-error-summary")
    body = problem(dpo.get(f"/people/{person.person_id}/timeline.json", {"year": "twenty"}), 400)
    assert "financial year" in body["errors"]["year"]
    csv = dpo.get(f"/people/{person.person_id}/timeline.csv", {"year": "twenty"})
    assert csv.status_code == 400 and heading(csv).startswith("Sorry, there is a problem")


def test_an_api_value_that_cannot_be_used_is_a_422_problem() -> None:
    body = problem(signed_in(Role.PRACTITIONER).get("/api/people", {"name": "%"}), 422)
    assert "two letters" in body["detail"]


def test_the_api_before_signing_in_is_a_401_problem(client: Client) -> None:
    assert problem(client.get("/api/caseload"), 401)["detail"] == "Unauthorized"


def test_a_form_posted_without_its_csrf_token_is_refused_on_a_govuk_page() -> None:
    client = signed_in(Role.TEAM_MANAGER, enforce_csrf_checks=True)
    response = client.post("/caseload/allocate/", {"person_id": "P00000001"})
    assert response.status_code == 403
    assert heading(response) == "You cannot see this page"
    assert "did not come from an Upstream page" in response.content.decode()


def test_a_moved_person_is_followed_on_pages_and_downloads_but_named_by_the_api() -> None:
    from upstream.people.models import PersonLineage

    person = create_person()
    PersonLineage.objects.create(
        old_person_id="P77777777", new_person_id=person.person_id, kind="merge", link_run_id="r"
    )
    dpo = signed_in(Role.DATA_PROTECTION_OFFICER)
    page = dpo.get("/people/P77777777/timeline.csv", {"year": "2024/25"})
    assert page.status_code == 302
    assert page["Location"] == f"/people/{person.person_id}/timeline.csv?year=2024%2F25"
    api = problem(dpo.get("/api/people/P77777777"), 404)
    assert person.person_id in api["detail"]


# --- the edge itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Denied("No."), 403),
        (NotFound("No person has this ID"), 404),
        (Moved("P1"), 404),
        (InputError("Enter a date", where="from"), 400),
        (AuditUnavailableError("the chain head is missing"), 503),
    ],
)
def test_each_domain_error_is_one_status(error: Exception, status: int) -> None:
    found = errors.problem_for(error)
    assert found is not None and found.status == status


def test_an_error_the_edge_does_not_know_is_left_to_django_as_a_fault() -> None:
    assert errors.problem_for(ValueError("a bug")) is None
    assert errors.respond_to(RequestFactory().get("/people/"), ValueError("a bug")) is None


def test_a_server_error_is_a_govuk_page_without_the_details() -> None:
    response = errors.server_error(RequestFactory().get("/people/"))
    assert response.status_code == 500
    assert heading(response) == "Sorry, there is a problem with the service"
    assert b"Traceback" not in response.content


def test_a_server_error_on_an_api_is_a_problem() -> None:
    import json

    response = errors.server_error(RequestFactory().get("/api/people"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["detail"] == "Sorry, there is a problem with the service"


def test_the_resolvers_own_404_text_is_never_shown() -> None:
    from django.http import Http404

    leaked = Http404({"path": "secret/pattern", "tried": ["admin/"]})
    response = errors.page_not_found(RequestFactory().get("/x/"), leaked)
    assert b"secret/pattern" not in response.content
