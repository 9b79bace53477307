"""A small synthetic city, ingested and linked once per test session (about 15 seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.insight.linkage.pipeline import LinkOptions
from upstream.insight.service import run_ingest, run_link
from upstream.insight.workspace import Workspace

SMALL_CITY_PEOPLE = 3_000


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from upstream.synth import generate_city

    out = tmp_path_factory.mktemp("city")
    generate_city(people=SMALL_CITY_PEOPLE, seed=7, out=out)
    return out


@pytest.fixture(scope="session")
def linked_city(small_city: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data_dir = tmp_path_factory.mktemp("data")
    run_ingest(small_city / "extracts", data_dir)
    options = LinkOptions(threads=2, memory_limit="2GB")
    run, result = run_link(data_dir, city_dir=small_city, options=options)
    ids_before = _ids(data_dir)
    run_link(data_dir, city_dir=small_city, incremental=True, options=options)
    ids_after = _ids(data_dir)
    kept = sum(ids_after.get(k) == v for k, v in ids_before.items()) / len(ids_before)
    return {
        "data_dir": data_dir,
        "folder": run.folder,
        "result": result,
        "counts": run.counts,
        "ids_kept": kept,
    }


def _ids(data_dir: Path) -> dict[str, str]:
    with Workspace.insight(data_dir).open(read_only=True) as con:
        return dict(con.execute("SELECT record_key, person_id FROM record_person").fetchall())
