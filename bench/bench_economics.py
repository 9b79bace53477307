"""Benchmark: 10,000 Monte Carlo draws × 50 programmes × 30 years.

Times the vectorised engine (`cba.evaluate` over all draws at once) against a straightforward
per-draw Python loop computing the same NPVs, in the same run, and checks they agree. The loop
runs on a subsample of draws and its time is scaled up to all draws (it says so).

    python bench/bench_economics.py
"""

from __future__ import annotations

import time

import numpy as np

from upstream.economics import packs
from upstream.economics.cba import (
    AgencyShare,
    CostLine,
    InterventionModel,
    Outcome,
    evaluate,
    summarise,
)
from upstream.economics.discounting import discount_factors
from upstream.economics.montecarlo import Uncertain, draw_values

DRAWS, PROGRAMMES, YEARS, LOOP_DRAWS = 10_000, 50, 30, 200


def programme(i: int) -> tuple[InterventionModel, dict[str, Uncertain]]:
    factors = tuple(
        float(x) for x in discount_factors(packs.discount_schedules()["standard"], YEARS)
    )
    outcomes = tuple(
        Outcome(
            name=f"o{k}",
            unit_cost=1000.0 * (k + 1 + i % 5),
            agencies=(AgencyShare("council", 0.7, 0.5), AgencyShare("nhs", 0.3)),
            success={"young": 0.1 + 0.01 * k, "old": 0.05},
            persistence_years=5 + k,
            drop_off=0.1,
            start_lag=1,
        )
        for k in range(3)
    )
    model = InterventionModel(
        name=f"p{i}", cohort={"young": 50.0 + i, "old": 30.0}, attrition=0.2, outcomes=outcomes,
        costs=(CostLine("delivery", "council", per_participant=(1500.0, 500.0), fixed=(20_000.0,)),),
        discount_factors=factors, intakes=(1.0, 1.0, 1.0),
    )  # fmt: skip
    uncertain = {
        "attrition": Uncertain(0.1, 0.2, 0.4, "pert"),
        "optimism_bias": Uncertain(0.0, 0.1, 0.3),
    }
    for o in outcomes:
        uncertain[f"outcomes.{o.name}.success.young"] = Uncertain(0.05, o.success["young"], 0.3)
        uncertain[f"outcomes.{o.name}.unit_cost"] = Uncertain(
            0.5 * o.unit_cost, o.unit_cost, 2 * o.unit_cost, "lognormal"
        )
        uncertain[f"outcomes.{o.name}.drop_off"] = Uncertain(0.0, 0.1, 0.3)
    return model, uncertain


def vectorised_npv(model: InterventionModel, values: dict[str, np.ndarray]) -> np.ndarray:
    return summarise(evaluate(model, values), "fiscal").npv["fiscal"]


def loop_npv(model: InterventionModel, v: dict[str, float]) -> float:
    """The same method, one draw at a time, in plain Python."""
    get = lambda path, default: v.get(path, default)  # noqa: E731
    completion = 1 - get("attrition", model.attrition)
    benefits = [0.0] * YEARS
    for o in model.outcomes:
        changed = 0.0
        for group, count in model.cohort.items():
            changed += (
                count
                * completion
                * get(f"outcomes.{o.name}.success.{group}", o.success.get(group, 0.0))
            )
        unit_cost = get(f"outcomes.{o.name}.unit_cost", o.unit_cost)
        drop = get(f"outcomes.{o.name}.drop_off", o.drop_off)
        for start, size in enumerate(model.intakes):
            for k in range(o.persistence_years):
                year = start + o.start_lag + k
                if year < YEARS:
                    benefits[year] += size * changed * o.quantity * unit_cost * (1 - drop) ** k
    costs = [0.0] * YEARS
    starters = sum(model.cohort.values())
    uplift = 1 + get("optimism_bias", model.optimism_bias)
    for line in model.costs:
        for start, size in enumerate(model.intakes):
            for k, c in enumerate(line.per_participant):
                if start + k < YEARS:
                    costs[start + k] += uplift * size * starters * c
        for year, c in enumerate(line.fixed):
            costs[year] += uplift * c
    return sum((b - c) * f for b, c, f in zip(benefits, costs, model.discount_factors, strict=True))


def main() -> None:
    programmes = [programme(i) for i in range(PROGRAMMES)]
    draws = [draw_values(u, DRAWS, seed=i) for i, (_, u) in enumerate(programmes)]

    start = time.perf_counter()
    npv_vec = [vectorised_npv(m, d) for (m, _), d in zip(programmes, draws, strict=True)]
    t_vec = time.perf_counter() - start

    start = time.perf_counter()
    npv_loop = [
        [loop_npv(m, {k: float(a[j]) for k, a in d.items()}) for j in range(LOOP_DRAWS)]
        for (m, _), d in zip(programmes, draws, strict=True)
    ]
    t_loop_sample = time.perf_counter() - start
    t_loop = t_loop_sample * DRAWS / LOOP_DRAWS

    worst = max(
        float(np.max(np.abs(v[:LOOP_DRAWS] - np.array(lp)) / np.maximum(1.0, np.abs(lp))))
        for v, lp in zip(npv_vec, npv_loop, strict=True)
    )
    agree = worst < 1e-9
    print(f"Monte Carlo benchmark: {DRAWS:,} draws × {PROGRAMMES} programmes × {YEARS} years")
    print(f"{'engine':<38}{'seconds':>10}")
    print(f"{'vectorised numpy (all draws)':<38}{t_vec:>10.3f}")
    print(f"{f'per-draw Python loop ({LOOP_DRAWS} draws, measured)':<38}{t_loop_sample:>10.3f}")
    print(f"{f'per-draw Python loop (scaled to {DRAWS:,})':<38}{t_loop:>10.3f}")
    print(
        f"ratio (loop ÷ vectorised): {t_loop / t_vec:,.0f}×   goal ≤ 2 s: {'met' if t_vec <= 2 else 'MISSED'}"
    )
    print(
        f"agreement on the {LOOP_DRAWS} shared draws: max relative difference {worst:.2e} ({'agree' if agree else 'DISAGREE'})"
    )
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
