"""The main job's directory step and the `upstream directory` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.directory.factories import official_example
from tests.test_cli import refused_in_one_line
from upstream.cli import app
from upstream.directory import validation
from upstream.directory.models import Service
from upstream.directory.synthetic import JOURNEY_SERVICE_ID
from upstream.errors import InputError
from upstream.jobs.directory import city_ward_names, load_for_city

pytestmark = pytest.mark.django_db(transaction=True)


WARDS = ["Ashfield", "Brookvale", "Copperhill", "Dovecote"]


def city(tmp_path: Path, **manifest: object) -> Path:
    document = {"people": 20_000, "seed": 42, "wards": WARDS, **manifest}
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    return tmp_path


@pytest.mark.core
def test_the_city_wards_come_from_its_manifest(tmp_path: Path) -> None:
    assert city_ward_names(city(tmp_path)) == WARDS
    assert city_ward_names(city(tmp_path, wards=["North", "South"])) == ["North", "South"]
    assert city_ward_names(city(tmp_path, wards=[{"name": "East"}])) == ["East"]


@pytest.mark.core
def test_a_folder_without_a_city_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no synthetic city here"):
        city_ward_names(tmp_path)


@pytest.mark.core
@pytest.mark.parametrize("wards", [None, [], [""], [1, 2], "North"])
def test_a_manifest_without_ward_names_is_refused_with_what_to_do(
    tmp_path: Path, wards: object
) -> None:
    with pytest.raises(InputError, match=r"lists no ward names.*--regenerate"):
        city_ward_names(city(tmp_path, wards=wards))


def test_the_pipeline_loads_the_synthetic_directory_once(tmp_path: Path) -> None:
    load_for_city(city(tmp_path), tmp_path)
    count = Service.objects.count()
    load_for_city(city(tmp_path), tmp_path)
    assert Service.objects.count() == count > 300
    assert Service.objects.filter(pk=JOURNEY_SERVICE_ID).exists()


def test_import_then_export_on_the_command_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(official_example("service_full.json")))
    runner = CliRunner()
    imported = runner.invoke(app, ["directory", "import", str(feed), "--source", "example council"])
    assert imported.exit_code == 0, imported.output
    assert "example council: 1 services created" in imported.output
    again = runner.invoke(app, ["directory", "import", str(feed), "--source", "example council"])
    assert "0 services created, 0 updated, 1 unchanged" in again.output
    out = tmp_path / "export.json"
    assert runner.invoke(app, ["directory", "export", "--out", str(out)]).exit_code == 0
    exported = json.loads(out.read_text())
    assert [validation.problems_in(d, "service") for d in exported] == [[]]


def test_an_invalid_file_is_rejected_with_the_path_and_reason(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"id": "nope", "name": "X", "status": "active"}))
    line = refused_in_one_line(["directory", "import", str(feed)])
    assert line.startswith(f"error: {feed}: not valid Open Referral UK: ")
    assert "$.id: 'nope' is not a 'uuid'" in line
    assert not Service.objects.exists()


def test_the_import_command_refuses_a_javascript_website_in_one_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    document = official_example("service_full.json")
    document["url"] = "javascript:alert(document.cookie)"
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(document))
    assert refused_in_one_line(["directory", "import", str(feed)]) == (
        f"error: {feed}: not valid Open Referral UK: $.url: "
        "'javascript:alert(document.cookie)' is not a web address starting http:// or https://"
    )
    assert not Service.objects.exists()


@pytest.mark.core
@pytest.mark.parametrize(
    "address",
    [
        "https://example.org",
        "http://example.org/advice?day=SA#times",
        "https://age.upstream.example/debt-advice",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:help@example.org",
        "tel:+441234567890",
        "ftp://example.org/leaflet.pdf",
        "https://exa mple.org",
    ],
)
def test_the_import_and_the_editors_form_apply_one_rule_to_web_addresses(address: str) -> None:
    from django.core.exceptions import ValidationError

    from upstream.directory.forms import ServiceForm
    from upstream.directory.links import web_address_problem

    try:
        ServiceForm.base_fields["url"].clean(address)
        form_accepts = True
    except ValidationError:
        form_accepts = False
    assert form_accepts == (web_address_problem(address) is None)
    assert form_accepts == (address.startswith(("http://", "https://")) and " " not in address)


@pytest.mark.core
def test_the_import_command_refuses_a_file_that_is_not_utf8_naming_the_file_and_line(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "latin1.json"
    feed.write_bytes('{"name": "Caf\xe9 for carers"}'.encode("latin-1"))
    assert refused_in_one_line(["directory", "import", str(feed)]) == (
        f"error: {feed}: not UTF-8 text: byte 0xe9 on line 1; save the file as UTF-8"
    )


@pytest.mark.core
@pytest.mark.parametrize("depth", [101, 990, 100_000])
def test_the_import_command_refuses_json_nested_too_deeply_in_one_line(
    tmp_path: Path, depth: int
) -> None:
    feed = tmp_path / "deep.json"
    feed.write_text("[" * depth + "]" * depth)
    assert refused_in_one_line(["directory", "import", str(feed)]) == (
        f"error: {feed}: nested more than 100 levels deep; not an Open Referral UK document"
    )


@pytest.mark.core
def test_the_import_command_refuses_a_folder_in_one_line(tmp_path: Path) -> None:
    assert refused_in_one_line(["directory", "import", str(tmp_path)]) == (
        f"error: {tmp_path}: is a folder; give a JSON file"
    )


def test_load_synthetic_without_city_looks_under_the_data_dir_as_ingest_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    assert refused_in_one_line(["directory", "load-synthetic"]) == (
        f"error: {tmp_path / 'city'}: no synthetic city here (no manifest.json)"
    )
