"""The demo's path, as `make demo` runs it: `upstream pipelines` over a small synthetic city
(tests/city.py runs it once; every test that needs linked data shares what it wrote)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.city import TestCity
from upstream.insight.workspace import Workspace
from upstream.jobs.demo import PIPELINE

pytestmark = pytest.mark.core


def count(city: TestCity, table: str) -> int:
    path = city.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_the_pipeline_runs_every_step_in_order(test_city: TestCity) -> None:
    positions = [test_city.log.find(f"{step.name}: {step.description}") for step in PIPELINE]
    assert -1 not in positions, test_city.log[-2000:]
    assert positions == sorted(positions)


def test_the_pipeline_links_the_city_into_people(test_city: TestCity) -> None:
    with Workspace.insight(test_city.data_dir).reading() as rows:
        linked = rows.first(
            "SELECT count(DISTINCT person_id) AS people, count(*) AS records FROM record_person"
        )
    assert linked is not None
    people, records = linked["people"], linked["records"]
    manifest = json.loads((test_city.city_dir / "manifest.json").read_text())
    assert records == manifest["records_in_extracts"]
    # Linkage finds roughly the people the city has (some never touch a service).
    assert 0.5 * manifest["people"] < people <= manifest["people"] * 1.2


def test_the_pipeline_publishes_people_flags_the_directory_and_the_search_index(
    test_city: TestCity,
) -> None:
    assert count(test_city, "people_person") > 1_000
    assert count(test_city, "flags_flag") > 0
    assert count(test_city, "directory_service") > 300
    assert count(test_city, "casework_searchkey") > count(test_city, "people_person")


def test_the_pipeline_writes_the_reports_people_read(test_city: TestCity) -> None:
    assert (test_city.data_dir / "identify" / "report" / "report.json").exists()
    assert list((test_city.data_dir / "reports").glob("*/report.html"))
    runs = list((test_city.data_dir / "insight").rglob("quality.html"))
    assert runs, "no linkage quality report"
