"""The ORUK schemas: vendored copies match the official ones, and validation says where."""

from __future__ import annotations

import json

import pytest

from tests.directory.factories import OFFICIAL, official_example
from upstream.directory import validation

pytestmark = pytest.mark.core


def test_vendored_schemas_are_identical_to_the_official_copies() -> None:
    if not OFFICIAL.exists():
        pytest.skip("the shared ORUK folder is not on this machine")
    for ours in validation.SCHEMA_DIR.rglob("*.json"):
        theirs = OFFICIAL / "schema" / ours.relative_to(validation.SCHEMA_DIR)
        assert json.loads(ours.read_text()) == json.loads(theirs.read_text()), ours.name


@pytest.mark.parametrize(
    ("example", "kind"),
    [
        ("service_full.json", "service"),
        ("organization_full.json", "organization"),
        ("taxonomy.json", "taxonomy"),
        ("taxonomy_term.json", "taxonomy_term"),
    ],
)
def test_official_examples_are_valid(example: str, kind: str) -> None:
    assert validation.problems_in(official_example(example), kind) == []


@pytest.mark.parametrize(
    ("example", "item_kind"),
    [
        ("service_list.json", "service_list_item"),
        ("service_at_location_list.json", "service_at_location_list_item"),
        ("taxonomy_list.json", "taxonomy"),
        ("taxonomy_term_list.json", "taxonomy_term"),
    ],
)
def test_official_list_examples_are_valid_pages(example: str, item_kind: str) -> None:
    assert validation.page_problems(official_example(example), item_kind) == []


def test_a_broken_service_is_reported_with_the_json_path_and_reason() -> None:
    document = official_example("service_full.json")
    document["status"] = "open"
    document["schedules"][0]["id"] = "not-a-uuid"
    del document["name"]
    problems = dict(validation.problems_in(document, "service"))
    assert problems["$"] == "'name' is a required property"
    assert "is not a 'uuid'" in problems["$.schedules[0].id"]
    assert "is not one of" in problems["$.status"]


def test_a_page_without_its_totals_is_not_a_valid_page() -> None:
    problems = validation.page_problems({"contents": []}, "service_list_item")
    assert ("$", "'total_items' is a required property") in problems


def test_check_raises_an_input_error_naming_the_document() -> None:
    with pytest.raises(validation.OrukValidationError) as caught:
        validation.check({"id": "x"}, "service", where="feed.json")
    assert caught.value.one_line().startswith("feed.json: not valid Open Referral UK: $: ")


@pytest.mark.parametrize(
    ("parts", "path"),
    [([], "$"), (["schedules", 0, "id"], "$.schedules[0].id"), ([3], "$[3]")],
)
def test_json_paths_read_like_jsonpath(parts: list[object], path: str) -> None:
    assert validation.json_path(parts) == path
