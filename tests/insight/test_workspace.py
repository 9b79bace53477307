"""The workspace class: where each workspace file is, how it is opened, rows read by name."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from upstream.errors import InputError
from upstream.insight.workspace import BATCH, Workspace, scratch

pytestmark = pytest.mark.core


def test_the_two_workspaces_are_the_insight_and_identify_files(tmp_path: Path) -> None:
    assert Workspace.insight(tmp_path).path == tmp_path / "insight" / "workspace.duckdb"
    assert Workspace.identify(tmp_path / "out").path == tmp_path / "out" / "identify.duckdb"


def test_opening_for_writing_makes_the_folder_and_the_bookkeeping_tables(tmp_path: Path) -> None:
    workspace = Workspace.insight(tmp_path / "data")
    with workspace.open() as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {"extracts", "problems", "link_runs"} <= tables
    assert workspace.exists()


def test_a_workspace_not_yet_written_cannot_be_read_and_says_where_it_looked(
    tmp_path: Path,
) -> None:
    workspace = Workspace.identify(tmp_path)
    with pytest.raises(InputError, match="no identify workspace") as error, workspace.reading():
        pass
    assert str(workspace.path) in error.value.one_line()
    assert not workspace.exists()


def test_rows_are_read_by_column_name_in_batches_and_read_only(tmp_path: Path) -> None:
    workspace = Workspace.identify(tmp_path)
    with workspace.open() as con:
        con.execute(
            "CREATE TABLE flags AS SELECT range AS n, 'F' || range AS flag_id FROM range(?)",
            [BATCH * 2 + 1],
        )
    with workspace.reading() as read:
        rows = read.all("SELECT flag_id, n FROM flags ORDER BY n")
        assert read.first("SELECT count(*) AS flags FROM flags") == {"flags": BATCH * 2 + 1}
        assert read.first("SELECT * FROM flags WHERE n < 0") is None
        with pytest.raises(duckdb.Error, match="read-only"):
            read.con.execute("DELETE FROM flags")
    assert len(rows) == BATCH * 2 + 1
    assert rows[-1] == {"flag_id": f"F{BATCH * 2}", "n": BATCH * 2}


def test_an_attached_workspace_is_detached_however_the_block_ends(tmp_path: Path) -> None:
    workspace = Workspace.identify(tmp_path)
    con = scratch()
    with workspace.attached(con, "ws", read_only=False):
        con.execute("CREATE TABLE ws.run AS SELECT 'x' AS summary")
    with pytest.raises(RuntimeError), workspace.attached(con, "ws"):
        assert workspace.tables(con, "ws") == {"run"}
        raise RuntimeError("a step failed")
    attached = con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    assert ("ws",) not in attached
    with workspace.reading() as read:
        assert read.all("SELECT summary FROM run") == [{"summary": "x"}]
