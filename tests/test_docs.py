"""The docs are tested: every command and every setting is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from upstream.cli import app
from upstream.config import SETTINGS

pytestmark = pytest.mark.core
DOCS = Path(__file__).resolve().parents[1] / "docs"


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", command_names())
def test_every_command_is_documented_in_the_cli_guide(command: str) -> None:
    assert f"`upstream {command}" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


def test_readme_test_command_is_the_one_ci_runs() -> None:
    root = DOCS.parent
    assert "make test" in (root / "README.md").read_text(encoding="utf-8")
    assert "make test" in (root / ".ci" / "run").read_text(encoding="utf-8")
