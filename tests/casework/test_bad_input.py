"""Bad input on the casework pages gets a clear answer, never a 500 (issue 10, items 13-14)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.casework.conftest import page
from tests.casework.factories import allocate
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["-1", "99999999", "0", "2023/99", "twenty", "2023/24/25"])
def test_a_financial_year_that_cannot_be_is_a_400_with_a_govuk_error(
    family: dict[str, Any], sign_in: Any, year: str
) -> None:
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    response = client.get(f"/people/{family['mother'].person_id}/", {"year": year})
    assert response.status_code == 400
    html = page(response)
    assert html.select_one(".govuk-error-summary") is not None
    assert "financial year" in html.select_one("#year-error").get_text()
    download = client.get(f"/people/{family['mother'].person_id}/timeline.csv", {"year": year})
    assert download.status_code == 400


def test_a_real_financial_year_still_filters_the_timeline(
    family: dict[str, Any], sign_in: Any
) -> None:
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    rows = client.get(
        f"/people/{family['mother'].person_id}/timeline.json", {"year": "2024/25"}
    ).json()["rows"]
    assert rows and all(r["financial_year"] == "2024/25" for r in rows)


@pytest.mark.parametrize("name", ["%", "_", "a", "% _", "--"])
def test_a_search_with_no_usable_name_is_refused_with_a_message(
    family: dict[str, Any], sign_in: Any, name: str
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    response = client.get("/people/", {"name": name})
    assert response.status_code == 400
    html = page(response)
    assert "at least two letters" in html.select_one("#name-error").get_text()
    assert not html.select("tbody tr")
    api = client.get("/api/people", {"name": name})
    assert api.status_code == 422 and "two letters" in api.json()["detail"]


# Found by the route probe (tests/web/test_every_route.py).

NOT_IDS = ["a\x00b", "x" * 300, "P0000<script>"]


@pytest.mark.parametrize("not_an_id", NOT_IDS)
@pytest.mark.parametrize(
    "address",
    [
        "/people/{}/",
        "/people/{}/timeline.csv",
        "/people/{}/reason/",
        "/flags/person/{}/",
        "/households/{}/",
        "/households/{}/members.csv",
    ],
)
def test_an_id_in_the_address_that_could_not_be_one_is_a_page_not_found(
    sign_in: Any, address: str, not_an_id: str
) -> None:
    # A NUL was a 500 on PostgreSQL (it refuses them in a query), and 300 characters a 500 when
    # the refusal was audited; the API answers 404 for both, and now the pages do too.
    _, client = sign_in(Role.PRACTITIONER)
    response = client.get(address.format(quote(not_an_id, safe="")))
    assert response.status_code == 404
    assert page(response).select_one("h1").get_text() == "Page not found"


def test_a_date_of_birth_too_big_for_the_calendar_is_a_400_with_the_date_error(
    sign_in: Any,
) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    response = client.get(
        "/people/", {"dob_day": "1", "dob_month": "1", "dob_year": "99999999999999999999"}
    )
    assert response.status_code == 400  # was a 500: OverflowError
    assert "real date" in page(response).select_one("#dob-error").get_text()


def test_a_search_with_a_nul_character_searches_as_if_it_were_not_there(
    family: dict[str, Any], sign_in: Any
) -> None:
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    response = client.get("/people/", {"postcode": "M14\x005AB"})
    assert response.status_code == 200  # was a 500 on PostgreSQL
    assert "Sarah Khan" in page(response).get_text()


def test_an_allocation_refused_for_an_id_with_a_slash_says_why_without_a_reason_form(
    sign_in: Any,
) -> None:
    # The refusal page offered a form whose address holds the ID: "/" made it a 500.
    _, client = sign_in(Role.PRACTITIONER)
    response = client.post("/caseload/allocate/", {"person_id": "../P1/"})
    assert response.status_code == 403
    html = page(response)
    assert html.select_one("h1").get_text() == "You cannot see this record"
    assert html.select_one("form textarea") is None


def test_an_allocation_refused_for_a_very_long_id_is_audited_with_it_cut_to_its_column(
    sign_in: Any,
) -> None:
    _, client = sign_in(Role.COMMISSIONER)
    response = client.post("/caseload/allocate/", {"person_id": "P" * 10_000})
    assert response.status_code == 403  # was a 500 on PostgreSQL: value too long
    assert AuditEntry.objects.filter(outcome="denied", person="P" * 64).exists()


def test_a_team_manager_allocating_an_id_that_is_no_one_is_told_no_person_has_it(
    sign_in: Any,
) -> None:
    _, client = sign_in(Role.TEAM_MANAGER)
    response = client.post("/caseload/allocate/", {"person_id": "P0/1"})
    assert response.status_code == 400
    assert "No person has this ID" in page(response).select_one(".govuk-error-message").get_text()


def test_a_nul_character_in_an_allocated_id_is_dropped_before_the_access_decision(
    sign_in: Any,
) -> None:
    # Was a 500 on PostgreSQL. The web edge takes NULs out of every form value, so "P0\x001"
    # is "P01": refused (and audited) as that ID, for want of a basis.
    _, client = sign_in(Role.TEAM_MANAGER)
    response = client.post("/caseload/allocate/", {"person_id": "P0\x001"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="allocate", outcome="denied", person="P01").exists()


def test_a_nul_character_in_a_flag_overrides_person_id_is_dropped_before_the_decision(
    sign_in: Any,
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    response = client.post(
        "/flags/flag/toxic-trio/P1/2025-03-31/override/",
        {"person_id": "a\x00b", "kind": "not_relevant", "reason": "Not right"},
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="flag_override", outcome="denied", person="ab").exists()


@pytest.mark.parametrize("person_id", ["a/b", "a b"])
def test_a_flag_override_for_a_person_id_that_could_not_be_one_is_a_page_not_found(
    sign_in: Any, person_id: str
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    response = client.post(
        "/flags/flag/toxic-trio/P1/2025-03-31/override/",
        {"person_id": person_id, "kind": "not_relevant", "reason": "Not right"},
    )
    assert response.status_code == 404  # "/" was a 500 (the refusal's reason form), NUL too
    assert page(response).select_one("h1").get_text() == "Page not found"
