"""ORUK import and export: validated both ways, idempotent, reports what changed, all or nothing."""

from __future__ import annotations

import copy
import uuid

import pytest

from tests.directory.factories import load_directory, official_example, service_document
from upstream.directory import validation
from upstream.directory.exporter import export_services
from upstream.directory.importer import MAPPED, import_document
from upstream.directory.models import Attribute, FieldChange, Schedule, Service
from upstream.directory.taxonomy import term_id
from upstream.directory.terms import ensure_taxonomy

pytestmark = pytest.mark.django_db


def test_the_official_full_service_example_imports_and_exports_as_valid_oruk() -> None:
    report = import_document(official_example("service_full.json"), source="example feed")
    assert report.created == ["Community Counselling"]
    exported = export_services()
    assert len(exported) == 1
    assert validation.problems_in(exported[0], "service") == []
    assert exported[0]["schedules"][0]["byday"] == "TH,FR"
    assert (
        exported[0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
        == "ABC 1234"
    )


def test_the_official_list_page_imports_each_of_its_services() -> None:
    report = import_document(official_example("service_list.json"), source="example feed")
    assert len(report.created) == 1
    assert Service.objects.get().organization.name == "Example Organization Inc."


def test_importing_the_same_feed_again_changes_nothing() -> None:
    load_directory()
    changes = FieldChange.objects.count()
    report = load_directory()
    assert report.created == [] and report.updated == {}
    assert report.unchanged == Service.objects.count()
    assert FieldChange.objects.count() == changes


def test_a_newer_feed_changes_only_what_differs_and_says_which_fields() -> None:
    ensure_taxonomy()
    document = service_document()
    import_document(document, source="feed")
    newer = copy.deepcopy(document)
    newer["name"] = "Saturday money advice for over-60s"
    newer["schedules"][0]["closes_at"] = "14:00:00"
    report = import_document(newer, source="feed")
    assert report.updated == {"Saturday money advice for over-60s": ["closes_at", "name"]}
    change = FieldChange.objects.get(field_name="closes_at")
    assert (change.previous_value, change.replacement_value) == ("13:00:00", "14:00:00")
    assert change.updated_by == "feed"


def test_a_child_record_the_feed_no_longer_lists_is_deleted_and_recorded() -> None:
    ensure_taxonomy()
    document = service_document()
    import_document(document, source="feed")
    import_document({**document, "schedules": []}, source="feed")
    assert not Schedule.objects.exists()
    assert (
        FieldChange.objects.filter(resource_type="schedule", last_action_type="delete").count() == 1
    )


def test_an_invalid_document_is_rejected_with_paths_and_nothing_is_written() -> None:
    good = service_document()
    bad = service_document(id=str(uuid.uuid4()), status="open")
    bad["schedules"][0]["freq"] = "DAILY"
    with pytest.raises(validation.OrukValidationError) as caught:
        import_document([good, bad], source="feed", where="feed.json")
    paths = [path for path, _ in caught.value.problems]
    assert paths == ["$[1].schedules[0].freq", "$[1].status"]
    assert "feed.json" in caught.value.one_line()
    assert not Service.objects.exists()


def test_a_value_the_schemas_allow_but_we_cannot_read_rolls_everything_back() -> None:
    ensure_taxonomy()
    good = service_document()
    bad = service_document(id=str(uuid.uuid4()))
    bad["schedules"][0]["opens_at"] = "25:00"
    with pytest.raises(validation.OrukValidationError) as caught:
        import_document({"contents": [good, bad]}, source="feed")
    assert caught.value.problems[0][0] == "$.contents[1].schedules[0]"
    assert "is not a time of day" in caught.value.problems[0][1]
    assert not Service.objects.exists() and not FieldChange.objects.exists()


def test_a_feeds_term_with_a_known_synonym_also_gets_upstreams_own_term() -> None:
    ensure_taxonomy()
    document = official_example("service_full.json")
    document["attributes"][0]["taxonomy_term"]["name"] = "Debt advice"
    import_document(document, source="feed")
    mapped = Attribute.objects.get(link_type=MAPPED)
    assert mapped.taxonomy_term_id == term_id("financial-help")
    assert import_document(document, source="feed").unchanged == 1


def test_an_export_imports_into_another_directory_unchanged() -> None:
    load_directory()
    exported = export_services()
    Service.objects.all().delete()
    report = import_document(exported, source="another council")
    assert len(report.created) == len(exported)
    assert export_services() == exported


JAVASCRIPT = "javascript:alert(document.cookie)"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["url"], JAVASCRIPT),
        (["url"], " JavaScript:alert(1)"),
        (["url"], "data:text/html,<script>alert(1)</script>"),
        (["url"], "vbscript:msgbox(1)"),
        (["url"], "ftp://example.com/leaflet.pdf"),
        (["organization", "website"], JAVASCRIPT),
        (["organization", "logo"], JAVASCRIPT),
        (["schedules", 0, "schedule_link"], JAVASCRIPT),
        (["service_at_locations", 0, "location", "accessibility", 0, "url"], JAVASCRIPT),
        (["attributes", 0, "taxonomy_term", "term_uri"], JAVASCRIPT),
    ],
)
def test_a_link_the_editors_form_would_refuse_is_refused_by_the_import_with_its_path(
    path: list[str | int], value: str
) -> None:
    document = official_example("service_full.json")
    record = document
    for part in path[:-1]:
        record = record[part]
    record[path[-1]] = value
    with pytest.raises(validation.OrukValidationError) as error:
        import_document(document, source="feed", where="feed.json")
    where = validation.json_path(path)
    assert (where, f"{value!r} is not a web address starting http:// or https://") in (
        error.value.problems
    )
    assert not Service.objects.exists()
