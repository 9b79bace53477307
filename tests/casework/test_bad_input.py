"""Bad input on the casework pages gets a clear answer, never a 500 (issue 10, items 13-14)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import page
from tests.casework.factories import allocate
from upstream.accounts.roles import Role

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
