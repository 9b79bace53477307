"""Uncertainty: distributions, Monte Carlo, scenarios, tornado and switching values.

Works with any model exposed as `HeadlineFn`: a function from parameter values (scalars or arrays
of draws) to a `Headline` of arrays. Draws come from a seeded `numpy.random.Generator`, taken in
sorted order of parameter path, so a seed reproduces a run exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from upstream.economics.discounting import FloatArray
from upstream.errors import InputError

DISTRIBUTIONS = ("triangular", "pert", "lognormal", "uniform")
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
# Lognormal inputs are fitted so `low`, `central` and `high` are the 5th, 50th and 95th
# percentiles: a two-piece lognormal, with its own spread below and above the median.
LOGNORMAL_Z = float(stats.norm.ppf(0.95))
# PERT uses the conventional shape weight λ = 4 (Vose, Risk Analysis, 3rd ed. 2008, §9.1).
PERT_LAMBDA = 4.0


@dataclass(frozen=True)
class Uncertain:
    """One uncertain quantity: a range and how to draw from it.

    `floor` and `ceiling` are the limits of the field it fills (0 and 1 for a share): no draw
    falls outside them. How each distribution reads low/central/high is in docs/economics.md.
    """

    low: float
    central: float
    high: float
    distribution: str = "triangular"
    floor: float | None = None
    ceiling: float | None = None

    @property
    def is_share(self) -> bool:
        return self.floor == 0 and self.ceiling is not None and self.ceiling <= 1

    def check(self, where: str) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise InputError(
                f"distribution must be one of {', '.join(DISTRIBUTIONS)}, got {self.distribution!r}",
                where=where,
            )
        if not self.low <= self.central <= self.high:
            raise InputError(
                f"need low ≤ central ≤ high, got {self.low:g}, {self.central:g}, {self.high:g}",
                where=where,
            )
        if self.distribution == "lognormal" and self.low <= 0:
            raise InputError("lognormal needs low > 0", where=where)
        if self.distribution == "lognormal" and self.is_share and self.high >= 1:
            raise InputError(
                "a lognormal share is drawn on its odds p/(1 − p), so it needs high < 1; "
                "use pert or triangular for a range that reaches 1",
                where=where,
            )


def _two_piece(z: FloatArray, low: float, central: float, high: float) -> FloatArray:
    """central + spread, scaled so z = ∓1.645 lands on low and high (log scale given)."""
    below, above = (central - low) / LOGNORMAL_Z, (high - central) / LOGNORMAL_Z
    return np.asarray(central + z * np.where(z < 0, below, above), dtype=np.float64)


def _lognormal(u: Uncertain, z: FloatArray) -> FloatArray:
    """Two-piece lognormal with percentiles 5/50/95 at low/central/high; on the odds for a share."""
    if u.is_share:
        logit = [math.log(x / (1 - x)) for x in (u.low, u.central, u.high)]
        return np.asarray(1 / (1 + np.exp(-_two_piece(z, *logit))), dtype=np.float64)
    logs = [math.log(x) for x in (u.low, u.central, u.high)]
    return np.asarray(np.exp(_two_piece(z, *logs)), dtype=np.float64)


def sample(u: Uncertain, n: int, rng: np.random.Generator) -> FloatArray:
    if u.high == u.low:
        return np.full(n, u.central)
    if u.distribution == "triangular":
        draws = rng.triangular(u.low, u.central, u.high, n)
    elif u.distribution == "uniform":
        draws = rng.uniform(u.low, u.high, n)
    elif u.distribution == "pert":
        span = u.high - u.low
        alpha = 1 + PERT_LAMBDA * (u.central - u.low) / span
        beta = 1 + PERT_LAMBDA * (u.high - u.central) / span
        draws = u.low + span * rng.beta(alpha, beta, n)
    else:
        draws = _lognormal(u, rng.standard_normal(n))
    # Only a lognormal can stray beyond low/high; no draw may leave the field's own limits.
    lower = -np.inf if u.floor is None else u.floor
    upper = np.inf if u.ceiling is None else u.ceiling
    return np.asarray(np.clip(draws, lower, upper), dtype=np.float64)


def draw_values(uncertain: Mapping[str, Uncertain], draws: int, seed: int) -> dict[str, FloatArray]:
    rng = np.random.default_rng(seed)
    return {path: sample(uncertain[path], draws, rng) for path in sorted(uncertain)}


@dataclass(frozen=True, eq=False)
class Headline:
    npv: FloatArray
    fiscal_roi: FloatArray
    payback_year: FloatArray


HeadlineFn = Callable[[Mapping[str, float | FloatArray]], Headline]


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    draws: int
    seed: int
    npv: FloatArray
    fiscal_roi: FloatArray
    payback_year: FloatArray
    payback_within: int

    @property
    def p_npv_positive(self) -> float:
        return float(np.mean(self.npv > 0))

    @property
    def p_fiscal_roi_at_least_1(self) -> float:
        return float(np.mean(np.nan_to_num(self.fiscal_roi, nan=-np.inf) >= 1))

    @property
    def p_payback_within(self) -> float:
        return float(np.mean(np.nan_to_num(self.payback_year, nan=np.inf) <= self.payback_within))

    def percentiles(self) -> dict[int, float]:
        values = np.percentile(self.npv, PERCENTILES)
        return {p: float(v) for p, v in zip(PERCENTILES, values, strict=True)}

    @property
    def mean_npv(self) -> float:
        return float(np.mean(self.npv))


def simulate(
    headline: HeadlineFn,
    uncertain: Mapping[str, Uncertain],
    *,
    draws: int,
    seed: int,
    payback_within: int,
) -> MonteCarloResult:
    if draws < 1:
        raise InputError(f"must be at least 1, got {draws}", where="draws")
    result = headline(draw_values(uncertain, draws, seed))
    npv = np.broadcast_to(result.npv, (draws,))
    roi = np.broadcast_to(result.fiscal_roi, (draws,))
    payback = np.broadcast_to(result.payback_year, (draws,))
    return MonteCarloResult(draws, seed, npv, roi, payback, payback_within)


def _npv_at(headline: HeadlineFn, path: str, value: float) -> float:
    return float(headline({path: value}).npv[0])


@dataclass(frozen=True)
class TornadoBar:
    path: str
    low_value: float
    high_value: float
    npv_at_low: float
    npv_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_at_high - self.npv_at_low)


def tornado(headline: HeadlineFn, uncertain: Mapping[str, Uncertain]) -> list[TornadoBar]:
    """NPV with each input at its low and high value, others central; widest swing first."""
    bars = [
        TornadoBar(
            path, u.low, u.high, _npv_at(headline, path, u.low), _npv_at(headline, path, u.high)
        )
        for path, u in uncertain.items()
    ]
    return sorted(bars, key=lambda b: b.swing, reverse=True)


SHARE_SUFFIXES = (
    "attrition",
    "deadweight",
    "displacement",
    "attribution",
    "base_rate",
    "drop_off",
)


def plausible_range(path: str, u: Uncertain) -> tuple[float, float]:
    """Where to look for a switching value: within the field's limits (shares in [0, 1]), and
    other inputs within [0, 100×] their range."""
    leaf = path.rsplit(".", 1)[-1]
    if u.is_share or leaf in SHARE_SUFFIXES or ".success" in path:
        return 0.0, 1.0 if u.ceiling is None else u.ceiling
    if leaf == "effect_size":
        return -3.0, 3.0
    lo = min(0.0, u.low) if u.floor is None else max(u.floor, min(0.0, u.low))
    hi = 100 * max(abs(u.high), abs(u.central), 1.0)
    return lo, hi if u.ceiling is None else min(hi, u.ceiling)


def switching_value(headline: HeadlineFn, path: str, u: Uncertain) -> float | None:
    """The value of one input at which NPV is zero (others central), or None if none in range."""
    lo, hi = plausible_range(path, u)
    f_lo, f_hi = _npv_at(headline, path, lo), _npv_at(headline, path, hi)
    if f_lo == 0:
        return lo
    if np.sign(f_lo) == np.sign(f_hi):
        return None
    return float(optimize.brentq(lambda x: _npv_at(headline, path, x), lo, hi, xtol=1e-9))


@dataclass(frozen=True)
class Scenario:
    name: str
    values: Mapping[str, float]
    npv: float
    fiscal_roi: float
    payback_year: float


def scenarios(headline: HeadlineFn, bars: list[TornadoBar]) -> list[Scenario]:
    """Low = every uncertain input at its worse end for NPV; high = its better end; medium = central."""
    worse = {b.path: b.low_value if b.npv_at_low <= b.npv_at_high else b.high_value for b in bars}
    better = {b.path: b.high_value if b.npv_at_low <= b.npv_at_high else b.low_value for b in bars}
    out = []
    for name, values in (("low", worse), ("medium", {}), ("high", better)):
        h = headline(values)
        out.append(
            Scenario(
                name, values, float(h.npv[0]), float(h.fiscal_roi[0]), float(h.payback_year[0])
            )
        )
    return out
