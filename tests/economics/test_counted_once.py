"""Savings counted once: benefit areas of one business case that reduce the same spend, and
portfolio options that avoid the same costs for the same people."""

from pathlib import Path

import pytest

from upstream.economics.appraise import appraise
from upstream.economics.casefile import parse_case, read_case
from upstream.errors import InputError

pytestmark = pytest.mark.core

PROGRAMME = """
[case]
kind = "programme"
title = "Bundle"
horizon_years = 2
draws = 50

[programme]
name = "Bundle"
realisation = {realisation}

[[programme.workstream]]
name = "w"
agency = "local_authority"
costs = [10, 10]

[[programme.baseline]]
name = "Placements"
spend = [1000, 1000]
{combine}

[[programme.benefit]]
name = "Edge of care"
agency = "local_authority"
kind = "cashable"
baseline = "Placements"
benefits = [100, 100]

[[programme.benefit]]
name = "Family hubs"
agency = "local_authority"
kind = "cashable"
baseline = "Placements"
benefits = [200, {second}]
"""


def programme(realisation: float = 1.0, combine: str = "", second: int = 200):
    text = PROGRAMME.format(realisation=realisation, combine=combine, second=second)
    return appraise(parse_case(text))


def test_two_areas_reducing_the_same_spend_combine_as_one_minus_the_product():
    result = programme().programme.result
    # 1000 × (1 − (1 − 0.1)(1 − 0.2)) = 280 a year, not 300
    assert result.benefits == pytest.approx([280, 280])
    assert result.benefits_by_area["Edge of care"] == pytest.approx([280 / 3, 280 / 3])
    (once,) = result.counted_once
    assert (once.stated, once.counted) == pytest.approx((600, 560))


def test_the_largest_rule_counts_only_the_largest_area():
    result = programme(combine='combine = "largest"').programme.result
    assert result.benefits == pytest.approx([200, 200])


def test_realisation_applies_before_savings_are_combined():
    result = programme(realisation=0.5).programme.result
    assert result.benefits == pytest.approx([1000 * (1 - 0.95 * 0.9)] * 2)


def test_the_report_names_the_overlap():
    caveats = programme().caveats
    assert any("Edge of care and Family hubs all reduce Placements" in c for c in caveats)


def test_a_saving_larger_than_its_baseline_is_refused():
    with pytest.raises(InputError, match="more than the baseline") as error:
        parse_case(PROGRAMME.format(realisation=1, combine="", second=1200))
    assert error.value.where == "case.toml: programme.benefit[1].benefits[1]"


def test_a_benefit_naming_an_unknown_baseline_is_refused():
    text = PROGRAMME.format(realisation=1, combine="", second=200).replace(
        'baseline = "Placements"\nbenefits = [100', 'baseline = "Placement"\nbenefits = [100'
    )
    with pytest.raises(InputError, match="no baseline named 'Placement'"):
        parse_case(text)


# --- portfolio ---------------------------------------------------------------------------------

INTERVENTION = """
[case]
kind = "intervention"
title = "{name}"
perspective = "fiscal"
horizon_years = 1

[intervention]
name = "{name}"
cohort = {{ all = {count} }}
attrition = 0

[[intervention.outcome]]
name = "care"
unit_cost = 1000.0
unit_cost_source = "test"
start_lag = 0
success = {success}

[[intervention.cost]]
name = "c"
agency = "local_authority"
per_participant = [{cost}]
"""


def portfolio(folder: Path, overlap: str = "", b_cost: float = 1.0):
    (folder / "a.toml").write_text(INTERVENTION.format(name="A", count=100, success=0.5, cost=1))
    (folder / "b.toml").write_text(
        INTERVENTION.format(name="B", count=50, success=0.2, cost=b_cost)
    )
    text = (
        '[case]\nkind = "portfolio"\ntitle = "p"\n\n[portfolio]\nscenarios = 20\n\n'
        '[[portfolio.option]]\ncase = "a.toml"\n\n[[portfolio.option]]\ncase = "b.toml"\n' + overlap
    )
    (folder / "p.toml").write_text(text)
    return appraise(read_case(folder / "p.toml"))


def test_options_avoiding_the_same_cost_are_counted_once_for_the_people_they_share(tmp_path):
    result = portfolio(tmp_path).portfolio
    # B's 50 people are all in A: a = 0.5, b = 0.2, so 50 × 0.5 × 0.2 = 5 people counted
    # twice, at £1,000 each.
    assert len(result.selection.chosen) == 2
    assert result.selection.expected_npv == pytest.approx((50_000 - 100) + (10_000 - 50) - 5_000)
    (found,) = result.overlaps_found
    assert found.cases == ("a.toml", "b.toml") and not found.declared


@pytest.mark.parametrize(
    ("overlap", "expected_npv", "chosen"),
    [
        ("share = 0.5", 59_850 - 2_500, 2),  # half of B's people are in A
        ("share = 0", 59_850, 2),  # different people: nothing counted twice
        # Only the larger effect counts on the shared people: B's whole saving is already in
        # A's, so B (which costs £50) is left out.
        ('combine = "largest"', 50_000 - 100, 1),
    ],
)
def test_a_declared_overlap_says_how_many_people_and_how_they_combine(
    tmp_path, overlap, expected_npv, chosen
):
    declared = f'\n[[portfolio.overlap]]\noptions = ["a.toml", "b.toml"]\n{overlap}\n'
    result = portfolio(tmp_path, declared).portfolio
    assert result.selection.expected_npv == pytest.approx(expected_npv)
    assert len(result.selection.chosen) == chosen
    assert result.overlaps_found[0].declared


def test_an_option_whose_savings_are_all_counted_already_is_left_out(tmp_path):
    # B costs £150 a head (£7,500): alone it nets £2,500; beside A it adds only £5,000 of
    # benefits not already counted, less than it costs.
    result = portfolio(tmp_path, b_cost=150).portfolio
    assert [o.case for o in result.selection.chosen] == ["a.toml"]


def test_the_portfolio_report_names_the_overlaps(tmp_path):
    caveats = appraise(read_case(_written(tmp_path))).caveats
    assert any(
        "a.toml and b.toml change the same outcomes (Care, local:care)" in c for c in caveats
    )


def _written(folder: Path) -> Path:
    portfolio(folder)
    return folder / "p.toml"


@pytest.mark.parametrize(
    ("overlap", "message"),
    [
        ('options = ["a.toml"]', "two or more"),
        ('options = ["a.toml", "c.toml"]', "not a \\[\\[portfolio.option\\]\\] case"),
        ('options = ["a.toml", "b.toml"]\noutcomes = ["SS1.2"]', "not an avoided cost both"),
        ('options = ["a.toml", "b.toml"]\ncombine = "sum"', "must be one of"),
    ],
)
def test_a_bad_overlap_names_the_field(tmp_path, overlap, message):
    with pytest.raises(InputError, match=message):
        portfolio(tmp_path, f"\n[[portfolio.overlap]]\n{overlap}\n")
