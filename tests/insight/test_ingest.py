"""Ingest: every row that comes in is accepted or rejected with its file, row, field and reason."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.errors import InputError
from upstream.insight.contract import load_contract, load_contracts, parse_contract
from upstream.insight.ingest import import_file
from upstream.insight.workspace import Workspace

pytestmark = pytest.mark.core

CONTRACT = """
[source]
name = "clinic"
agency = "nhs"
files = ["clinic*.csv"]
format = "{format}"
delimiter = ","
record_id = "Id"
local_id = "PatientRef"

[event]
type_column = "Type"
date = "Seen"
unit_cost_column = "Cost"

[[columns]]
name = "Id"
type = "integer"
required = true

[[columns]]
name = "PatientRef"
type = "string"
required = true

[[columns]]
name = "Name"
type = "string"
role = "forename"

[[columns]]
name = "DOB"
type = "date"
formats = ["%d/%m/%Y"]
min = "1900-01-01"
max = "today"
on_error = "blank"
role = "dob"

[[columns]]
name = "Seen"
type = "date"
formats = ["%d/%m/%Y"]
required = true

[[columns]]
name = "Type"
type = "code"
codes = ["AE", "MH"]
required = true

[[columns]]
name = "Cost"
type = "code"
codes = ["HE4.2"]
required = true

