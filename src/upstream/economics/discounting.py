"""Green Book discounting, optimism bias and price uprating (pure functions).

Discount factors follow HM Treasury Green Book (2026) Annex A6: year 0 is undiscounted and the
factor for year t is the product over years 1..t of 1 / (1 + r), where r is the rate of the band
that year falls in. So the factor is cumulative across bands: year 31 is the year-30 factor
divided by 1.030, not 1 / 1.030**31.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.errors import InputError

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RateBand:
    year_from: int
    year_to: int
    rate: float


@dataclass(frozen=True)
class DiscountSchedule:
    """A named schedule of discount rates by year band, with its source."""

    name: str
    bands: tuple[RateBand, ...]
    source: str = ""

    def rate_for_year(self, year: int) -> float:
        for band in self.bands:
            if band.year_from <= year <= band.year_to:
                return band.rate
        raise InputError(f"no discount rate for year {year}", where=f"schedule {self.name}")


def constant_schedule(rate: float, name: str = "constant") -> DiscountSchedule:
    return DiscountSchedule(name, (RateBand(0, 10_000, rate),), f"constant {rate:.2%}")


def annual_rates(schedule: DiscountSchedule, horizon: int) -> FloatArray:
    """The rate applying in each year 0..horizon-1 (year 0's rate is never used)."""
    return np.array([schedule.rate_for_year(t) for t in range(horizon)], dtype=np.float64)


def discount_factors(schedule: DiscountSchedule, horizon: int) -> FloatArray:
    """Cumulative discount factors for years 0..horizon-1; year 0 is 1."""
    growth = 1.0 + annual_rates(schedule, horizon)
    growth[0] = 1.0
    return np.asarray(1.0 / np.cumprod(growth), dtype=np.float64)


def present_value(flows: FloatArray, factors: FloatArray) -> FloatArray:
    """Present value along the last (year) axis."""
    horizon = flows.shape[-1]
    return np.asarray(flows @ factors[:horizon], dtype=np.float64)


# --- optimism bias ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimismBias:
    """Upper and lower bound uplifts for one project type (share of cost, e.g. 0.41 = +41%)."""

    category: str
    capex_upper: float
    capex_lower: float
    source: str

    def uplift(self, bound: str) -> float:
        if bound not in ("upper", "lower"):
            raise InputError(
                f"must be 'upper' or 'lower', got {bound!r}", where="optimism_bias bound"
            )
        return self.capex_upper if bound == "upper" else self.capex_lower


def apply_optimism_bias(costs: FloatArray, uplift: float | FloatArray) -> FloatArray:
    """Green Book: raise cost estimates by the uplift to correct for systematic optimism."""
    return np.asarray(costs * (1.0 + np.asarray(uplift)[..., None]), dtype=np.float64)


# --- price years -----------------------------------------------------------------------------

# Convention for financial years (April to March) against the calendar-year deflator:
# "weighted" (default) takes 9/12 of the calendar year the financial year starts in and 3/12 of
# the next (April-December vs January-March); "start_year" takes the calendar year it starts in.
FY_WEIGHT_FIRST_YEAR = 9 / 12
PRICE_YEAR_CONVENTIONS = ("weighted", "start_year")


@dataclass(frozen=True)
class PriceYear:
    first: int
    financial: bool

    @property
    def label(self) -> str:
        return f"{self.first}/{(self.first + 1) % 100:02d}" if self.financial else str(self.first)


def parse_price_year(text: str | int) -> PriceYear:
    """'2013/14' or '2013-14' is a financial year; '2024' a calendar year."""
    raw = str(text).strip()
    for sep in ("/", "-"):
        if sep in raw:
            head, tail = raw.split(sep, 1)
            if head.isdigit() and tail.isdigit() and int(tail) % 100 == (int(head) + 1) % 100:
                return PriceYear(int(head), True)
            raise InputError(f"not a financial year like '2013/14': {raw!r}", where="price_year")
    if raw.isdigit() and len(raw) == 4:
        return PriceYear(int(raw), False)
    raise InputError(f"must be a year like '2024' or '2013/14', got {raw!r}", where="price_year")


@dataclass(frozen=True)
class Deflator:
    """A calendar-year GDP deflator index (HM Treasury, 2024 = 100)."""

    index: Mapping[int, float]
    source: str

    def _calendar(self, year: int) -> float:
        if year not in self.index:
            first, last = min(self.index), max(self.index)
            raise InputError(
                f"deflator has calendar years {first}-{last} only, not {year}", where="price_year"
            )
        return self.index[year]

    def level(self, price_year: PriceYear, convention: str = "weighted") -> float:
        if convention not in PRICE_YEAR_CONVENTIONS:
            raise InputError(
                f"must be one of {PRICE_YEAR_CONVENTIONS}, got {convention!r}",
                where="price_year_convention",
            )
        if not price_year.financial or convention == "start_year":
            return self._calendar(price_year.first)
        first, second = self._calendar(price_year.first), self._calendar(price_year.first + 1)
        return FY_WEIGHT_FIRST_YEAR * first + (1 - FY_WEIGHT_FIRST_YEAR) * second

    def uprate(
        self, value: float, from_year: str, to_year: str, convention: str = "weighted"
    ) -> float:
        """Express `value` in `from_year` prices in `to_year` prices."""
        ratio = self.level(parse_price_year(to_year), convention) / self.level(
            parse_price_year(from_year), convention
        )
        return value * ratio
