"""`upstream triage check` and `upstream triage suggest`: what they print and their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_cli import refused_in_one_line
from tests.triage.factories import replaced, rule_file
from upstream.cli import app
from upstream.triage import current_file, load_rules

pytestmark = pytest.mark.core
runner = CliRunner()


def test_check_of_the_bundled_file_says_ok_with_its_rules_and_version() -> None:
    result = runner.invoke(app, ["triage", "check"])
    rules = load_rules()
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {len(rules.rules)} rules, version {rules.rules_version}")


def test_check_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    bundled = load_rules()
    text = current_file().read_text(encoding="utf-8")
    text = replaced('version = "1.0.0"\n', "", text)
    text = replaced('flags_any = ["supporting-families"', 'flags_any = ["tarot"', text)
    path = rule_file(tmp_path, text)
    result = runner.invoke(app, ["triage", "check", str(path)])
    assert result.exit_code == 2
    flagged = bundled.rule("flagged-for-early-help").line - 1  # a line above, with version gone
    assert result.stderr.splitlines() == [
        f"error: {path}:16: [rules]: no `version`",
        f"error: {path}:{flagged}: rule flagged-for-early-help: flags_any: 'tarot' is not a rule "
        "set `upstream identify` runs",
    ]
    assert result.stdout == ""


def test_check_compares_the_areas_with_the_directorys_taxonomy(tmp_path: Path) -> None:
    # The small file knows only four of the directory's areas, so the check lists the rest.
    result = runner.invoke(app, ["triage", "check", str(rule_file(tmp_path))])
    assert result.exit_code == 2
    assert (
        f"error: {tmp_path / 'rules.toml'}:22: [areas]: the directory's area 'housing-support' is missing"
        in result.stderr.splitlines()
    )


def test_check_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    line = refused_in_one_line(["triage", "check", str(tmp_path / "nope.toml")])
    assert line == f"error: {tmp_path / 'nope.toml'}: rule file not found"


def test_suggest_prints_the_route_team_rule_why_and_version() -> None:
    result = runner.invoke(
        app,
        ["triage", "suggest", "--needs", "drug-alcohol", "--age", "34", "--ward", "Saltley"],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Route: targeted (Targeted: a key worker or team around the person or family)",
        "Team: Early help — South",
        "Rule: targeted-need",
    ]
    assert lines[3].startswith("Why: Needs include drug-alcohol (citizen-safety).")
    assert lines[4].startswith(f"Rules: {load_rules().rules_version} (")
    assert lines[5] == "The officer decides: this is only a suggestion."


def test_suggest_reads_every_fact_from_its_options() -> None:
    result = runner.invoke(
        app,
        [
            *("triage", "suggest", "--needs", "benefits-help", "--urgency", "urgent"),
            *("--asked-by", "professional", "--channel", "partner", "--flags", "high-cost"),
            *(
                "--what-matters",
                "My landlord served a section 21",
                "--repeat",
                "--already-involved",
            ),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Rule: may-be-homeless" in result.stdout


def test_suggest_can_use_another_rule_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["triage", "suggest", "--rules", str(rule_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Rule: default" in result.stdout
    assert "Team: none (universal help has no team)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--needs", "astrology"], "error: --needs: 'astrology' is not a need in the directory"),
        (["--flags", "tarot"], "error: --flags: 'tarot' is not a rule set identify runs"),
        (["--urgency", "asap"], "error: --urgency: must be one of routine, soon, urgent (not 'asap')"),
        (["--asked-by", "cat"], "error: --asked-by: must be one of person, family_or_friend, professional (not 'cat')"),
        (["--channel", "fax"], "error: --channel: must be one of web, phone, face_to_face, partner, proactive (not 'fax')"),
    ],
)  # fmt: skip
def test_suggest_refuses_bad_facts_in_one_line(args: list[str], message: str) -> None:
    assert refused_in_one_line(["triage", "suggest", *args]) == message


def test_suggest_with_a_broken_rule_file_is_one_line(tmp_path: Path) -> None:
    path = rule_file(tmp_path, replaced("default = true\n", ""))
    line = refused_in_one_line(["triage", "suggest", "--rules", str(path)])
    assert line == (
        f"error: {path}: no default rule: one rule needs `default = true`, so every request gets "
        "a suggestion (and 1 more: run `upstream triage check`)"
    )


@pytest.mark.parametrize("age", ["-1", "131", "old"])
def test_suggest_refuses_an_age_that_is_not_one(age: str) -> None:
    result = runner.invoke(app, ["triage", "suggest", "--age", age])
    assert result.exit_code == 2
    assert "Invalid value for '--age'" in result.output
