import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.economics.casefile import read_case
from upstream.errors import InputError

pytestmark = pytest.mark.core

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
MINIMAL = """
[case]
kind = "intervention"
title = "t"
draws = 200

[intervention]
name = "n"
cohort = { all = 10 }
attrition = {attrition}

[[intervention.outcome]]
name = "o"
unit_cost = "SS1.2"
success = 0.5

[[intervention.cost]]
name = "c"
agency = "local_authority"
per_participant = [100]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(text)
    return path


def test_case_file_error_names_the_field(tmp_path):
    with pytest.raises(InputError) as error:
        read_case(write(tmp_path, MINIMAL.replace("{attrition}", "1.4")))
    assert str(error.value) == "case.toml: intervention.attrition: must be between 0 and 1, got 1.4"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('unit_cost = "SS1.2"', 'unit_cost = "NOPE"'), "intervention.outcome[0].unit_cost"),
        (("success = 0.5", "success = 1.5"), "intervention.outcome[0].success"),
        (('title = "t"', 'title = "t"\ndiscount = "odd"'), "case.discount"),
        (('name = "n"', 'name = "n"\natrition = 0.1'), "intervention.atrition"),
        (
            ("per_participant = [100]", "per_participant = [-1]"),
            "intervention.cost[0].per_participant[0]",
        ),
    ],
)
def test_case_file_errors_say_where(tmp_path, change, where):
    text = MINIMAL.replace("{attrition}", "0.2").replace(*change)
    with pytest.raises(InputError) as error:
        read_case(write(tmp_path, text))
    assert error.value.where == f"case.toml: {where}"


def test_before_after_evidence_needs_a_counterfactual_source(tmp_path):
    text = MINIMAL.replace("{attrition}", "0.2").replace(
        'name = "n"', 'name = "n"\nevidence_basis = "before_after"'
    )
    with pytest.raises(InputError, match="counterfactual_source"):
        read_case(write(tmp_path, text))


@pytest.mark.parametrize(
    "name", ["parenting-programme", "early-help-transformation", "frequent-attenders-mdt"]
)
def test_example_case_files_parse(name):
    assert read_case(EXAMPLES / f"{name}.toml").settings.title


def test_cli_appraise_writes_html_csv_json_and_xlsx(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "appraise",
            str(EXAMPLES / "parenting-programme.toml"),
            "--out",
            str(out),
            "--draws",
            "300",
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("report.html", "cashflows.csv", "appraisal.json", "appraisal.xlsx"):
        assert (out / name).stat().st_size > 0
    html = (out / "report.html").read_text()
    assert "<svg" in html and "Assumptions and sources" in html
    assert json.loads((out / "appraisal.json").read_text())["headline"]["sentence"]


def test_cli_appraise_runs_programme_and_portfolio(tmp_path):
    for name in ("early-help-transformation", "youth-portfolio"):
        result = CliRunner().invoke(
            app,
            [
                "appraise",
                str(EXAMPLES / f"{name}.toml"),
                "--out",
                str(tmp_path / name),
                "--draws",
                "300",
            ],
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name / "report.html").exists()


def test_appraise_refuses_a_case_file_that_is_not_utf8_naming_the_file_and_line(tmp_path):
    from tests.test_cli import refused_in_one_line

    case = tmp_path / "case.toml"
    case.write_bytes(
        MINIMAL.replace("{attrition}", "0.1").replace('"t"', '"caf\xe9"').encode("latin-1")
    )
    assert refused_in_one_line(["appraise", str(case)]) == (
        f"error: {case}: not UTF-8 text: byte 0xe9 on line 4; save the file as UTF-8"
    )


def test_appraise_refuses_a_folder_as_the_case_file(tmp_path):
    from tests.test_cli import refused_in_one_line

    assert refused_in_one_line(["appraise", str(tmp_path)]) == (
        f"error: {tmp_path}: is a folder; give a case file"
    )


def test_appraise_refuses_an_out_that_is_an_existing_file_and_leaves_it_alone(tmp_path):
    from tests.test_cli import refused_in_one_line

    out = tmp_path / "report.txt"
    out.write_text("mine")
    case = str(EXAMPLES / "parenting-programme.toml")
    assert refused_in_one_line(["appraise", case, "--out", str(out)]) == (
        f"error: {out}: is a file; give a folder for the report"
    )
    assert out.read_text() == "mine"


def test_appraise_refuses_an_out_that_cannot_be_made(tmp_path):
    from tests.test_cli import refused_in_one_line

    case = str(EXAMPLES / "parenting-programme.toml")
    assert refused_in_one_line(["appraise", case, "--out", "/proc/upstream-report"]) == (
        "error: /proc/upstream-report: cannot make the report here: no such file or directory"
    )


@pytest.mark.parametrize(
    ("option", "value", "line"),
    [
        ("--draws", "0", "error: --draws: must be from 1 to 1,000,000, got 0"),
        ("--draws", "-5", "error: --draws: must be from 1 to 1,000,000, got -5"),
        ("--draws", "1000001", "error: --draws: must be from 1 to 1,000,000, got 1,000,001"),
        (
            "--draws",
            "100000000000",
            "error: --draws: must be from 1 to 1,000,000, got 100,000,000,000",
        ),
        ("--seed", "-1", "error: --seed: must be from 0 to 2,147,483,648, got -1"),
    ],
)
def test_appraise_caps_draws_at_a_million_and_refuses_none_or_a_negative_seed(
    tmp_path, option, value, line
):
    from tests.test_cli import refused_in_one_line

    case = str(EXAMPLES / "parenting-programme.toml")
    out = str(tmp_path / "report")
    assert refused_in_one_line(["appraise", case, "--out", out, option, value]) == line


def test_a_case_file_draws_setting_has_the_same_cap_as_the_option(tmp_path):
    text = MINIMAL.replace("{attrition}", "0.1").replace("draws = 200", "draws = 1000001")
    with pytest.raises(InputError) as error:
        read_case(write(tmp_path, text))
    assert str(error.value) == (
        "case.toml: case.draws: must be between 1 and 1,000,000, got 1,000,001"
    )


def test_an_overrides_file_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "local.csv").write_bytes("code,value\nSS1.2,caf\xe9\n".encode("latin-1"))
    text = MINIMAL.replace("{attrition}", "0.1").replace(
        'title = "t"', 'title = "t"\noverrides_file = "local.csv"'
    )
    with pytest.raises(InputError) as error:
        read_case(write(tmp_path, text))
    assert str(error.value) == (
        f"{tmp_path / 'local.csv'}: not UTF-8 text: byte 0xe9 on line 2; save the file as UTF-8"
    )


def test_a_portfolio_that_names_itself_as_an_option_is_one_line_naming_the_field(tmp_path):
    from tests.test_cli import refused_in_one_line

    text = (EXAMPLES / "youth-portfolio.toml").read_text(encoding="utf-8")
    portfolio = tmp_path / "self.toml"
    portfolio.write_text(text.replace('case = "parenting-programme.toml"', 'case = "self.toml"'))
    assert refused_in_one_line(["appraise", str(portfolio), "--out", str(tmp_path / "out")]) == (
        "error: self.toml: portfolio.option[0].case: self.toml must be an intervention case file"
    )
