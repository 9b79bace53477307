from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.economics.factories import create_model, create_outcome
from upstream.economics.cba import (
    CHINN_LOGIT_CONSTANT,
    Adjustments,
    AgencyShare,
    agency_positions,
    evaluate,
    payback_year,
    success_from_effect_size,
    summarise,
    who_benefits_matrix,
)

pytestmark = pytest.mark.core


def test_number_changed_is_count_times_completion_times_success():
    flows = evaluate(create_model(count=100, attrition=0.2))
    assert flows.changed["care"][0] == pytest.approx(100 * 0.8 * 0.5)


def test_success_differs_by_age_group_and_groups_are_summed():
    outcome = replace(create_outcome(), success={"young": 0.5, "old": 0.1})
    model = replace(create_model(), cohort={"young": 10, "old": 20}, outcomes=(outcome,))
    assert evaluate(model).changed["care"][0] == pytest.approx(10 * 0.8 * 0.5 + 20 * 0.8 * 0.1)


@pytest.mark.parametrize(
    ("rounding", "expected"), [("none", 7.2), ("floor", 7.0), ("nearest", 7.0)]
)
def test_rounding_convention_applies_to_people_changed(rounding, expected):
    model = create_model(
        count=9, attrition=0.2, outcomes=(create_outcome(success=1.0),), rounding=rounding
    )
    assert evaluate(model).changed["care"][0] == pytest.approx(expected)


def test_benefit_is_people_changed_times_unit_cost_times_quantity():
    model = create_model(
        outcomes=(create_outcome(unit_cost=100.0, quantity=52),)
    )  # weekly cost × 52 weeks
    assert evaluate(model).fiscal[0, 0, 0] == pytest.approx(40 * 100 * 52)


def test_hand_computed_npv_and_cashable_share():
    s = summarise(evaluate(create_model()), "fiscal")
    assert s.pv_costs[0] == pytest.approx(10_000)
    assert s.npv["fiscal"][0] == pytest.approx(40_000 - 10_000)
    assert s.pv_cashable[0] == pytest.approx(20_000)
    assert s.bcr[0] == pytest.approx(4.0)


def test_benefits_are_split_by_the_agency_that_stops_paying():
    shares = (AgencyShare("council", 0.75, 1.0), AgencyShare("police", 0.25, 0.0))
    positions = agency_positions(
        evaluate(create_model(outcomes=(create_outcome(agencies=shares),)))
    )
    by_agency = {p.agency: p for p in positions}
    assert by_agency["council"].pv_fiscal == pytest.approx(30_000)
    assert by_agency["police"].pv_fiscal == pytest.approx(10_000)
    assert by_agency["police"].pv_costs == 0


def test_who_benefits_matrix_rows_are_payers_and_columns_sum_to_each_agencys_benefit():
    shares = (AgencyShare("council", 0.75), AgencyShare("police", 0.25))
    positions = agency_positions(
        evaluate(create_model(outcomes=(create_outcome(agencies=shares),)))
    )
    matrix = who_benefits_matrix(positions)
    assert matrix.sum(axis=0) == pytest.approx([30_000, 10_000])
    assert matrix[1].sum() == 0  # police pays nothing


def test_persistence_and_drop_off_spread_benefits_over_years():
    outcome = create_outcome(persistence_years=3, drop_off=0.5, start_lag=1)
    flows = evaluate(create_model(outcomes=(outcome,), horizon=5))
    assert flows.fiscal[0, 0] == pytest.approx([0, 40_000, 20_000, 10_000, 0])


def test_each_annual_intake_adds_its_own_cohort():
    flows = evaluate(create_model(intakes=(1.0, 1.0), horizon=3))
    assert flows.fiscal[0, 0] == pytest.approx([40_000, 40_000, 0])
    assert flows.costs[0, 0] == pytest.approx([10_000, 10_000, 0])


