"""The insight workspace: one DuckDB database file in `$UPSTREAM_DATA_DIR/insight/`.

It holds every imported extract (with lineage), every rejected row with its reason, the
accepted rows per source, and each linkage run's outputs. All engine-specific SQL for the
workspace lives in the insight modules that use DuckDB; this module only opens it and makes
the bookkeeping tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

WORKSPACE_FILE = "workspace.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS extracts (
    extract_id VARCHAR PRIMARY KEY,   -- SOURCE-<first 12 hex of the file's SHA-256>
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_pattern VARCHAR NOT NULL,    -- the contract pattern it matched; one current per pattern
    sha256 VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    rows_in BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    blanked BIGINT NOT NULL,
    status VARCHAR NOT NULL,          -- current, superseded or failed
    supersedes VARCHAR,               -- the extract this one replaced
    superseded_by VARCHAR,
    report VARCHAR NOT NULL           -- the import report as JSON
);
CREATE TABLE IF NOT EXISTS problems (
    extract_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    row_number BIGINT,                -- line in the file (CSV, header = 1) or record (Parquet)
    field VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    action VARCHAR NOT NULL,          -- rejected (row not imported) or blanked (field emptied)
    raw VARCHAR                       -- the row as read, for putting it right
);
CREATE TABLE IF NOT EXISTS link_runs (
    run_id VARCHAR, finished_at TIMESTAMP, model_path VARCHAR, counts VARCHAR
);
"""


def workspace_dir(data_dir: Path) -> Path:
    return data_dir / "insight"


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    folder = workspace_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(folder / WORKSPACE_FILE))
    con.execute(SCHEMA)
    return con


def records_table(source: str) -> str:
    return f"records_{source}"


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
    )


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    """The first value of the first row, or None (fetches everything: DuckDB 2 wants results finished)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def first_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple[object, ...] | None:
    rows = con.execute(sql, params or []).fetchall()
    return tuple(rows[0]) if rows else None
