"""The casework bench's database choice and error counting (bench/bench_casework.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_casework.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_casework", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


class Answer:
    def __init__(self, status: int, raised: str = "") -> None:
        self.status = status
        self.raised = raised

    def getheader(self, name: str, default: str = "") -> str:
        return self.raised if name == "X-Bench-Exception" and self.raised else default


def test_postgresql_stays_the_default_and_sqlite_is_a_database_url(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPSTREAM_BENCH_DATABASE_URL", raising=False)
    assert bench.arguments([]).database_url == bench.DEFAULT_URL
    assert bench.DEFAULT_URL.startswith("postgres://")
    url = bench.arguments(["--database-url", "sqlite:////tmp/city/upstream.sqlite3"]).database_url
    assert bench.is_sqlite(url) and not bench.is_sqlite(bench.DEFAULT_URL)
    assert bench.sqlite_path(url) == "/tmp/city/upstream.sqlite3"
    assert bench.sqlite_path("sqlite:///var/upstream.sqlite3") == "var/upstream.sqlite3"
    assert bench.database_label(url) == "SQLite (/tmp/city/upstream.sqlite3)"
    assert bench.database_label(bench.DEFAULT_URL) == "PostgreSQL"


def test_a_sqlite_file_gets_its_folder_and_memory_is_refused(
    bench: ModuleType, tmp_path: Path
) -> None:
    bench.ensure_database(f"sqlite:///{tmp_path}/new/folder/upstream.sqlite3")
    assert (tmp_path / "new" / "folder").is_dir()
    with pytest.raises(SystemExit, match="SQLite needs a file"):
        bench.ensure_database("sqlite://:memory:")


def test_errors_are_non_2xx_answers_and_locked_ones_are_counted_apart(bench: ModuleType) -> None:
    assert bench.failure_kind(Answer(200)) == ""
    assert bench.failure_kind(Answer(204)) == ""
    assert bench.failure_kind(Answer(302)) == "302"
    locked = bench.failure_kind(Answer(500, "OperationalError: database is locked"))
    assert locked == "500: OperationalError: database is locked"
    phase = bench.Phase(
        "person page",
        "20",
        [0.01, 0.02],
        15.0,
        Counter({locked: 3, "503": 1, "no answer: ConnectionResetError": 1}),
    )
    assert (phase.errors, phase.locked) == (5, 3)
    assert phase.slowest() == pytest.approx(20.0)
