"""Regression tests for the five correctness bugs of issue 19 (each failed before its fix)."""

from pathlib import Path

import numpy as np
import pytest

from tests.economics.factories import create_model, create_outcome
from upstream.economics import packs
from upstream.economics.appraise import appraise
from upstream.economics.casefile import read_case
from upstream.economics.cba import evaluate
from upstream.economics.discounting import discount_factors
from upstream.economics.montecarlo import Uncertain, draw_values, sample

pytestmark = pytest.mark.core

PROGRAMME = """
[case]
kind = "programme"
title = "t"
horizon_years = 4
draws = 2000
seed = 1

[programme]
name = "p"
realisation = {realisation}
cost_multiplier = {cost_multiplier}

[[programme.workstream]]
name = "w"
agency = "local_authority"
costs = [100, 100, 100, 100]

[[programme.benefit]]
name = "b"
agency = "local_authority"
kind = "cashable"
benefits = [0, 200, 200, 200]
"""

INTERVENTION = """
[case]
kind = "intervention"
title = "t"
perspective = "fiscal"
horizon_years = 3
draws = 4000
seed = 5

[intervention]
name = "{name}"
cohort = {cohort}
attrition = 0.2

[[intervention.outcome]]
name = "o"
unit_cost = "{unit_cost}"
success = {success}
start_lag = 0

[[intervention.cost]]
name = "c"
agency = "local_authority"
per_participant = [{cost}]
"""


def write(folder: Path, text: str, name: str = "case.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def intervention(**fields: str) -> str:
    defaults = {
        "name": "n",
        "cohort": "{ all = 100 }",
        "unit_cost": "SS1.2",
        "success": "{ low = 0.05, central = 0.1, high = 0.15 }",
        "cost": "2000",
    }
    return INTERVENTION.format(**{**defaults, **fields})


# 1. A programme's realisation and cost multiplier count in the central case and the scenarios.


def test_a_plain_realisation_and_cost_multiplier_change_the_central_npv(tmp_path):
    case = read_case(write(tmp_path, PROGRAMME.format(realisation=0.5, cost_multiplier=1.2)))
    factors = discount_factors(packs.discount_schedules()["standard"], 4)
    benefits, costs = np.array([0, 200, 200, 200]), np.array([100] * 4)
    expected = float((0.5 * benefits - 1.2 * costs) @ factors)
    assert appraise(case).programme.result.npv == pytest.approx(expected)


def test_the_medium_scenario_is_the_central_case_and_lies_between_low_and_high(tmp_path):
    realisation = "{ low = 0.5, central = 0.6, high = 0.7 }"
    case = read_case(write(tmp_path, PROGRAMME.format(realisation=realisation, cost_multiplier=1)))
    result = appraise(case).programme
    low, medium, high = result.uncertainty.scenarios
    assert low.npv <= medium.npv <= high.npv
    assert medium.npv == pytest.approx(result.result.npv)
    mc = result.uncertainty.monte_carlo
    assert mc.percentiles()[5] <= result.result.npv <= mc.percentiles()[95]


# 2. Rounding to the nearest person is half up for the decimals people type.


@pytest.mark.parametrize(
    ("count", "attrition", "success", "rounding", "expected"),
    [
        (25, 0.0, 0.58, "nearest", 15),  # 25 × 0.58 = 14.5 (14.499999999999998 in binary)
        (10, 0.8, 0.75, "nearest", 2),  # 10 × (1 − 0.8) × 0.75 = 1.5
        (10, 0.7, 1.0, "floor", 3),  # 10 × (1 − 0.7) = 3 (2.9999999999999996)
    ],
)
def test_rounding_is_exact_for_typed_decimals(count, attrition, success, rounding, expected):
    model = create_model(
        count=count,
        attrition=attrition,
        outcomes=(create_outcome(success=success),),
        rounding=rounding,
    )
    assert evaluate(model).changed["care"][0] == expected


# 3. One range used by several age groups is one uncertain quantity.


def test_splitting_a_cohort_into_age_groups_does_not_narrow_the_npv_distribution(tmp_path):
    whole = read_case(write(tmp_path, intervention(cohort="{ all = 100 }"), "whole.toml"))
    split = read_case(
        write(tmp_path, intervention(cohort='{ "3-5" = 50, "6-8" = 50 }'), "split.toml")
    )
    mc_whole = appraise(whole).intervention.uncertainty.monte_carlo
    mc_split = appraise(split).intervention.uncertainty.monte_carlo
    assert mc_split.p_npv_positive == mc_whole.p_npv_positive
    assert np.allclose(mc_split.npv, mc_whole.npv)


# 4. Shares stay in [0, 1]; the lognormal uses the central value.


def test_a_lognormal_range_on_a_share_never_leaves_zero_to_one(tmp_path):
    success = '{ low = 0.5, central = 0.7, high = 0.95, distribution = "lognormal" }'
    case = read_case(write(tmp_path, intervention(success=success)))
    draws = draw_values(case.uncertain, 20_000, 3)
    for values in draws.values():
        assert values.min() >= 0.0 and values.max() <= 1.0


def test_a_lognormal_has_its_median_at_the_central_value():
    draws = sample(Uncertain(1.0, 2.0, 8.0, "lognormal"), 100_000, np.random.default_rng(0))
    assert np.median(draws) == pytest.approx(2.0, rel=0.02)
    assert np.percentile(draws, [5, 95]) == pytest.approx([1.0, 8.0], rel=0.03)


# 5. A portfolio keys options by case, not by intervention name.


def test_a_portfolio_funds_both_of_two_cases_that_share_an_intervention_name(tmp_path):
    write(
        tmp_path, intervention(name="Family support", unit_cost="SS1.2", cost="500"), "north.toml"
    )
    write(
        tmp_path, intervention(name="Family support", unit_cost="E&S2.0", cost="500"), "south.toml"
    )
    portfolio = write(
        tmp_path,
        '[case]\nkind = "portfolio"\ntitle = "p"\n\n[portfolio]\nscenarios = 50\n\n'
        '[[portfolio.option]]\ncase = "north.toml"\n\n[[portfolio.option]]\ncase = "south.toml"\n',
        "portfolio.toml",
    )
    result = appraise(read_case(portfolio)).portfolio
    assert all(o.npv > 0 for o in result.options)
    assert len(result.selection.chosen) == 2


# 1 (in general). Every example's central case is every range at its central value.

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def headline_of(case):
    from upstream.economics.appraise import intervention_headline
    from upstream.economics.business_case import business_case_headline

    if case.programme is not None:
        return business_case_headline(case.programme)
    return intervention_headline(case.intervention, case.settings.perspective)


@pytest.mark.parametrize(
    "name", ["parenting-programme", "frequent-attenders-mdt", "early-help-transformation"]
)
def test_the_central_case_is_every_range_at_its_central_value(name):
    case = read_case(EXAMPLES / f"{name}.toml")
    centrals = {path: u.central for path, u in case.uncertain.items()}
    headline = headline_of(case)
    assert headline({}).npv[0] == pytest.approx(headline(centrals).npv[0])
