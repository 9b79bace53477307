"""Reports read like the board paper: labels, not keys; pounds, shares and years, not 6.0000;
financial years; both the discounted and the undiscounted view; cumulative ROI."""

import csv
import dataclasses
import json
import re
from pathlib import Path

import pytest

from upstream.economics import labels
from upstream.economics.appraise import appraise
from upstream.economics.casefile import read_case
from upstream.economics.report import write_all
from upstream.economics.report.write import cell

pytestmark = pytest.mark.core

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name in ("parenting-programme", "early-help-transformation"):
        case = read_case(EXAMPLES / f"{name}.toml")
        case.settings = dataclasses.replace(case.settings, draws=300)
        folder = tmp_path_factory.mktemp(name)
        write_all(appraise(case), folder)
        out[name] = folder
    return out


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("outcomes.entry_to_care_avoided.success.3-5", "Entry to care avoided — success, ages 3–5"),
        ("outcomes.permanent_exclusion_avoided.success", "Permanent exclusion avoided — success"),
        ("outcomes.ae_attendances_avoided.unit_cost", "A&E attendances avoided — unit cost"),
        ("outcomes.admissions.baseline.18+", "Admissions — people at risk, ages 18+"),
        ("realisation", "Benefits realised (share of planned)"),
    ],
)
def test_inputs_are_labelled_in_words(path, label):
    assert labels.parameter(path) == label


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (6.0, "year", "year 6 (2031/32)"),
        (float("nan"), "year", "not within the horizon"),
        (-1234.5, "money", "−£1,234"),
        (0.4567, "share", "46%"),
        (1.7912, "ratio", "1.79"),
        (7.2, "count", "7.2"),
        (12.0, "count", "12"),
    ],
)
def test_cells_are_written_as_a_reader_expects(value, kind, shown):
    fy = labels.year_labels("2025/26", 10)
    assert cell(value, kind, fy) == shown


def test_year_labels_follow_year_zero():
    assert labels.year_labels("2025/26", 3) == ("2025/26", "2026/27", "2027/28")
    assert labels.year_labels("2030", 2) == ("2030", "2031")


def test_the_html_report_shows_labels_not_internal_keys(reports):
    html = (reports["parenting-programme"] / "report.html").read_text(encoding="utf-8")
    assert "Entry to care avoided — success, ages 3–5" in html
    assert "outcomes.entry_to_care_avoided" not in html
    assert "2025/26" in html
    assert "6.0000" not in html and not re.search(r"\bnan\b", html)


def test_the_headline_gives_payback_as_a_year_and_both_discounted_and_undiscounted_views(reports):
    figures = json.loads((reports["parenting-programme"] / "appraisal.json").read_text())[
        "headline"
    ]["figures"]
    assert figures["Payback (discounted)"].startswith("year ")
    assert "Net benefit, undiscounted (real terms)" in figures
    assert "Median NPV (Monte Carlo)" in figures


def test_a_business_case_has_a_cumulative_roi_column_and_financial_years(reports):
    with (reports["early-help-transformation"] / "cashflows.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["financial_year"] == "2025/26"
    last = rows[-1]
    assert float(last["cumulative_roi"]) == pytest.approx(
        sum(float(r["benefits"]) for r in rows) / sum(float(r["costs"]) for r in rows)
    )
    assert {"cumulative_net", "cumulative_discounted_net"} <= set(last)
    with (reports["early-help-transformation"] / "workstreams.csv").open(
        encoding="utf-8"
    ) as handle:
        assert next(csv.reader(handle))[1:3] == ["2025/26", "2026/27"]