[[columns]]
name = "NHS"
type = "string"
check = "nhs_modulus_11"
on_error = "blank"
role = "nhs_number"
"""

HEADER = "Id,PatientRef,Name,DOB,Seen,Type,Cost,NHS\n"
GOOD = "1,P1,Ann,01/02/1980,03/04/2021,AE,HE4.2,9434765919\n"


def make_contract(tmp_path: Path, fmt: str = "csv") -> Path:
    path = tmp_path / "clinic.toml"
    path.write_text(CONTRACT.replace("{format}", fmt), encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return Workspace.insight(tmp_path / "data").connect()


def problems(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT row_number, field, reason, action FROM problems ORDER BY row_number, field"
    ).fetchall()


def test_a_malformed_file_loses_nothing_every_row_is_accepted_or_rejected_with_a_reason(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    body = (
        HEADER
        + GOOD  # line 2: accepted
        + "2,P2,Bob,31/02/1990,03/04/2021,AE,HE4.2,\n"  # 3: impossible DOB, blanked, accepted
        + "3,P3,Cy,01/01/1990,31/13/2021,AE,HE4.2,\n"  # 4: impossible event date: rejected
        + "4,P4,Di,01/01/1990,03/04/2021,ZZ,HE4.2,\n"  # 5: unknown code: rejected
        + "5,P5,Ed,01/01/1990\n"  # 6: too few fields: rejected
        + "\n"  # 7: blank line: rejected
        + "6,P6,Fo,01/01/1990,03/04/2021,MH,HE4.2,1234567890\n"  # 8: bad NHS number, blanked
        + "1,P1,Ann,01/02/1980,05/04/2021,AE,HE4.2,\n"  # 9: duplicate record id: rejected
        + "7,,Gi,01/01/2090,03/04/2021,AE,HE4.2,\n"  # 10: missing PatientRef: rejected; DOB in future
    )
    data = body.encode("utf-8") + "8,P8,J\xf6,01/01/1990,03/04/2021,AE,HE4.2,\n".encode(
        "latin-1"
    )  # 11: bad UTF-8
    report = import_file(
        con, write(tmp_path, "clinic.csv", data), load_contract(make_contract(tmp_path))
    )
    assert report.rows_in == 10
    assert report.accepted + report.rejected == report.rows_in
    assert (report.accepted, report.rejected, report.blanked) == (3, 7, 3)
    rejected_rows = {r[0] for r in problems(con) if r[3] == "rejected"}
    assert rejected_rows == {4, 5, 6, 7, 9, 10, 11}
    reasons = {(r[0], r[1]): str(r[2]) for r in problems(con)}
    assert reasons[(3, "DOB")].startswith("not a real date")
    assert reasons[(4, "Seen")].startswith("not a real date")
    assert reasons[(5, "Type")] == "unknown code"
    assert reasons[(8, "NHS")] == "fails the NHS number check digit"
    assert reasons[(9, "Id")].startswith("duplicate record id")
    assert reasons[(10, "PatientRef")] == "missing value"
    assert reasons[(10, "DOB")] == "impossible value: in the future"
    accepted = con.execute("SELECT _row, DOB, NHS FROM records_clinic ORDER BY _row").fetchall()
    assert [row[0] for row in accepted] == [2, 3, 8]
    assert accepted[1][1] is None and accepted[2][2] is None  # blanked, not lost


def test_a_file_with_the_wrong_delimiter_is_rejected_whole_row_by_row(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    text = (HEADER + GOOD + GOOD.replace("1,P1", "2,P2")).replace(",", ";")
    report = import_file(
        con, write(tmp_path, "clinic.csv", text), load_contract(make_contract(tmp_path))
    )
    assert report.status == "failed"
    assert (report.rows_in, report.accepted, report.rejected) == (2, 0, 2)
    assert "delimited by ';'" in report.warnings[0]


def test_a_missing_required_column_fails_the_file_and_an_extra_column_is_reported(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    contract = load_contract(make_contract(tmp_path))
    missing = import_file(con, write(tmp_path, "clinic1.csv", "Id,Name\n1,Ann\n"), contract)
    assert missing.status == "failed" and missing.rejected == 1
    assert "required column(s) missing" in missing.warnings[0]
    extra = import_file(
        con,
        write(tmp_path, "clinic2.csv", HEADER.strip() + ",Shoe\n" + GOOD.strip() + ",9\n"),
        contract,
    )
    assert extra.accepted == 1
    assert any("extra column 'Shoe'" in w for w in extra.warnings)


def test_importing_the_same_file_again_changes_nothing(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    contract = load_contract(make_contract(tmp_path))
    path = write(tmp_path, "clinic.csv", HEADER + GOOD)
    first = import_file(con, path, contract)
    again = import_file(con, path, contract)
    assert again.status == "already imported" and again.extract_id == first.extract_id
    assert con.execute("SELECT count(*) FROM records_clinic").fetchall() == [(1,)]


def test_a_new_extract_supersedes_the_old_one_and_keeps_the_lineage(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    contract = load_contract(make_contract(tmp_path))
    old = import_file(con, write(tmp_path, "clinic.csv", HEADER + GOOD), contract)
    new = import_file(
        con, write(tmp_path, "clinic.csv", HEADER + GOOD + GOOD.replace("1,P1", "2,P2")), contract
    )
    assert new.supersedes == old.extract_id
    rows = dict(con.execute("SELECT extract_id, status FROM extracts").fetchall())
    assert rows == {old.extract_id: "superseded", new.extract_id: "current"}


def test_parquet_extracts_are_validated_like_csv(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    table = pa.table(
        {
            "Id": [1, 2],
            "PatientRef": ["P1", "P2"],
            "Name": ["Ann", "Bob"],
            "DOB": ["01/02/1980", "01/02/1981"],
            "Seen": ["03/04/2021", "03/04/2021"],
            "Type": ["AE", "XX"],
            "Cost": ["HE4.2", "HE4.2"],
            "NHS": [None, None],
        }
    )
    pq.write_table(table, tmp_path / "clinic.parquet")
    report = import_file(
        con, tmp_path / "clinic.parquet", load_contract(make_contract(tmp_path, "parquet"))
    )
    assert (report.rows_in, report.accepted, report.rejected) == (2, 1, 1)


def test_a_contract_that_refers_to_an_undeclared_column_is_refused() -> None:
    raw = {
        "source": {"name": "x", "agency": "y", "files": ["x.csv"], "record_id": "Nope"},
        "columns": [{"name": "Id"}],
    }
    with pytest.raises(InputError, match="does not declare"):
        parse_contract(raw, "x.toml")


def test_every_bundled_agency_contract_loads_and_names_an_event_and_a_cost_code() -> None:
    contracts = {c.source: c for c in load_contracts()}
    assert len(contracts) == 11
    front_door = contracts.pop("front_door")
    assert front_door.event is None  # the front door's provisional people: identities only
    assert all(c.event and c.event.unit_cost_column for c in contracts.values())


def test_a_utf8_extract_that_starts_with_a_byte_order_mark_is_read_like_one_without(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = write(tmp_path, "clinic.csv", b"\xef\xbb\xbf" + (HEADER + GOOD).encode("utf-8"))
    report = import_file(con, path, load_contract(make_contract(tmp_path)))
    assert (report.status, report.rows_in, report.accepted, report.rejected) == (
        "imported",
        1,
        1,
        0,
    )
    assert con.execute("SELECT Id, PatientRef FROM records_clinic").fetchall() == [(1, "P1")]


def test_a_nul_in_a_field_is_removed_and_recorded_and_the_row_is_otherwise_accepted(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    body = HEADER + GOOD.replace("Ann", "A\x00nn") + GOOD.replace("1,P1", "2,P2")
    report = import_file(
        con, write(tmp_path, "clinic.csv", body), load_contract(make_contract(tmp_path))
    )
    assert (report.rows_in, report.accepted, report.rejected, report.cleaned) == (2, 2, 0, 1)
    assert report.reasons == {"Name: NUL character removed (cleaned)": 1}
    assert con.execute("SELECT Name FROM records_clinic ORDER BY Id").fetchall() == [
        ("Ann",),
        ("Ann",),
    ]
    assert con.execute(
        "SELECT row_number, field, value, reason, action FROM problems"
    ).fetchall() == [(2, "Name", "A\\x00nn", "NUL character removed", "cleaned")]


def test_a_nul_in_a_parquet_field_is_removed_and_recorded_too(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    row = {"Id": [1], "PatientRef": ["P\x001"], "Name": ["Ann"], "DOB": ["01/02/1980"]}
    row |= {"Seen": ["03/04/2021"], "Type": ["AE"], "Cost": ["HE4.2"], "NHS": [None]}
    pq.write_table(pa.table(row), tmp_path / "clinic.parquet")
    report = import_file(
        con, tmp_path / "clinic.parquet", load_contract(make_contract(tmp_path, "parquet"))
    )
    assert (report.accepted, report.cleaned) == (1, 1)
    assert con.execute("SELECT PatientRef FROM records_clinic").fetchall() == [("P1",)]


def test_a_file_that_failed_fails_again_with_its_reason_when_imported_again(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    contract = load_contract(make_contract(tmp_path))
    path = write(tmp_path, "clinic.csv", "Id,Name\n1,Ann\n")
    first = import_file(con, path, contract)
    again = import_file(con, path, contract)
    assert first.status == again.status == "failed"
    assert again.warnings == first.warnings
    assert "required column(s) missing" in again.warnings[0]
    assert con.execute("SELECT count(*) FROM problems").fetchall() == [(1,)]


def test_re_running_an_ingest_whose_file_failed_exits_non_zero_again(tmp_path: Path) -> None:
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    make_contract(tmp_path)
    write(extracts, "clinic.csv", "Id,Name\n1,Ann\n")
    arguments = ["ingest", str(extracts), "--contracts", str(tmp_path)]
    environment = {"UPSTREAM_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runs = [CliRunner().invoke(app, arguments, env=environment) for _ in range(2)]
    assert [run.exit_code for run in runs] == [1, 1]
    assert "required column(s) missing" in runs[1].output
    assert "already imported" not in runs[1].output
