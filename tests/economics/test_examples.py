"""The shipped examples: each headline (the central case) agrees with its Monte Carlo median
within the spread one would expect, so no example relies on an input the central case ignores."""

from pathlib import Path

import numpy as np
import pytest

from upstream.economics.appraise import appraise, scaled
from upstream.economics.casefile import read_case
from upstream.economics.cba import evaluate, summarise

pytestmark = pytest.mark.core

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
CASES = sorted(p.stem for p in EXAMPLES.glob("*.toml"))


def agrees(central: float, draws: np.ndarray) -> bool:
    """The central case sits in the middle half of the draws, and within a quarter of the
    90% range of the median. (A skewed range moves the median off the mode, but not by more.)"""
    p5, p25, p50, p75, p95 = np.percentile(draws, [5, 25, 50, 75, 95])
    return bool(p25 <= central <= p75 and abs(central - p50) <= 0.25 * (p95 - p5))


def headline_and_draws(name: str) -> list[tuple[str, float, np.ndarray]]:
    case = read_case(EXAMPLES / f"{name}.toml")
    result = appraise(case)
    if result.intervention:
        perspective = case.settings.perspective
        central = float(result.intervention.summary.npv[perspective][0])
        return [(name, central, result.intervention.uncertainty.monte_carlo.npv)]
    if result.programme:
        return [(name, result.programme.result.npv, result.programme.uncertainty.monte_carlo.npv)]
    out = []
    specs = {spec.name: spec for spec in case.options}
    for option in result.portfolio.options:
        sub = specs[option.case].case
        model = scaled(sub.intervention, option.scale)
        persp = sub.settings.perspective
        central = float(summarise(evaluate(model), persp).npv[persp][0])
        out.append((option.name, central, option.npv_draws))
    return out


@pytest.mark.parametrize("name", CASES)
def test_an_examples_headline_agrees_with_its_monte_carlo_median(name):
    for what, central, draws in headline_and_draws(name):
        assert agrees(central, draws), (
            f"{what}: central NPV {central:,.0f}, median {np.median(draws):,.0f}, "
            f"5th-95th {np.percentile(draws, 5):,.0f} to {np.percentile(draws, 95):,.0f}"
        )
