"""Read an extract file into a staging table of text, keeping every row it cannot read.

CSV is read with Python's csv module, in chunks, so that each row keeps the line number a
person can open in an editor, and rows that are not readable (wrong encoding, wrong number of
fields, blank) are kept as problems rather than lost. Parquet is read with pyarrow; its row
numbers count from 1. Every value becomes text here; types are checked in validation.py.

Two things agencies' exports do that are not errors in the data: a UTF-8 file may begin with a
byte-order mark (Excel's "CSV UTF-8" does), which is read as nothing; and a field may hold a NUL
character, which PostgreSQL cannot store as text, so it is removed here and recorded as a problem
(action `cleaned`) while the row is otherwise accepted.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from upstream.insight.contract import Contract
from upstream.insight.workspace import scalar

CHUNK_ROWS = 200_000
OTHER_DELIMITERS = (",", ";", "\t", "|")
ROW = "_row"  # the staging column holding each row's line (CSV) or record (Parquet) number
NUL_REMOVED = "NUL character removed"


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    value: str
    reason: str


@dataclass
class Staged:
    """What came out of one file: rows staged, file-level findings, rows we could not read."""

    rows_staged: int = 0
    problems: list[Problem] = field(default_factory=list)  # rows rejected before validation
    cleaned: list[Problem] = field(default_factory=list)  # fields put right; rows still accepted
    warnings: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    failure: str = ""  # set when the whole file is unusable; every row is then rejected


def stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str
) -> Staged:
    if contract.format == "parquet":
        staged = _stage_parquet(con, path, contract, table)
    else:
        staged = _stage_csv(con, path, contract, table)
    staged.cleaned = _strip_nul(con, table, contract.column_names)
    return staged


def _create_stage(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    cols = ", ".join(f'"{c}" VARCHAR' for c in columns)
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}" ({ROW} BIGINT, {cols})')


def reading_encoding(encoding: str) -> str:
    """The codec to read a declared encoding with: UTF-8 files may start with a byte-order mark,
    which `utf-8-sig` reads as nothing (and files without one exactly as `utf-8` does)."""
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # surrogateescape keeps undecodable bytes as lone surrogates, so one bad byte costs one row
    # (found in _bad_encoding) instead of the whole file.
    return io.TextIOWrapper(
        path.open("rb"), encoding=reading_encoding(encoding), errors="surrogateescape", newline=""
    )


def _strip_nul(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> list[Problem]:
    """Remove NUL characters from staged values, one problem per field that held any. One scan
    finds whether any field holds one (almost never), before a scan per column that does."""
    holding = [f'contains("{name}", chr(0))' for name in columns]
    if not holding or not scalar(
        con, f'SELECT count(*) FROM "{table}" WHERE {" OR ".join(holding)}'
    ):
        return []
    cleaned: list[Problem] = []
    for name in columns:
        has_nul = f'contains("{name}", chr(0))'
        rows = con.execute(f'SELECT {ROW}, "{name}" FROM "{table}" WHERE {has_nul}').fetchall()
        if not rows:
            continue
        cleaned += [
            Problem(int(row), name, str(value).replace("\x00", "\\x00"), NUL_REMOVED)
            for row, value in rows
        ]
        con.execute(
            f'UPDATE "{table}" SET "{name}" = replace("{name}", chr(0), \'\') WHERE {has_nul}'
        )
    return sorted(cleaned, key=lambda p: p.row)


def _bad_encoding(fields: list[str]) -> bool:
    text = "".join(fields)
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _header_failure(header: list[str], contract: Contract) -> str:
    if not header:
        return "the file is empty (no header row)"
    if len(set(header)) != len(header):
        return "the header repeats a column name"
    if len(header) == 1 and len(contract.columns) > 1:
        for other in OTHER_DELIMITERS:
            if other != contract.delimiter and other in header[0]:
                return f"the file is delimited by {other!r}, not {contract.delimiter!r} as its contract says"
    if _bad_encoding(header):
        return f"the header is not valid {contract.encoding}"
    missing = [c.name for c in contract.columns if c.required and c.name not in header]
    if missing:
        return f"required column(s) missing: {', '.join(missing)}"
    return ""


def _check_header(header: list[str], contract: Contract, staged: Staged) -> None:
    staged.failure = _header_failure(header, contract)
    if staged.failure:
        return
    expected = set(contract.column_names)
    staged.missing_columns = [c for c in contract.column_names if c not in header]
    for name in staged.missing_columns:
        staged.warnings.append(f"optional column {name!r} is missing; it is blank for every row")
    for name in header:
        if name not in expected:
            staged.warnings.append(
                f"extra column {name!r} is not in the contract; it is not imported"
            )


def _read_rows(reader: Iterator[list[str]], staged: Staged) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields), recording rows the csv module cannot parse."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = getattr(reader, "line_num", 0)
            staged.problems.append(Problem(line, "", "", f"unreadable CSV: {error}"))
            continue
        yield getattr(reader, "line_num", 0), fields


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str
) -> Staged:
    staged = Staged()
    columns = contract.column_names
    _create_stage(con, table, columns)
    with _open_text(path, contract.encoding) as handle:
        reader = csv.reader(handle, delimiter=contract.delimiter)
        header = next(reader, [])
        _check_header(header, contract, staged)
        position = {name: i for i, name in enumerate(header)}
        chunk: list[tuple[int, list[str]]] = []
        for line, fields in _read_rows(reader, staged):
            problem = _row_problem(line, fields, header, staged, contract.encoding)
            if problem:
                staged.problems.append(problem)
                continue
            chunk.append((line, fields))
            if len(chunk) >= CHUNK_ROWS:
                _flush(con, table, chunk, columns, position, staged)
                chunk = []
        _flush(con, table, chunk, columns, position, staged)
    return staged


def _row_problem(
    line: int, fields: list[str], header: list[str], staged: Staged, encoding: str
) -> Problem | None:
    if staged.failure:
        return Problem(line, "", "", staged.failure)
    if not fields or fields == [""]:
        return Problem(line, "", "", "blank line")
    if len(fields) != len(header):
        text = ",".join(fields)[:200]
        return Problem(line, "", text, f"has {len(fields)} fields; the header has {len(header)}")
    if _bad_encoding(fields):
        text = ",".join(fields).encode("utf-8", "backslashreplace").decode("utf-8")[:200]
        return Problem(line, "", text, f"not valid {encoding} text")
    return None


def _flush(
    con: duckdb.DuckDBPyConnection,
    table: str,
    chunk: list[tuple[int, list[str]]],
    columns: list[str],
    position: dict[str, int],
    staged: Staged,
) -> None:
    if not chunk:
        return
    arrays: dict[str, pa.Array] = {ROW: pa.array([line for line, _ in chunk], pa.int64())}
    for name in columns:
        i = position.get(name)
        values = [None] * len(chunk) if i is None else [fields[i] for _, fields in chunk]
        arrays[name] = pa.array(values, pa.string())
    batch = pa.table(arrays)  # noqa: F841 - read by DuckDB's replacement scan below
    con.execute(f'INSERT INTO "{table}" SELECT * FROM batch')
    staged.rows_staged += len(chunk)


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str
) -> Staged:
    staged = Staged()
    columns = contract.column_names
    _create_stage(con, table, columns)
    try:
        parquet = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        staged.failure = f"not a readable Parquet file: {error}"
        return staged
    header = parquet.column_names
    _check_header(header, contract, staged)
    if staged.failure:
        staged.problems += [
            Problem(i, "", "", staged.failure) for i in range(1, parquet.num_rows + 1)
        ]
        return staged
    # Number the records here: row_number() OVER () in DuckDB follows no guaranteed order.
    numbered = parquet.append_column(  # noqa: F841 - read by DuckDB's replacement scan below
        "__upstream_record", pa.array(range(1, parquet.num_rows + 1), pa.int64())
    )
    selects = [f'CAST("{c}" AS VARCHAR)' if c in header else "NULL" for c in columns]
    con.execute(
        f'INSERT INTO "{table}" SELECT __upstream_record, {", ".join(selects)} FROM numbered'
    )
    staged.rows_staged = parquet.num_rows
    return staged
