"""Programme business case: lifecycle costs by workstream, benefits by area, payback.

Cash flows are in real terms (the appraisal price year). The cumulative net position and the
payback year are undiscounted, as programme boards read them; NPV is discounted (Green Book).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from upstream.economics.cba import payback_year, safe_ratio
from upstream.economics.discounting import FloatArray, present_value
from upstream.economics.montecarlo import Headline, HeadlineFn
from upstream.errors import InputError

BENEFIT_KINDS = ("cashable", "cost_avoidance")
EVIDENCE_BASES = ("counterfactual", "modelled", "before_after")


class CounterfactualMissingError(InputError):
    """A before/after change presented as a saving with nothing to say what would have happened."""


def require_counterfactual(basis: str, counterfactual_source: str | None, where: str) -> None:
    """Refuse to call a before/after change a saving without a counterfactual source.

    A fall in spend after a programme starts may have happened anyway (demand, prices, policy);
    only a comparison with a counterfactual (control group, trend, matched area) makes it a saving.
    """
    if basis not in EVIDENCE_BASES:
        raise InputError(f"must be one of {EVIDENCE_BASES}, got {basis!r}", where=f"{where}.basis")
    if basis == "before_after" and not (counterfactual_source or "").strip():
        raise CounterfactualMissingError(
            "a before/after change cannot be counted as a saving without a counterfactual_source "
            "(e.g. a comparison group, a trend projection or a matched area)",
            where=f"{where}.counterfactual_source",
        )


@dataclass(frozen=True)
class Workstream:
    name: str
    agency: str
    costs: tuple[float, ...]  # £ by year


@dataclass(frozen=True)
class BenefitArea:
    name: str
    agency: str
    kind: str  # cashable | cost_avoidance
    benefits: tuple[float, ...]  # £ by year
    basis: str = "modelled"
    counterfactual_source: str = ""

    def check(self, where: str) -> None:
        if self.kind not in BENEFIT_KINDS:
            raise InputError(
                f"must be one of {BENEFIT_KINDS}, got {self.kind!r}", where=f"{where}.kind"
            )
        require_counterfactual(self.basis, self.counterfactual_source, where)


@dataclass(frozen=True)
class BusinessCase:
    name: str
    workstreams: tuple[Workstream, ...]
    benefit_areas: tuple[BenefitArea, ...]
    discount_factors: tuple[float, ...]
    optimism_bias: float = 0.0

    @property
    def horizon(self) -> int:
        return len(self.discount_factors)

    def agencies(self) -> tuple[str, ...]:
        seen = {w.agency: None for w in self.workstreams}
        seen.update({b.agency: None for b in self.benefit_areas})
        return tuple(seen)


def _pad(values: tuple[float, ...], horizon: int) -> FloatArray:
    out = np.zeros(horizon)
    out[: min(len(values), horizon)] = values[:horizon]
    return out


@dataclass(frozen=True, eq=False)
class BusinessCaseResult:
    years: FloatArray
    costs_by_workstream: Mapping[str, FloatArray]
    benefits_by_area: Mapping[str, FloatArray]
    costs: FloatArray
    cashable: FloatArray
    cost_avoidance: FloatArray
    agency_net: Mapping[str, FloatArray]  # agency -> benefits − costs by year
    factors: FloatArray

    @property
    def benefits(self) -> FloatArray:
        return self.cashable + self.cost_avoidance

    @property
    def net(self) -> FloatArray:
        return self.benefits - self.costs

    @property
    def cumulative_net(self) -> FloatArray:
        return np.cumsum(self.net)

    @property
    def annual_benefit_ratio(self) -> FloatArray:
        """Benefits ÷ costs in each year (nan in years with no cost)."""
        return safe_ratio(self.benefits, self.costs)

    @property
    def trough(self) -> tuple[int, float]:
        """The year and depth of the lowest cumulative net position (the bottom of the J-curve)."""
        year = int(np.argmin(self.cumulative_net))
        return year, float(self.cumulative_net[year])

    @property
    def payback_year(self) -> float:
        return float(payback_year(self.cumulative_net[None, :])[0])

    @property
    def npv(self) -> float:
        return float(present_value(self.net, self.factors))


def appraise_business_case(
    case: BusinessCase, realisation: float = 1.0, cost_multiplier: float = 1.0
) -> BusinessCaseResult:
    for i, area in enumerate(case.benefit_areas):
        area.check(f"programme.benefit[{i}]")
    horizon = case.horizon
    uplift = (1.0 + case.optimism_bias) * cost_multiplier
    by_ws = {w.name: _pad(w.costs, horizon) * uplift for w in case.workstreams}
    by_area = {b.name: _pad(b.benefits, horizon) * realisation for b in case.benefit_areas}
    agency_net = {a: np.zeros(horizon) for a in case.agencies()}
    for w in case.workstreams:
        agency_net[w.agency] -= by_ws[w.name]
    for b in case.benefit_areas:
        agency_net[b.agency] += by_area[b.name]
    kinds = {
        k: sum((by_area[b.name] for b in case.benefit_areas if b.kind == k), np.zeros(horizon))
        for k in BENEFIT_KINDS
    }
    return BusinessCaseResult(
        years=np.arange(horizon, dtype=np.float64),
        costs_by_workstream=by_ws,
        benefits_by_area=by_area,
        costs=sum(by_ws.values(), np.zeros(horizon)),
        cashable=kinds["cashable"],
        cost_avoidance=kinds["cost_avoidance"],
        agency_net=agency_net,
        factors=np.asarray(case.discount_factors, dtype=np.float64),
    )


def business_case_headline(case: BusinessCase) -> HeadlineFn:
    """A vectorised headline function over `realisation`, `cost_multiplier` and `optimism_bias`."""

    def headline(values: Mapping[str, float | FloatArray]) -> Headline:
        unknown = set(values) - {"realisation", "cost_multiplier", "optimism_bias"}
        if unknown:
            raise InputError(
                f"unknown parameter(s) {sorted(unknown)}", where="programme.uncertainty"
            )
        horizon = case.horizon
        base = appraise_business_case(case)
        ob = np.atleast_1d(
            np.asarray(values.get("optimism_bias", case.optimism_bias), dtype=np.float64)
        )
        cost_scale = (
            np.atleast_1d(np.asarray(values.get("cost_multiplier", 1.0)))
            * (1 + ob)
            / (1 + case.optimism_bias)
        )
        realisation = np.atleast_1d(np.asarray(values.get("realisation", 1.0), dtype=np.float64))
        costs = cost_scale[:, None] * base.costs[None, :]
        benefits = realisation[:, None] * base.benefits[None, :]
        fiscal_benefits = present_value(benefits, base.factors[:horizon])
        pv_costs = present_value(costs, base.factors[:horizon])
        npv = fiscal_benefits - pv_costs
        return Headline(
            npv,
            safe_ratio(fiscal_benefits, pv_costs),
            payback_year(np.cumsum(benefits - costs, axis=-1)),
        )

    return headline
