"""The unit-cost library: what a unit of public service costs, who pays, and where from.

Pure: the packs are read by `packs.py`; this module merges local overrides over a pack and
uprates values to the appraisal's price year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from upstream.economics.discounting import Deflator
from upstream.errors import InputError


@dataclass(frozen=True)
class UnitCost:
    code: str
    description: str
    unit: str
    value: float
    price_year: str
    paying_agency: str
    source: str
    licence: str
    edition: str = ""
    category: str = ""
    agency_detail: str = ""
    value_basis: str = "fiscal"
    overridden: bool = False

    @property
    def weekly(self) -> bool:
        return "week" in self.unit.lower()


@dataclass(frozen=True)
class UnitCostLibrary:
    costs: Mapping[str, UnitCost]
    name: str

    def get(self, code: str, where: str) -> UnitCost:
        if code not in self.costs:
            raise InputError(
                f"unknown unit cost code {code!r} (not in {self.name} or overrides)", where=where
            )
        return self.costs[code]

    def with_overrides(self, overrides: Iterable[UnitCost]) -> UnitCostLibrary:
        """Local values win over the pack; each is marked so reports can say so."""
        merged = dict(self.costs)
        for cost in overrides:
            merged[cost.code] = replace(cost, overridden=True)
        return UnitCostLibrary(merged, f"{self.name} + local overrides")

    def overridden(self) -> list[UnitCost]:
        return [c for c in self.costs.values() if c.overridden]


@dataclass(frozen=True)
class PricedUnitCost:
    """A unit cost expressed in the appraisal's price year, remembering where it came from."""

    cost: UnitCost
    value: float
    price_year: str


def price(
    cost: UnitCost, deflator: Deflator, to_year: str, convention: str = "weighted"
) -> PricedUnitCost:
    return PricedUnitCost(
        cost, deflator.uprate(cost.value, cost.price_year, to_year, convention), to_year
    )


def cost_of_events(counts: Mapping[str, float], library: UnitCostLibrary) -> float:
    """Cost of a set of events at pack prices, e.g. {'murder': 1, 'attempted murder': 5}."""
    return sum(n * library.get(code, f"events.{code}").value for code, n in counts.items())
