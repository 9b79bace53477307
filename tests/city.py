"""One test city: the real demo pipeline, run once over a small synthetic city and shared by
every test that needs linked data.

`upstream pipelines` runs as a user would run it (a subprocess with its own data directory and
SQLite database), so the demo's path is tested by the same run that feeds the other tests.
`scripts/test` points `UPSTREAM_TEST_CITY` at one folder for both passes, and a file lock
lets parallel test workers share it, so the city is built once per `make test`.

Tests must not change what the pipeline wrote: `TestCity.writable_copy` gives a copy of the
data directory to change.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PEOPLE = 3_000  # small enough to build in well under a minute, big enough for every source
SEED = 11
DONE = "pipeline.done"


@dataclass(frozen=True)
class TestCity:
    __test__ = False  # not a test class, whatever its name

    city_dir: Path  # the synthetic city: extracts, truth and manifest
    data_dir: Path  # what the pipeline wrote: insight and identify workspaces, reports
    database_url: str  # the pipeline's own operational database
    log: str  # what `upstream pipelines` printed

    def writable_copy(self, to: Path) -> Path:
        """A copy of the data directory for a test that changes it."""
        shutil.copytree(self.data_dir, to, dirs_exist_ok=True)
        return to


def city_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = os.environ.get("UPSTREAM_TEST_CITY")
    if shared:
        folder = Path(shared)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    # One folder for every xdist worker of this run: the base temp's parent is shared.
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "test-city"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    with (folder / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(folder: Path) -> None:
    from upstream.synth import generate_city

    city_dir, data_dir = folder / "city", folder / "data"
    shutil.rmtree(city_dir, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    generate_city(people=PEOPLE, seed=SEED, out=city_dir)
    env = {
        **os.environ,
        "UPSTREAM_ENV": "test",
        "COLUMNS": "200",  # one line per step in the log, as the tests read it
        "UPSTREAM_DATA_DIR": str(data_dir),
        "UPSTREAM_DATABASE_URL": f"sqlite:///{folder / 'upstream.sqlite3'}",
    }
    env.pop("UPSTREAM_FAULT_AT", None)
    (folder / "upstream.sqlite3").unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "upstream", "pipelines", "--city", str(city_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    (folder / "pipeline.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    (folder / DONE).write_text("ok", encoding="utf-8")


@pytest.fixture(scope="session")
def test_city(tmp_path_factory: pytest.TempPathFactory) -> TestCity:
    folder = city_folder(tmp_path_factory)
    with locked(folder):
        if not (folder / DONE).exists():
            build(folder)
    return TestCity(
        city_dir=folder / "city",
        data_dir=folder / "data",
        database_url=f"sqlite:///{folder / 'upstream.sqlite3'}",
        log=(folder / "pipeline.log").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="session")
def small_city(test_city: TestCity) -> Path:
    """The test city's synthetic city (extracts, truth, manifest); read it, never change it."""
    return test_city.city_dir


@pytest.fixture(scope="session")
def linked_city(test_city: TestCity) -> dict[str, object]:
    """The pipeline's linkage run, as the insight and publish tests read it."""
    from upstream.insight.workspace import Workspace

    with Workspace.insight(test_city.data_dir).reading() as rows:
        run = rows.first(
            "SELECT model_path, counts FROM link_runs ORDER BY finished_at DESC LIMIT 1"
        )
    assert run is not None, "the pipeline recorded no linkage run"
    folder = Path(str(run["model_path"])).parent
    return {
        "data_dir": test_city.data_dir,
        "folder": folder,
        "result": json.loads((folder / "quality.json").read_text(encoding="utf-8")),
        "counts": json.loads(str(run["counts"])),
    }


@pytest.fixture(scope="session")
def identify_workspace(test_city: TestCity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Identification run once over the test city's truth-linked events (the rules measured
    against the generator's truth; the pipeline's own run used insight's links)."""
    from upstream.identify.pipeline import run_identification
    from upstream.synth.truth_linked import truth_linked_events

    out = tmp_path_factory.mktemp("identify")
    run_identification(truth_linked_events(test_city.city_dir), out, truth_dir=test_city.city_dir)
    return out
