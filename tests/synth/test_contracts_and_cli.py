"""Every extract matches its data contract; the CLI refuses bad arguments clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.test_cli import refused_in_one_line
from upstream.cli import app
from upstream.synth.extracts.contracts import CONTRACTS, render_markdown

pytestmark = pytest.mark.core
DOCS = Path(__file__).resolve().parents[2] / "docs" / "data-contracts.md"


def _header(path: Path, encoding: str, delimiter: str) -> list[str]:
    with path.open(encoding=encoding) as handle:
        return handle.readline().rstrip("\n").replace('"', "").split(delimiter)


def test_every_file_in_the_manifest_matches_its_contract_columns(city: tuple[Path, dict]) -> None:
    out, manifest = city
    extracts = [f for f in manifest["files"] if f["kind"] == "extract"]
    assert {f["source"] for f in extracts} == set(CONTRACTS)
    for entry in extracts:
        contract = CONTRACTS[entry["source"]]
        path = out / entry["path"]
        if contract.format == "parquet":
            names = pq.read_schema(path).names
        else:
            names = _header(path, contract.encoding, contract.delimiter)
        assert names == contract.column_names, contract.file


def test_dates_use_each_sources_own_format(city: tuple[Path, dict]) -> None:
    out, _ = city
    first_rows = {
        "housing_homelessness.csv": (r"\d{2}/\d{2}/\d{4}", "EventDate", ","),
        "revenues_benefits.txt": (r"\d{8}", "TRANS_DATE", "|"),
        "school_pupil_events.csv": (r"\d{2}-[A-Z][a-z]{2}-\d{4}", "Date", ","),
        "health_activity.csv": (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "ActivityDateTime", ","),
    }
    for file, (pattern, column, delimiter) in first_rows.items():
        encoding = "cp1252" if file.endswith(".txt") else "utf-8"
        lines = (out / "extracts" / file).read_text(encoding=encoding).splitlines()
        header = lines[0].replace('"', "").split(delimiter)
        value = lines[1].split(delimiter)[header.index(column)].strip('"')
        assert re.fullmatch(pattern, value), (file, value)


def test_data_contracts_document_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "999"], "between 1,000 and 1,100,000"),
        (["--people", "2000000"], "between 1,000 and 1,100,000"),
        (["--people", "many"], "--people"),
        (["--seed", "-1"], "zero or positive"),
    ],
)
def test_bad_arguments_get_a_clear_error_and_non_zero_exit(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["synth", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_out_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    line = refused_in_one_line(["synth", "--people", "1000", "--out", str(target)])
    assert line == f"error: {target}: is a file; give a directory for the city"


def test_non_empty_directory_not_made_by_synth_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    line = refused_in_one_line(["synth", "--people", "1000", "--out", str(tmp_path)])
    assert "not made by" in line
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_an_out_folder_that_cannot_be_made_is_one_line_naming_it() -> None:
    line = refused_in_one_line(["synth", "--people", "1000", "--out", "/proc/upstream-city"])
    assert line == (
        "error: /proc/upstream-city: cannot make the city here: no such file or directory"
    )


def test_synth_without_out_writes_the_city_under_the_data_dir_as_ingest_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["synth", "--people", "1000", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "city" / "manifest.json").is_file()
    assert (tmp_path / "city" / "extracts").is_dir()


def test_the_cli_writes_a_city(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synth", "--people", "1000", "--seed", "1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "manifest.json").is_file()
