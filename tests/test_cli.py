"""The CLI: clear one-line errors and non-zero exits."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from upstream.cli import app

pytestmark = pytest.mark.core
runner = CliRunner()


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
