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
    baseline: str = ""  # the SpendBaseline this area reduces, if it shares one with others

    def check(self, where: str) -> None:
        if self.kind not in BENEFIT_KINDS:
            raise InputError(
                f"must be one of {BENEFIT_KINDS}, got {self.kind!r}", where=f"{where}.kind"
            )
        require_counterfactual(self.basis, self.counterfactual_source, where)


@dataclass(frozen=True)
class SpendBaseline:
    """Spend the programme's benefit areas reduce, as it would be without the programme.

    Areas that reduce the same spend (the same people, the same service) are counted once:
    `independent` — each area avoids its share of the spend independently, so together they
    avoid 1 − Π(1 − shareᵢ) of it (1 − (1 − a)(1 − b) for two); `largest` — only the largest
    area's saving counts.
    """

    name: str
    spend: tuple[float, ...]  # £ by year
    combine: str = "independent"


@dataclass(frozen=True)
class BusinessCase:
    name: str
    workstreams: tuple[Workstream, ...]
    benefit_areas: tuple[BenefitArea, ...]
    discount_factors: tuple[float, ...]
    optimism_bias: float = 0.0
    realisation: float = 1.0  # share of planned benefits realised (central case)
    cost_multiplier: float = 1.0  # on costs after optimism bias (central case)
    baselines: tuple[SpendBaseline, ...] = ()

    @property
    def horizon(self) -> int:
        return len(self.discount_factors)

    def agencies(self) -> tuple[str, ...]:
        seen = {w.agency: None for w in self.workstreams}
        seen.update({b.agency: None for b in self.benefit_areas})
        return tuple(seen)


PARAMETERS = ("realisation", "cost_multiplier", "optimism_bias")


def central_values(case: BusinessCase) -> dict[str, float]:
    """Every input that can vary, at its central value: the central case, the medium scenario
    and the Monte Carlo all start from these."""
    return {
        "realisation": case.realisation,
        "cost_multiplier": case.cost_multiplier,
        "optimism_bias": case.optimism_bias,
    }


def _pad(values: tuple[float, ...], horizon: int) -> FloatArray:
    out = np.zeros(horizon)
    out[: min(len(values), horizon)] = values[:horizon]
    return out


@dataclass(frozen=True)
class CountedOnce:
    """Benefit areas that reduce the same spend, and what they save together (undiscounted £)."""

    baseline: str
    areas: tuple[str, ...]
    combine: str
    stated: float  # the areas' benefits added up as stated (after realisation)
    counted: float  # the same benefits counted once


@dataclass(frozen=True, eq=False)
class ProgrammeFlows:
    """Costs and benefits by draw and year (£, real terms, undiscounted)."""

    costs_by_workstream: Mapping[str, FloatArray]  # (draws, years)
    stated_by_area: Mapping[str, FloatArray]  # (draws, years) after realisation
    benefits_by_area: Mapping[str, FloatArray]  # (draws, years) after counting once


def _values(
    case: BusinessCase, values: Mapping[str, float | FloatArray] | None
) -> dict[str, FloatArray]:
    given = dict(values or {})
    unknown = set(given) - set(PARAMETERS)
    if unknown:
        raise InputError(f"unknown parameter(s) {sorted(unknown)}", where="programme.uncertainty")
    merged = {**central_values(case), **given}
    return {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in merged.items()}


def count_once(case: BusinessCase, stated: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """Each area's benefits after areas sharing a baseline are counted once; each keeps its
    share of the combined saving in proportion to what it claimed."""
    counted = dict(stated)
    for base in case.baselines:
        names = [b.name for b in case.benefit_areas if b.baseline == base.name]
        if len(names) < 2:
            continue
        spend = _pad(base.spend, case.horizon)
        claimed = np.stack([np.minimum(stated[n], spend) for n in names])  # (areas, draws, years)
        if base.combine == "largest":
            together = claimed.max(axis=0)
        else:
            share = np.divide(claimed, spend, out=np.zeros_like(claimed), where=spend > 0)
            together = spend * (1.0 - np.prod(1.0 - share, axis=0))
        total = claimed.sum(axis=0)
        kept = np.divide(together, total, out=np.zeros_like(total), where=total > 0)
        for name, area in zip(names, claimed, strict=True):
            counted[name] = area * kept
    return counted


def programme_flows(
    case: BusinessCase, values: Mapping[str, float | FloatArray] | None = None
) -> ProgrammeFlows:
    """The one place a business case's inputs are applied: the central case (no values), the
    scenarios (a value per input) and the Monte Carlo (arrays of draws) all come through here."""
    v = _values(case, values)
    horizon = case.horizon
    uplift = ((1.0 + v["optimism_bias"]) * v["cost_multiplier"])[:, None]
    realised = v["realisation"][:, None]
    by_ws = {w.name: uplift * _pad(w.costs, horizon)[None, :] for w in case.workstreams}
    stated = {b.name: realised * _pad(b.benefits, horizon)[None, :] for b in case.benefit_areas}
    return ProgrammeFlows(by_ws, stated, count_once(case, stated))


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
    counted_once: tuple[CountedOnce, ...] = ()

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
    def cumulative_discounted_net(self) -> FloatArray:
        return np.cumsum(self.net * self.factors)

    @property
    def cumulative_roi(self) -> FloatArray:
        """Benefits ÷ costs to date, each year (undiscounted; nan before any cost)."""
        return safe_ratio(np.cumsum(self.benefits), np.cumsum(self.costs))

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
    def payback_year_discounted(self) -> float:
        return float(payback_year(self.cumulative_discounted_net[None, :])[0])

    @property
    def npv(self) -> float:
        return float(present_value(self.net, self.factors))


def appraise_business_case(case: BusinessCase) -> BusinessCaseResult:
    """The central case: every input at its central value (realisation and cost multiplier
    included), benefits on shared spend counted once."""
    for i, area in enumerate(case.benefit_areas):
        area.check(f"programme.benefit[{i}]")
    horizon = case.horizon
    flows = programme_flows(case)
    by_ws = {name: v[0] for name, v in flows.costs_by_workstream.items()}
    by_area = {name: v[0] for name, v in flows.benefits_by_area.items()}
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
        counted_once=counted_once(case, flows),
    )


def counted_once(case: BusinessCase, flows: ProgrammeFlows) -> tuple[CountedOnce, ...]:
    """The overlaps found: baselines that two or more benefit areas reduce (central case)."""
    out = []
    for base in case.baselines:
        names = tuple(b.name for b in case.benefit_areas if b.baseline == base.name)
        if len(names) >= 2:
            stated = sum(float(flows.stated_by_area[n][0].sum()) for n in names)
            counted = sum(float(flows.benefits_by_area[n][0].sum()) for n in names)
            out.append(CountedOnce(base.name, names, base.combine, stated, counted))
    return tuple(out)


def business_case_headline(case: BusinessCase) -> HeadlineFn:
    """A vectorised headline function over `realisation`, `cost_multiplier` and `optimism_bias`."""
    factors = np.asarray(case.discount_factors, dtype=np.float64)

    def headline(values: Mapping[str, float | FloatArray]) -> Headline:
        flows = programme_flows(case, values)
        costs = sum(flows.costs_by_workstream.values(), np.zeros((1, case.horizon)))
        benefits = sum(flows.benefits_by_area.values(), np.zeros((1, case.horizon)))
        pv_benefits = present_value(benefits, factors)
        pv_costs = present_value(costs, factors)
        return Headline(
            pv_benefits - pv_costs,
            safe_ratio(pv_benefits, pv_costs),
            payback_year(np.cumsum(benefits - costs, axis=-1)),
        )

    return headline
