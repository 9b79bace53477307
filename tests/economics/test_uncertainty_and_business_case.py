import numpy as np
import pytest

from tests.economics.factories import create_model
from upstream.economics.appraise import intervention_headline
from upstream.economics.business_case import (
    BenefitArea,
    BusinessCase,
    CounterfactualMissingError,
    Workstream,
    appraise_business_case,
    require_counterfactual,
)
from upstream.economics.montecarlo import Uncertain, sample, simulate, switching_value, tornado

pytestmark = pytest.mark.core

UNCERTAIN = {
    "attrition": Uncertain(0.1, 0.2, 0.5, "pert"),
    "outcomes.care.unit_cost": Uncertain(500, 1000, 2000, "lognormal"),
}


def test_monte_carlo_is_reproducible_for_a_seed():
    headline = intervention_headline(create_model(), "fiscal")
    a = simulate(headline, UNCERTAIN, draws=500, seed=42, payback_within=1)
    b = simulate(headline, UNCERTAIN, draws=500, seed=42, payback_within=1)
    assert np.array_equal(a.npv, b.npv)
    assert not np.array_equal(
        a.npv, simulate(headline, UNCERTAIN, draws=500, seed=43, payback_within=1).npv
    )


def test_monte_carlo_probabilities_are_shares_of_draws():
    mc = simulate(
        intervention_headline(create_model(), "fiscal"),
        UNCERTAIN,
        draws=1000,
        seed=1,
        payback_within=0,
    )
    assert mc.p_npv_positive == pytest.approx(np.mean(mc.npv > 0))
    assert 0 <= mc.p_fiscal_roi_at_least_1 <= 1
    assert mc.percentiles()[5] <= mc.percentiles()[50] <= mc.percentiles()[95]


@pytest.mark.parametrize("distribution", ["triangular", "pert", "lognormal", "uniform"])
def test_draws_stay_near_their_range(distribution):
    draws = sample(Uncertain(1.0, 2.0, 4.0, distribution), 20_000, np.random.default_rng(0))
    inside = np.mean((draws >= 1.0) & (draws <= 4.0))
    assert inside >= (0.89 if distribution == "lognormal" else 1.0)


def test_tornado_puts_the_widest_swing_first():
    bars = tornado(intervention_headline(create_model(), "fiscal"), UNCERTAIN)
    assert bars[0].swing >= bars[1].swing


def test_switching_value_is_where_npv_is_zero():
    headline = intervention_headline(create_model(), "fiscal")
    # NPV = 100 × 0.8 × 0.5 × c − 10,000 = 0  at c = 250
    value = switching_value(
        headline, "outcomes.care.unit_cost", UNCERTAIN["outcomes.care.unit_cost"]
    )
    assert value == pytest.approx(250)


def _case(**area) -> BusinessCase:
    benefit = BenefitArea(
        **{
            "name": "care",
            "agency": "council",
            "kind": "cashable",
            "benefits": (0, 60, 60, 60),
            **area,
        }
    )
    return BusinessCase(
        "t", (Workstream("hubs", "council", (100, 20, 20, 20)),), (benefit,), (1.0,) * 4
    )


def test_business_case_trough_and_payback_year():
    r = appraise_business_case(_case())
    assert list(r.cumulative_net) == [-100, -60, -20, 20]
    assert r.trough == (0, -100)
    assert r.payback_year == 3
    assert r.annual_benefit_ratio[1] == pytest.approx(3.0)


def test_business_case_splits_cashable_from_cost_avoidance_and_by_agency():
    r = appraise_business_case(_case(kind="cost_avoidance", agency="nhs"))
    assert r.cashable.sum() == 0 and r.cost_avoidance.sum() == 180
    assert list(r.agency_net["nhs"]) == [0, 60, 60, 60]


def test_before_after_change_is_not_a_saving_without_a_counterfactual():
    with pytest.raises(CounterfactualMissingError, match="counterfactual_source"):
        appraise_business_case(_case(basis="before_after"))
    appraise_business_case(_case(basis="before_after", counterfactual_source="trend projection"))


def test_counterfactual_guard_names_the_field():
    with pytest.raises(CounterfactualMissingError) as error:
        require_counterfactual("before_after", "", "programme.benefit[2]")
    assert error.value.where == "programme.benefit[2].counterfactual_source"
