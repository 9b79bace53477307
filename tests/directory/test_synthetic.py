"""The synthetic directory: deterministic, complete, valid ORUK, and holds the journey."""

from __future__ import annotations

import json

import pytest

from tests.directory.factories import WARDS
from upstream.directory import postcodes, synthetic, taxonomy, validation

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def documents() -> list[dict]:  # type: ignore[type-arg]
    return synthetic.directory_documents(WARDS)


def test_the_same_wards_and_seed_give_the_same_directory(documents: list[dict]) -> None:  # type: ignore[type-arg]
    again = synthetic.directory_documents(WARDS)
    assert json.dumps(again) == json.dumps(documents)


def test_a_different_seed_gives_a_different_directory(documents: list[dict]) -> None:  # type: ignore[type-arg]
    assert json.dumps(synthetic.directory_documents(WARDS, seed=7)) != json.dumps(documents)


def test_there_are_a_few_hundred_services_covering_every_item_of_every_area(
    documents: list[dict],
) -> None:  # type: ignore[type-arg]
    assert 250 <= len(documents) <= 400
    covered = {a["taxonomy_term"]["term"] for d in documents for a in d["attributes"]}
    assert covered == {item.slug for _, item in taxonomy.all_items()}


def test_every_service_is_valid_oruk(documents: list[dict]) -> None:  # type: ignore[type-arg]
    for document in documents:
        assert validation.problems_in(document, "service") == [], document["name"]


def test_services_sit_in_every_ward_at_postcodes_of_that_ward(documents: list[dict]) -> None:  # type: ignore[type-arg]
    wards_used = set()
    for document in documents:
        address = document["service_at_locations"][0]["location"]["addresses"][0]
        wards_used.add(postcodes.ward_of(address["postal_code"]))
    assert wards_used == set(range(len(WARDS)))


def test_there_are_saturday_services_and_over_60s_services(documents: list[dict]) -> None:  # type: ignore[type-arg]
    saturdays = [d for d in documents if "SA" in d["schedules"][0]["byday"]]
    over_60s = [d for d in documents if d.get("minimum_age") == 60]
    assert len(saturdays) > 30
    assert len(over_60s) > 20


def test_the_journey_service_is_saturday_debt_advice_for_over_60s(documents: list[dict]) -> None:  # type: ignore[type-arg]
    journey = next(d for d in documents if d["id"] == str(synthetic.JOURNEY_SERVICE_ID))
    assert journey["minimum_age"] == 60
    assert journey["schedules"][0]["byday"] == "SA"
    assert "financial-help" in {a["taxonomy_term"]["term"] for a in journey["attributes"]}


def test_phone_numbers_are_ofcom_drama_numbers(documents: list[dict]) -> None:  # type: ignore[type-arg]
    numbers = {p["number"] for d in documents for c in d["contacts"] for p in c["phones"]}
    assert all(n.startswith("0121 496 0") and len(n) == 13 for n in numbers)