def test_additionality_reduces_benefits_multiplicatively():
    adj = Adjustments(deadweight=0.5, displacement=0.2, attribution=0.1)
    flows = evaluate(create_model(adjustments=adj))
    assert flows.fiscal[0, 0, 0] == pytest.approx(40_000 * 0.5 * 0.8 * 0.9)


def test_optimism_bias_raises_costs():
    assert evaluate(create_model(optimism_bias=0.41)).costs[0, 0, 0] == pytest.approx(14_100)


def test_discounting_uses_the_factor_of_each_year():
    model = create_model(outcomes=(create_outcome(start_lag=1),), factors=(1.0, 0.9662))
    assert summarise(evaluate(model), "fiscal").npv["fiscal"][0] == pytest.approx(
        40_000 * 0.9662 - 10_000
    )


def test_effect_size_converts_through_the_chinn_constant():
    success = success_from_effect_size(np.array([0.5]), np.array([0.4]))
    odds = 0.4 / 0.6 * np.exp(-0.5 * CHINN_LOGIT_CONSTANT)
    assert success[0] == pytest.approx(0.4 - odds / (1 + odds))
    assert pytest.approx(1.8138, abs=1e-4) == CHINN_LOGIT_CONSTANT


def test_payback_year_is_first_year_from_which_cumulative_net_stays_non_negative():
    assert payback_year(np.array([[-5.0, -2.0, 1.0, 3.0]]))[0] == 2
    assert payback_year(np.array([[-5.0, 1.0, -1.0, 3.0]]))[0] == 3
    assert np.isnan(payback_year(np.array([[-5.0, -4.0]]))[0])


def test_benefit_cost_ratio_is_withheld_when_costs_are_not_positive():
    s = summarise(evaluate(create_model(per_participant=0.0)), "fiscal")
    assert np.isnan(s.bcr[0])


def test_tiny_cost_denominator_is_flagged():
    s = summarise(evaluate(create_model(per_participant=0.5)), "fiscal")
    assert s.bcr_unstable[0] == 1.0


# --- properties ------------------------------------------------------------------------------

money = st.floats(min_value=1.0, max_value=1e6)


@settings(max_examples=40, deadline=None)
@given(cost=money, factor=st.floats(min_value=0.1, max_value=10.0))
def test_scaling_costs_scales_npv_linearly(cost, factor):
    def npv(values):
        return summarise(evaluate(create_model(per_participant=cost), values), "fiscal").npv[
            "fiscal"
        ][0]

    assert npv({"cost_multiplier": factor}) - npv({}) == pytest.approx(
        -(factor - 1) * cost * 100, rel=1e-9, abs=1e-6
    )


@settings(max_examples=40, deadline=None)
@given(count=st.floats(min_value=0, max_value=1e5), unit_cost=money)
def test_zero_effect_gives_zero_benefit(count, unit_cost):
    model = create_model(count=count, outcomes=(create_outcome(success=0.0, unit_cost=unit_cost),))
    assert evaluate(model).fiscal.sum() == 0


@settings(max_examples=40, deadline=None)
@given(r1=st.floats(min_value=0, max_value=0.2), extra=st.floats(min_value=0, max_value=0.2))
def test_more_discounting_never_raises_present_value_of_positive_flows(r1, extra):
    years = np.arange(10)
    low, high = (1 + r1) ** -years, (1 + r1 + extra) ** -years
    flows = np.abs(np.random.default_rng(0).normal(size=10))
    assert flows @ high <= flows @ low + 1e-12


@settings(max_examples=30, deadline=None)
@given(attrition=st.floats(min_value=0, max_value=1))
def test_more_attrition_never_raises_benefits(attrition):
    base = evaluate(create_model(attrition=attrition)).fiscal.sum()
    worse = evaluate(create_model(attrition=min(1.0, attrition + 0.1))).fiscal.sum()
    assert worse <= base + 1e-9
