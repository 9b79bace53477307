"""A new extract from one source is linked incrementally; earlier person IDs are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from upstream.insight.linkage.pipeline import LinkOptions
from upstream.insight.service import run_ingest, run_link
from upstream.insight.workspace import Workspace

pytestmark = pytest.mark.core
OPTIONS = LinkOptions(threads=2, memory_limit="2GB")


def _ids(data_dir: Path) -> dict[str, str]:
    return {
        str(k): str(v)
        for k, v in _query(data_dir, "SELECT record_key, person_id FROM record_person")
    }


def _query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    with Workspace.insight(data_dir).open(read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_later_health_extract_is_linked_incrementally_keeping_earlier_ids(
    small_city: Path, tmp_path: Path
) -> None:
    extracts = tmp_path / "extracts"
    shutil.copytree(small_city / "extracts", extracts)
    health = extracts / "health_activity.csv"
    lines = health.read_text(encoding="utf-8").splitlines(keepends=True)
    health.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    data_dir = tmp_path / "data"
    run_ingest(extracts, data_dir)
    run_link(data_dir, city_dir=small_city, options=OPTIONS)
    before = _ids(data_dir)

    health.write_text("".join(lines), encoding="utf-8")
    reports, _ = run_ingest(extracts, data_dir)
    assert [r.status for r in reports if r.source == "health"] == ["imported"]
    assert next(r for r in reports if r.source == "health").supersedes
    _, result = run_link(data_dir, city_dir=small_city, incremental=True, options=OPTIONS)
    after = _ids(data_dir)

    assert len(after) > len(before)
    moved = {k for k, v in before.items() if after.get(k) != v}
    lineage = {row[0] for row in _query(data_dir, "SELECT old_person_id FROM person_lineage")}
    assert all(before[k] in lineage for k in moved)  # any change of ID is recorded as lineage
    assert len(moved) / len(before) < 0.01
    assert result["accuracy"]["pairwise_f1"] >= 0.98  # type: ignore[index]
