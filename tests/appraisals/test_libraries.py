"""The what-works and unit-cost libraries: searchable, paged, every value with its evidence,
price year, source and licence, and CSV and JSON twins of what the search finds."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.appraisals.conftest import error_summary, page
from upstream.appraisals import libraries
from upstream.economics import packs

pytestmark = pytest.mark.django_db


def test_the_library_lists_its_own_entries_first_then_wsipps_results(commissioner: Client) -> None:
    shown = page(commissioner.get("/appraisals/what-works/"))
    titles = [t.text.strip() for t in shown.select(".govuk-summary-card__title")]
    own = list(packs.what_works_pack())
    assert len(titles) == 20
    assert titles[0] == packs.what_works_pack()[own[0]]["name"]
    total = len(own) + len(packs.wsipp_results())
    assert f"of {total} entries" in shown.select_one('[role="status"]').text
    assert "Page 1 of" in shown.select_one(".govuk-pagination").text


def test_a_search_finds_entries_by_outcome_and_level(commissioner: Client) -> None:
    shown = page(commissioner.get("/appraisals/what-works/?q=conduct&level=4"))
    titles = [t.text.strip() for t in shown.select(".govuk-summary-card__title")]
    assert titles == ["Incredible Years: preschool parent programme (BASIC)"]


def test_an_entry_shows_its_evidence_effects_cost_price_year_source_and_licence(
    commissioner: Client,
) -> None:
    shown = page(commissioner.get("/appraisals/what-works/incredible_years_preschool/"))
    text = shown.text
    raw = packs.what_works_pack()["incredible_years_preschool"]
    cost = libraries.money(raw["cost_per_participant"][0])
    effect = f"effect size d = {raw['outcome'][0]['effect_size']:g}"
    for expected in (
        "Level 4",
        effect,
        cost,
        raw["cost_price_year"],
        "Edwards R T",
        "Hutchings J",
        libraries.LIBRARY_LICENCE,
    ):
        assert expected in text, expected
    assert shown.select_one(".govuk-warning-text")  # its figures are marked uncertain


def test_an_entry_links_the_wsipp_results_it_is_checked_against(commissioner: Client) -> None:
    entry = libraries.programme("incredible_years_preschool")
    assert entry is not None and entry.wsipp
    text = page(commissioner.get("/appraisals/what-works/incredible_years_preschool/")).text
    assert "Chance benefits exceed costs" in text
    for row in entry.wsipp:
        assert row.program in text and row.benefit_cost_ratio in text
    if entry.evidence_check:
        assert entry.evidence_check in text


def test_a_wsipp_result_is_an_entry_in_us_dollars(commissioner: Client) -> None:
    text = page(commissioner.get("/appraisals/what-works/wsipp-1/")).text
    assert "US$" in text and "not local evidence" in text


def test_an_unknown_entry_is_not_found(commissioner: Client) -> None:
    assert commissioner.get("/appraisals/what-works/nothing/").status_code == 404


def test_the_library_has_csv_and_json_twins_of_what_the_search_finds(commissioner: Client) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                commissioner.get("/appraisals/what-works/?q=conduct&format=csv").content.decode()
            )
        )
    )
    assert [r["id"] for r in rows] == ["incredible_years_preschool"]
    assert rows[0]["cost_price_year"] == "2003/04" and rows[0]["licence"]
    data = commissioner.get("/appraisals/what-works/?format=json").json()
    assert len(data["rows"]) == len(libraries.programmes())


def test_an_evidence_level_that_is_not_one_is_an_error_on_the_page(commissioner: Client) -> None:
    response = commissioner.get("/appraisals/what-works/?level=5")
    assert response.status_code == 400
    assert error_summary(response) == ["Choose a level of evidence from the list"]
    assert commissioner.get("/appraisals/what-works/?level=5&format=json").status_code == 400


def test_unit_costs_are_paged_fifty_at_a_time_with_source_and_licence(commissioner: Client) -> None:
    shown = page(commissioner.get("/appraisals/unit-costs/"))
    rows = shown.select("tbody tr")
    assert len(rows) == 50
    first = next(iter(packs.gmca_unit_costs().costs.values()))
    assert first.code in rows[0].text and first.licence in rows[0].text
    assert first.price_year in rows[0].text
    total = len(packs.gmca_unit_costs().costs)
    last = page(commissioner.get(f"/appraisals/unit-costs/?page={(total + 49) // 50}"))
    assert len(last.select("tbody tr")) == total - 50 * (total // 50) or 50


def test_unit_costs_search_by_words_category_and_payer(commissioner: Client) -> None:
    shown = page(
        commissioner.get("/appraisals/unit-costs/?q=exclusion&category=Education+%26+Skills")
    )
    codes = [r.select_one("code").text for r in shown.select("tbody tr")]
    assert "E&S2.0" in codes
    only_nhs = commissioner.get("/appraisals/unit-costs/?agency=nhs&format=json").json()
    assert only_nhs["rows"] and {r["paying_agency"] for r in only_nhs["rows"]} == {"nhs"}


def test_the_unit_cost_twin_holds_every_row_found_not_only_the_page(commissioner: Client) -> None:
    text = commissioner.get("/appraisals/unit-costs/?format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(packs.gmca_unit_costs().costs)
    assert set(rows[0]) == set(libraries.UNIT_COST_COLUMNS)


@pytest.mark.parametrize("asked", ["0", "-1", "abc", "99999999999999999999", "9999"])
def test_a_page_number_that_is_not_one_gives_the_nearest_page(
    commissioner: Client, asked: str
) -> None:
    assert commissioner.get(f"/appraisals/unit-costs/?page={asked}").status_code == 200


def test_a_category_that_is_not_one_is_an_error_on_the_page(commissioner: Client) -> None:
    response = commissioner.get("/appraisals/unit-costs/?category=Nope&agency=nope")
    assert response.status_code == 400
    assert error_summary(response) == [
        "Choose a category from the list",
        "Choose who pays from the list",
    ]
