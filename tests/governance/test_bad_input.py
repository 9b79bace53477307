"""Bad input to the data protection officer's searches gets a 400 and a GOV.UK error message,
never a server error."""

from __future__ import annotations

import pytest

from tests.casework.conftest import page
from upstream.accounts.roles import Role

pytestmark = pytest.mark.django_db

CALENDAR_ENDS = {"from": "0001-01-01", "to": "9999-12-31"}


def error_summary_and_field(response, field: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    html = page(response)
    summary = html.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    assert summary.select_one(f'a[href="#{field}"]') is not None, f"summary does not link {field}"
    message = html.select_one(f"#{field}-error")
    assert message is not None, f"no error message on {field}"
    title = html.select_one("title")
    assert title is not None and title.text.startswith("Error:")
    return summary.text, message.text


def test_an_audit_search_over_the_ends_of_the_calendar_is_refused_with_a_message(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/audit/", CALENDAR_ENDS)
    assert response.status_code == 400
    _, message = error_summary_and_field(response, "to")
    assert "between 2000-01-01 and 2099-12-31" in message
    error_summary_and_field(response, "from")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_audit_download_over_the_ends_of_the_calendar_is_refused_naming_the_fields(  # type: ignore[no-untyped-def]
    sign_in, fmt: str
) -> None:
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get(f"/governance/audit.{fmt}", CALENDAR_ENDS)
    assert response.status_code == 400
    assert b"from" in response.content and b"to" in response.content


def test_the_audit_api_over_the_ends_of_the_calendar_is_refused(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/api/governance/audit", {"start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 400
    assert "between 2000-01-01 and 2099-12-31" in response.json()["detail"]


def test_an_audit_search_ending_before_it_starts_is_refused(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/audit/", {"from": "2024-05-02", "to": "2024-05-01"})
    assert response.status_code == 400
    error_summary_and_field(response, "to")


def test_a_slash_in_the_audit_person_field_is_refused_with_a_message(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/audit/", {"person": "P1/2"})
    assert response.status_code == 400
    _, message = error_summary_and_field(response, "person")
    assert "Person ID must be" in message
    field = page(response).select_one("#person")
    assert field is not None and field["value"] == "P1/2"  # kept as typed


def test_a_slash_in_the_subject_access_person_field_is_refused_with_a_message(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/subject-access/", {"person": "../P1"})
    assert response.status_code == 400
    _, message = error_summary_and_field(response, "person")
    assert "Person ID must be" in message


def test_a_good_audit_search_still_answers(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/audit/", {"person": "P00001234", "to": "2099-12-31"})
    assert response.status_code == 200
    assert page(response).select_one(".govuk-error-summary") is None


# Found by the route probe (tests/web/test_every_route.py): 500s on PostgreSQL, which refuses a
# NUL character in a query.


def test_an_audit_search_with_a_nul_character_searches_as_if_it_were_not_there(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    assert dpo.get("/governance/audit/", {"action": "view\x00-person"}).status_code == 200
    assert dpo.get("/governance/audit.json", {"outcome": "den\x00ied"}).status_code == 200


def test_a_subject_access_report_for_an_id_that_could_not_be_one_is_a_page_not_found(
    sign_in,
) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get("/governance/subject-access/a%00b/")
    assert response.status_code == 404
    assert page(response).select_one("h1").get_text() == "Page not found"


def test_a_sign_in_with_a_nul_character_in_the_username_is_refused_with_a_message(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sign-in/", {"username": "adm\x00in", "password": "guess"})
    assert response.status_code == 200
    assert page(response).select_one(".govuk-error-summary") is not None
