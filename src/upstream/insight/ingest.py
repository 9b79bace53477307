"""Import agency extracts into the workspace: validate, keep rejects, report, supersede.

Every row that comes in is either accepted (into `records_<source>`) or rejected with its file,
row, field and reason (into `problems`); the import report's counts always add up. A file is
known by its SHA-256, so importing it again changes nothing (and a file that failed fails again,
with its reason). A new file matching the same contract pattern supersedes the previous one (both
are kept; `extracts` records the lineage).

One file's import is one DuckDB transaction: its problems, its accepted rows and its `extracts`
row are committed together or not at all, so a crash (`kill -9`, a power cut) at any point
leaves the workspace as it was before the file, and a re-run imports the file exactly once.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from upstream.errors import InputError
from upstream.insight.contract import Contract
from upstream.insight.faults import fault_point
from upstream.insight.staging import Problem, Staged, stage_file
from upstream.insight.validation import accepted_sql, checked_sql, problems_sql
from upstream.insight.workspace import first_row, records_table, scalar, table_exists


@dataclass
class ImportReport:
    source: str
    file_name: str
    extract_id: str
    status: str  # imported, already imported, failed
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    blanked: int = 0
    cleaned: int = 0  # rows accepted after a NUL character was removed from a field
    reasons: dict[str, int] = field(default_factory=dict)  # "field: reason" -> rows
    warnings: list[str] = field(default_factory=list)
    supersedes: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def matching_pattern(contract: Contract, file_name: str) -> str:
    return next((p for p in contract.files if fnmatch.fnmatch(file_name, p)), "")


def import_file(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract) -> ImportReport:
    """Import one file under its contract (idempotent by content hash)."""
    if not path.is_file():
        raise InputError("file not found", where=str(path))
    sha = file_sha256(path)
    extract_id = f"{contract.source}-{sha[:12]}"
    known = first_row(con, "SELECT status, report FROM extracts WHERE extract_id = ?", [extract_id])
    if known:
        return _known_report(str(known[0]), str(known[1]))
    pattern = matching_pattern(contract, path.name) or path.name
    staged = stage_file(con, path, contract, "stage")  # temporary tables only: nothing to undo
    con.begin()
    try:
        _forget_partial_import(con, contract, extract_id)
        report = _validate_and_store(con, contract, staged, extract_id, path.name)
        _record_extract(con, report, pattern, sha, staged)
        fault_point("ingest:extract-recorded")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    fault_point("ingest:file-committed")
    return report


def _known_report(status: str, stored: str) -> ImportReport:
    """The stored report of a file imported before: a failed file stays failed, with its reason."""
    report = ImportReport(**json.loads(stored))
    report.status = "failed" if status == "failed" else "already imported"
    return report


def _forget_partial_import(
    con: duckdb.DuckDBPyConnection, contract: Contract, extract_id: str
) -> None:
    """Remove rows of this extract with no `extracts` row: left by an interrupted import from
    before imports were one transaction. Idempotent by extract id, whatever made the workspace."""
    con.execute("DELETE FROM problems WHERE extract_id = ?", [extract_id])
    table = records_table(contract.source)
    if table_exists(con, table):
        con.execute(f'DELETE FROM "{table}" WHERE _extract_id = ?', [extract_id])


def _validate_and_store(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    staged: Staged,
    extract_id: str,
    file_name: str,
) -> ImportReport:
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {checked_sql(contract, 'stage')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE found AS {problems_sql(contract, 'checked')}")
    _store_problems(con, contract, staged, extract_id, file_name)
    fault_point("ingest:problems-stored")
    accepted = accepted_sql(contract, "checked", "found", extract_id)
    table = records_table(contract.source)
    if table_exists(con, table):
        con.execute(f'INSERT INTO "{table}" BY NAME {accepted}')
    else:
        con.execute(f'CREATE TABLE "{table}" AS {accepted}')
    fault_point("ingest:records-stored")
    return _report(con, contract, staged, extract_id, file_name)


def _store_problems(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    staged: Staged,
    extract_id: str,
    file_name: str,
) -> None:
    con.execute(
        "INSERT INTO problems SELECT ?, ?, ?, row_number, field, value, reason, action, raw FROM found",
        [extract_id, contract.source, file_name],
    )

    def row(p: Problem, action: str) -> tuple[object, ...]:
        where = (extract_id, contract.source, file_name, p.row, p.field or None)
        return (*where, p.value or None, p.reason, action, None)

    rows = [row(p, "rejected") for p in staged.problems]
    rows += [row(p, "cleaned") for p in staged.cleaned]
    if rows:
        con.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _report(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    staged: Staged,
    extract_id: str,
    file_name: str,
) -> ImportReport:
    counts = first_row(
        con,
        "SELECT count(DISTINCT row_number) FILTER (WHERE action = 'rejected'), "
        "count(DISTINCT row_number) FILTER (WHERE action = 'blanked') FROM found",
    )
    rejected_checked, blanked = (int(str(counts[0])), int(str(counts[1]))) if counts else (0, 0)
    reasons: Counter[str] = Counter()
    for field_name, reason, action, n in con.execute(
        "SELECT field, reason, action, count(*) FROM found GROUP BY ALL"
    ).fetchall():
        reasons[f"{field_name}: {reason} ({action})"] += int(n)
    for problem in staged.problems:
        reasons[f"{problem.field or 'row'}: {problem.reason} (rejected)"] += 1
    for problem in staged.cleaned:
        reasons[f"{problem.field}: {problem.reason} (cleaned)"] += 1
    rejected = rejected_checked + len(staged.problems)
    accepted = staged.rows_staged - rejected_checked
    return ImportReport(
        source=contract.source,
        file_name=file_name,
        extract_id=extract_id,
        status="failed" if staged.failure else "imported",
        rows_in=accepted + rejected,
        accepted=accepted,
        rejected=rejected,
        blanked=blanked,
        cleaned=len({p.row for p in staged.cleaned}),
        reasons=dict(reasons.most_common()),
        warnings=[staged.failure, *staged.warnings] if staged.failure else staged.warnings,
    )


def _record_extract(
    con: duckdb.DuckDBPyConnection, report: ImportReport, pattern: str, sha: str, staged: Staged
) -> None:
    """Add the extract; a successful import supersedes the current one for the same pattern."""
    status = "failed" if staged.failure else "current"
    previous = None
    if status == "current":
        previous = scalar(
            con,
            "SELECT extract_id FROM extracts WHERE source = ? AND file_pattern = ? AND status = 'current'",
            [report.source, pattern],
        )
    if previous:
        report.supersedes = str(previous)
        con.execute(
            "UPDATE extracts SET status = 'superseded', superseded_by = ? WHERE extract_id = ?",
            [report.extract_id, report.supersedes],
        )
    con.execute(
        "INSERT INTO extracts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [
            report.extract_id,
            report.source,
            report.file_name,
            pattern,
            sha,
            datetime.now(),
            report.rows_in,
            report.accepted,
            report.rejected,
            report.blanked,
            status,
            report.supersedes or None,
            report.to_json(),
        ],
    )


def files_for(contract: Contract, folder: Path) -> list[Path]:
    found = {p for pattern in contract.files for p in folder.glob(pattern) if p.is_file()}
    return sorted(found)


def ingest_folder(
    con: duckdb.DuckDBPyConnection, folder: Path, contracts: list[Contract]
) -> list[ImportReport]:
    """Import every file in a folder that a contract claims; files no contract claims are an error."""
    if not folder.is_dir():
        raise InputError("no such folder of extracts", where=str(folder))
    reports: list[ImportReport] = []
    claimed: set[Path] = set()
    for contract in contracts:
        for path in files_for(contract, folder):
            claimed.add(path)
            reports.append(import_file(con, path, contract))
    unclaimed = [p.name for p in sorted(folder.iterdir()) if p.is_file() and p not in claimed]
    if unclaimed:
        reports.append(
            ImportReport(
                "?",
                ", ".join(unclaimed),
                "",
                "failed",
                warnings=["no contract describes these files"],
            )
        )
    return reports


def current_records_sql(source: str) -> str:
    """Accepted rows of a source's current extracts (superseded ones are kept, not used)."""
    return (
        f'SELECT r.* FROM "{records_table(source)}" r JOIN extracts e ON e.extract_id = r._extract_id '
        f"WHERE e.status = 'current'"
    )
