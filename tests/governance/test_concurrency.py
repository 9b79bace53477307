"""Many people at once on the SQLite default: every audit write succeeds and the chain holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HAMMER = Path(__file__).with_name("audit_hammer.py")
# 20 users at once, as in the casework bench that found "database is locked" (issue 10, item
# 12), in two processes as `upstream serve` runs on two cores; a few seconds in all.
PROCESSES, THREADS, WRITES = 2, 10, 6


def run(database: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "UPSTREAM_DATABASE_URL": f"sqlite:///{database}",
        "UPSTREAM_DATA_DIR": str(database.parent),
        "UPSTREAM_ENV": "test",
    }
    return subprocess.Popen(
        [sys.executable, str(HAMMER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> dict[str, object]:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out) if out.strip() else {}


@pytest.mark.sqlite
@pytest.mark.skipif(
    os.environ.get("UPSTREAM_TEST_PASS") == "postgres",
    reason="SQLite's locking, on a database file of its own; nothing to repeat on PostgreSQL",
)
def test_concurrent_audit_writes_on_a_sqlite_file_all_succeed_and_keep_the_chain_intact(
    tmp_path: Path,
) -> None:
    database = tmp_path / "upstream.sqlite3"
    finish(run(database, "migrate"))
    writers = [run(database, "write", str(THREADS), str(WRITES)) for _ in range(PROCESSES)]
    errors = [e for w in writers for e in finish(w)["errors"]]  # type: ignore[attr-defined]
    assert errors == []
    result = finish(run(database, "verify"))
    assert result == {
        "ok": True,
        "checked": PROCESSES * THREADS * WRITES,
        "problem": "",
        "journal": "wal",
    }
