"""What a parsed case file holds, and the readers every kind of case shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from upstream.economics import packs
from upstream.economics.business_case import BusinessCase
from upstream.economics.cba import InterventionModel
from upstream.economics.discounting import discount_factors
from upstream.economics.fields import Fields
from upstream.economics.montecarlo import Uncertain
from upstream.economics.portfolio import Constraints
from upstream.economics.unitcosts import PricedUnitCost, UnitCostLibrary
from upstream.economics.whatworks import WhatWorksEntry
from upstream.errors import InputError

# How savings on the same people combine: `independent` as 1 − (1 − a)(1 − b); `largest`
# counts only the larger of the effects on the people both reach.
COMBINE_RULES = ("independent", "largest")


@dataclass(frozen=True)
class Settings:
    kind: str
    title: str
    organisation: str
    price_year: str
    price_year_convention: str
    horizon: int
    discount: str
    perspective: str
    payback_within: int
    draws: int
    seed: int
    rounding: str
    summary: str
    year_zero: str = "2025/26"


@dataclass(frozen=True)
class OverlapSpec:
    """Two or more portfolio options that reach the same people for the same avoided costs."""

    options: tuple[int, ...]  # indexes into Case.options
    share: float  # share of the smaller option's people at risk who are in the other too
    combine: str
    outcomes: tuple[str, ...]  # unit cost codes or outcome names; empty = every shared cost
    where: str


@dataclass(frozen=True)
class PortfolioSpec:
    objective: str
    constraints: Constraints
    scenarios: int
    overlaps: tuple[OverlapSpec, ...] = ()


@dataclass
class Case:
    """A parsed case file: settings plus one model, the uncertain inputs and their provenance."""

    path: Path
    settings: Settings
    units: UnitCostLibrary
    intervention: InterventionModel | None = None
    programme: BusinessCase | None = None
    options: list[PortfolioOptionSpec] = field(default_factory=list)
    portfolio: PortfolioSpec | None = None
    uncertain: dict[str, Uncertain] = field(default_factory=dict)
    priced: dict[str, PricedUnitCost] = field(default_factory=dict)  # outcome -> unit cost used
    assumptions: list[tuple[str, str, str]] = field(default_factory=list)  # (what, value, source)
    library_entry: WhatWorksEntry | None = None
    evidence_basis: str = "modelled"
    counterfactual_source: str = ""


@dataclass(frozen=True)
class PortfolioOptionSpec:
    case: Case
    scales: tuple[float, ...]
    group: str
    name: str = ""  # the option's `case` as written in the portfolio file: its key


def factors_for(settings: Settings) -> tuple[float, ...]:
    schedule = packs.discount_schedules()[settings.discount]
    return tuple(float(x) for x in discount_factors(schedule, settings.horizon))


def optimism_bias(f: Fields, case: Case) -> float:
    """A share, or 'category:upper' / 'category:lower' from the Treasury table."""
    value = f.raw("optimism_bias", 0.0)
    if isinstance(value, str):
        category, _, bound = value.partition(":")
        table = packs.optimism_bias_table()
        if category not in table:
            raise f.fail(
                "optimism_bias", f"unknown category {category!r} (one of {', '.join(table)})"
            )
        try:
            uplift = table[category].uplift(bound or "upper")
        except InputError as error:
            raise f.fail("optimism_bias", error.message) from error
        case.assumptions.append(
            ("optimism bias", f"{value} (+{uplift:.0%} on costs)", table[category].source)
        )
        return uplift
    central = f.uncertain("optimism_bias", 0.0, 0.0, 5.0, "optimism_bias", case.uncertain)
    case.assumptions.append(("optimism bias", f"+{central:.0%} on costs", "case file"))
    return central
