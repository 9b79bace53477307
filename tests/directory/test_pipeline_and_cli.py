"""The main job's directory step and the `upstream directory` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.directory.factories import official_example
from upstream.cli import app
from upstream.directory import validation
from upstream.directory.models import Service
from upstream.directory.pipeline import city_ward_names, load_for_city, ward_names
from upstream.directory.synthetic import JOURNEY_SERVICE_ID
from upstream.errors import InputError

pytestmark = pytest.mark.django_db(transaction=True)


def city(tmp_path: Path, **manifest: object) -> Path:
    (tmp_path / "manifest.json").write_text(json.dumps({"people": 20_000, "seed": 42, **manifest}))
    return tmp_path


@pytest.mark.core
def test_the_city_wards_come_from_the_manifest_or_the_citys_own_rule(tmp_path: Path) -> None:
    assert city_ward_names(city(tmp_path)) == ["Ashfield", "Brookvale", "Copperhill", "Dovecote"]
    assert city_ward_names(city(tmp_path, wards=["North", "South"])) == ["North", "South"]
    assert ward_names(42)[-1] == "Brookvale 41"


@pytest.mark.core
def test_a_folder_without_a_city_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no synthetic city"):
        city_ward_names(tmp_path)


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
    result = CliRunner().invoke(app, ["directory", "import", str(feed)])
    assert isinstance(result.exception, validation.OrukValidationError)
    assert "$.id: 'nope' is not a 'uuid'" in result.exception.one_line()
    assert not Service.objects.exists()
