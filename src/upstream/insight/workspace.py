"""The workspaces the core reads and writes, and the one place that opens them.

Two workspaces, each one database file in a folder:

- insight (`$UPSTREAM_DATA_DIR/insight/workspace.duckdb`): every imported extract (with
  lineage), every rejected row with its reason, the accepted rows per source, and each
  linkage run's outputs; reports and run folders sit beside it;
- identify (`$UPSTREAM_DATA_DIR/identify/identify.duckdb`, or `upstream identify --out`): one
  identification run's results.

`Workspace` owns each file's name and place, whether it is opened read-only, and every
connection to it; publishers read its rows by column name (`Workspace.reading`). How files
are opened belongs to an engine, one class per engine, the way Splink keeps each backend's
differences in one `DatabaseAPI` subclass: `DuckDB` today; a second engine (Spark) is a
second subclass of `Engine`, and the code that asks a workspace for a connection does not
change. The SQL each step runs stays in the insight and identify modules that run it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb

from upstream.errors import InputError

INSIGHT_SCHEMA = """
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
# Rows are fetched this many at a time, so a publish of a whole city holds one batch in memory.
BATCH = 5_000

Connection = TypeVar("Connection")
Row = dict[str, Any]


class Engine(ABC, Generic[Connection]):
    """What an engine does for a workspace: open a database, attach one to another, list its
    tables and read rows by column name. One subclass per engine."""

    suffix: str  # a workspace file's name ends with it

    @abstractmethod
    def open(self, path: Path | None = None, *, read_only: bool = False) -> Connection:
        """A connection to the database at `path`, or to a new in-memory one."""

    @abstractmethod
    def attach(self, con: Connection, path: Path, alias: str, *, read_only: bool) -> None:
        """Make the database at `path` readable (and writable) in `con` as `alias`."""

    @abstractmethod
    def detach(self, con: Connection, alias: str) -> None: ...

    @abstractmethod
    def tables(self, con: Connection, alias: str) -> set[str]:
        """The names of the tables in the attached database `alias`."""

    @abstractmethod
    def rows(self, con: Connection, sql: str, params: Sequence[object] = ()) -> Iterator[Row]:
        """The query's rows, each a dict by column name, fetched in batches. Read them all
        before the next query on the same connection."""


class DuckDB(Engine[duckdb.DuckDBPyConnection]):
    """DuckDB: one file per workspace on local disk."""

    suffix = ".duckdb"

    def open(
        self, path: Path | None = None, *, read_only: bool = False
    ) -> duckdb.DuckDBPyConnection:
        if path is None:
            return duckdb.connect()
        return duckdb.connect(str(path), read_only=read_only)

    def attach(
        self, con: duckdb.DuckDBPyConnection, path: Path, alias: str, *, read_only: bool
    ) -> None:
        mode = " (READ_ONLY)" if read_only else ""
        con.execute(f"ATTACH {_quoted(str(path))} AS {alias}{mode}")

    def detach(self, con: duckdb.DuckDBPyConnection, alias: str) -> None:
        con.execute(f"DETACH {alias}")

    def tables(self, con: duckdb.DuckDBPyConnection, alias: str) -> set[str]:
        rows = self.rows(
            con, "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [alias]
        )
        return {row["table_name"] for row in rows}

    def rows(
        self, con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()
    ) -> Iterator[Row]:
        cursor = con.execute(sql, list(params))
        names = [column[0] for column in cursor.description or ()]
        while batch := cursor.fetchmany(BATCH):
            for values in batch:
                yield dict(zip(names, values, strict=True))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


DUCKDB = DuckDB()


@dataclass(frozen=True)
class Reader:
    """A workspace open for reading: rows by column name, never by position. What the
    publishers (people, flags) read a workspace with."""

    con: duckdb.DuckDBPyConnection
    engine: Engine[duckdb.DuckDBPyConnection]

    def rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[Row]:
        return self.engine.rows(self.con, sql, params)

    def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return list(self.rows(sql, params))

    def first(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row, or None (reads every row: DuckDB wants results finished)."""
        rows = self.all(sql, params)
        return rows[0] if rows else None


@dataclass(frozen=True)
class Workspace:
    """One workspace: a database file named `name` in `folder`, opened by `engine`, with the
    bookkeeping tables in `schema` made whenever it is opened for writing."""

    folder: Path
    name: str
    schema: str = ""
    # A second engine widens this type (and the connections below) to its own.
    engine: Engine[duckdb.DuckDBPyConnection] = DUCKDB

    @classmethod
    def insight(cls, data_dir: Path) -> Workspace:
        """Insight's workspace in the data directory."""
        return cls(data_dir / "insight", "workspace", INSIGHT_SCHEMA)

    @classmethod
    def identify(cls, folder: Path) -> Workspace:
        """An identification run's workspace: `$UPSTREAM_DATA_DIR/identify` unless `--out`."""
        return cls(folder, "identify")

    @property
    def path(self) -> Path:
        return self.folder / f"{self.name}{self.engine.suffix}"

    def exists(self) -> bool:
        return self.path.is_file()

    def connect(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection the caller closes: for a step that commits or rolls back itself.
        Opening for writing makes the folder, the file and the bookkeeping tables."""
        if read_only:
            self._must_exist()
            return self.engine.open(self.path, read_only=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        con = self.engine.open(self.path)
        if self.schema:
            con.execute(self.schema)
        return con

    @contextmanager
    def open(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """`with workspace.open(read_only=True) as con:`; closed however the block ends."""
        con = self.connect(read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """Open read-only and read rows by column name; closed however the block ends."""
        with self.open(read_only=True) as con:
            yield Reader(con, self.engine)

    @contextmanager
    def attached(
        self, con: duckdb.DuckDBPyConnection, alias: str = "ws", *, read_only: bool = True
    ) -> Iterator[str]:
        """This workspace attached to another connection (a scratch database) as `alias`,
        and detached again however the block ends, so the file is never held open."""
        if read_only:
            self._must_exist()
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.engine.attach(con, self.path, alias, read_only=read_only)
        try:
            yield alias
        finally:
            self.engine.detach(con, alias)

    def tables(self, con: duckdb.DuckDBPyConnection, alias: str = "ws") -> set[str]:
        """The tables of this workspace attached to `con` as `alias`."""
        return self.engine.tables(con, alias)

    def remove(self) -> None:
        """Delete the file: a run that replaces the workspace whole starts from nothing."""
        self.path.unlink(missing_ok=True)

    def _must_exist(self) -> None:
        if not self.exists():
            raise InputError(f"no {self.name} workspace here", where=str(self.path))


def scratch() -> duckdb.DuckDBPyConnection:
    """A new in-memory database for one run's working tables, from the same engine."""
    return DUCKDB.open()


# Helpers for the insight modules' own SQL on an open workspace connection.


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
