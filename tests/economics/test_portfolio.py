import numpy as np
import pytest

from upstream.economics.portfolio import Constraints, Option, choose, frontier

pytestmark = pytest.mark.core


def option(
    name, npv, cost, *, agency="council", group="", intervention=None, spread=0.0, places=0.0
):
    draws = npv + spread * np.linspace(-1, 1, 50)
    return Option(
        name,
        intervention or name,
        1.0,
        npv,
        npv + cost,
        {agency: cost},
        draws,
        {"places": places},
        group,
    )


def test_portfolio_respects_the_total_budget():
    opts = [option("a", 100, 60), option("b", 90, 50), option("c", 80, 50)]
    sel = choose(opts, Constraints(total_budget=100))
    assert sel.cost <= 100
    assert {o.name for o in sel.chosen} == {"b", "c"}


def test_portfolio_respects_agency_budgets():
    opts = [option("a", 100, 60, agency="nhs"), option("b", 50, 50)]
    sel = choose(opts, Constraints(agency_budgets={"nhs": 10}))
    assert [o.name for o in sel.chosen] == ["b"]


def test_exclusive_options_are_never_chosen_together():
    opts = [option("a", 100, 10, group="g"), option("b", 90, 10, group="g"), option("c", 5, 10)]
    sel = choose(opts, Constraints())
    assert {o.name for o in sel.chosen} == {"a", "c"}


def test_only_one_scale_of_an_intervention_is_chosen():
    opts = [
        option("x small", 50, 10, intervention="x"),
        option("x large", 80, 30, intervention="x"),
    ]
    assert len(choose(opts, Constraints()).chosen) == 1


def test_capacity_limits_places():
    opts = [option("a", 100, 10, places=300), option("b", 90, 10, places=300)]
    assert len(choose(opts, Constraints(capacity={"places": 400})).chosen) == 1


def test_risk_floor_trades_expected_npv_for_a_safer_tail():
    opts = [option("risky", 100, 10, spread=400, group="g"), option("safe", 60, 10, group="g")]
    assert choose(opts, Constraints()).chosen[0].name == "risky"
    assert choose(opts, Constraints(risk_floor=0.0)).chosen[0].name == "safe"


def test_frontier_runs_from_best_return_to_safest():
    opts = [option("risky", 100, 10, spread=400, group="g"), option("safe", 60, 10, group="g")]
    points = frontier(opts, Constraints(), points=4)
    assert points[0].selection.expected_npv >= points[-1].selection.expected_npv
    assert points[-1].selection.cvar >= points[0].selection.cvar
