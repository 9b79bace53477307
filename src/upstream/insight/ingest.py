"""Import agency extracts into the workspace: validate, keep rejects, report, supersede.

Every row that comes in is either accepted (into `records_<source>`) or rejected with its file,
row, field and reason (into `problems`); the import report's counts always add up. A file is
known by its SHA-256, so importing it again changes nothing. A new file matching the same
contract pattern supersedes the previous one (both are kept; `extracts` records the lineage).
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
from upstream.insight.staging import Staged, stage_file
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
    known = scalar(con, "SELECT report FROM extracts WHERE extract_id = ?", [extract_id])
    if known:
        report = ImportReport(**json.loads(str(known)))
        report.status = "already imported"
        return report
    pattern = matching_pattern(contract, path.name) or path.name
    staged = stage_file(con, path, contract, "stage")
    report = _validate_and_store(con, contract, staged, extract_id, path.name)
    _record_extract(con, report, pattern, sha, staged)
    return report


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
    accepted = accepted_sql(contract, "checked", "found", extract_id)
    table = records_table(contract.source)
    if table_exists(con, table):
        con.execute(f'INSERT INTO "{table}" BY NAME {accepted}')
    else:
        con.execute(f'CREATE TABLE "{table}" AS {accepted}')
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
    rows = [
        (
            extract_id,
            contract.source,
            file_name,
            p.row,
            p.field or None,
            p.value or None,
            p.reason,
            "rejected",
            None,
        )
        for p in staged.problems
    ]
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
