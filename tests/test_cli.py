"""The CLI: clear one-line errors and non-zero exits."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upstream.cli import app

pytestmark = pytest.mark.core
runner = CliRunner()


def refused_in_one_line(args: list[str]) -> str:
    """Run the real `upstream` command; it must exit 2 with one line on stderr and no
    traceback. Returns that line."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # nothing escaped
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("upstream ")


def test_pipelines_without_a_city_is_a_one_line_error_naming_the_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "upstream", "pipelines", "--city", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere'}: no synthetic city here (no manifest.json); run `upstream synth` first"
    ]


def test_a_bad_port_is_refused_before_anything_starts() -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.output


def test_a_file_that_is_not_utf8_is_one_line_and_exit_2_from_the_installed_command(
    tmp_path: Path,
) -> None:
    case = tmp_path / "case.toml"
    case.write_bytes(b'[case]\ntitle = "caf\xe9"\n')
    result = subprocess.run(
        [sys.executable, "-m", "upstream", "appraise", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {case}: not UTF-8 text: byte 0xe9 on line 2; save the file as UTF-8"
    ]


def test_link_before_any_ingest_says_to_ingest_first_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    workspace = tmp_path / "insight" / "workspace.duckdb"
    assert refused_in_one_line(["link"]) == (
        f"error: {workspace}: no extracts imported yet; run `upstream ingest` first"
    )
    assert not (tmp_path / "insight").exists()


def test_link_after_an_ingest_that_imported_nothing_says_to_ingest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    (tmp_path / "empty").mkdir()
    runner.invoke(app, ["ingest", str(tmp_path / "empty")])
    assert refused_in_one_line(["link"]).endswith(
        "workspace.duckdb: no extracts imported yet; run `upstream ingest` first"
    )
    assert not (tmp_path / "insight" / "runs").exists()


def test_pipelines_without_city_looks_under_the_data_dir_as_ingest_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    assert refused_in_one_line(["pipelines"]).startswith(f"error: {tmp_path / 'city'}: ")


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied", "/srv/out"),
            "/srv/out: permission denied",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on device"),
        (RecursionError("maximum recursion depth exceeded"), "input nested too deeply to read"),
        (
            UnicodeDecodeError("utf-8", b"ok\nbad \xe9", 7, 8, "invalid continuation byte"),
            "not UTF-8 text: byte 0xe9 on line 2; save the file as UTF-8",
        ),
    ],
)
def test_the_last_resort_line_for_a_file_problem_says_what_and_where(
    error: OSError | UnicodeDecodeError | RecursionError, line: str
) -> None:
    from upstream.cli import last_resort_line

    assert last_resort_line(error) == line


def test_a_file_problem_deep_in_a_command_is_one_line_not_a_traceback_fault_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upstream.economics.examples import EXAMPLES

    def unwritable(*_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "report.html"))

    monkeypatch.setattr("upstream.economics.report.write_all", unwritable)
    case = EXAMPLES / "parenting-programme.toml"
    line = refused_in_one_line(["appraise", str(case), "--out", str(tmp_path), "--draws", "10"])
    assert line == f"error: {tmp_path / 'report.html'}: permission denied"


def test_an_error_message_that_spans_lines_is_printed_on_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from upstream.cli import print_error

    print_error("workspace.duckdb: Parser Error: syntax error\n\nLINE 1: CREATE [bold]x[/bold]\n")
    assert capsys.readouterr().err == (
        "error: workspace.duckdb: Parser Error: syntax error LINE 1: CREATE [bold]x[/bold]\n"
    )


def test_a_workspace_that_is_not_a_database_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    (tmp_path / "insight").mkdir()
    (tmp_path / "insight" / "workspace.duckdb").write_text("not a database\n")
    line = refused_in_one_line(["link"])
    assert line.startswith(f"error: {tmp_path / 'insight' / 'workspace.duckdb'}: not a usable")
