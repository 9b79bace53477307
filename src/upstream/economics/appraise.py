"""Run a parsed case: the deterministic appraisal, scenarios, Monte Carlo, tornado, portfolio.

Pure given a `Case` (the packs are already read); returns plain results the report writers use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from upstream.economics import packs
from upstream.economics.business_case import (
    BusinessCaseResult,
    appraise_business_case,
    business_case_headline,
)
from upstream.economics.casefile import Case
from upstream.economics.cba import (
    AgencyPosition,
    Flows,
    InterventionModel,
    Summary,
    agency_positions,
    evaluate,
    summarise,
    who_benefits_matrix,
)
from upstream.economics.discounting import FloatArray, discount_factors, present_value
from upstream.economics.montecarlo import (
    Headline,
    HeadlineFn,
    MonteCarloResult,
    Scenario,
    TornadoBar,
    draw_values,
    scenarios,
    simulate,
    switching_value,
    tornado,
)
from upstream.economics.portfolio import (
    Constraints,
    FrontierPoint,
    Option,
    Selection,
    choose,
    frontier,
)


def intervention_headline(model: InterventionModel, perspective: str) -> HeadlineFn:
    def headline(values: Mapping[str, float | FloatArray]) -> Headline:
        s = summarise(evaluate(model, values), perspective)
        return Headline(s.npv[perspective], s.fiscal_roi, s.payback_year)

    return headline


@dataclass
class Uncertainty:
    monte_carlo: MonteCarloResult | None
    bars: list[TornadoBar]
    switching: dict[str, float | None]
    scenarios: list[Scenario]


def run_uncertainty(case: Case, headline: HeadlineFn) -> Uncertainty:
    s = case.settings
    bars = tornado(headline, case.uncertain)
    switching = {
        path: switching_value(headline, path, case.uncertain[path]) for path in case.uncertain
    }
    mc = None
    if case.uncertain:
        mc = simulate(
            headline, case.uncertain, draws=s.draws, seed=s.seed, payback_within=s.payback_within
        )
    return Uncertainty(mc, bars, switching, scenarios(headline, bars))


@dataclass
class InterventionAppraisal:
    model: InterventionModel
    flows: Flows
    summary: Summary
    positions: list[AgencyPosition]
    matrix: FloatArray
    uncertainty: Uncertainty
    npv_lower_discount: float


def appraise_intervention(case: Case) -> InterventionAppraisal:
    assert case.intervention is not None
    model, perspective = case.intervention, case.settings.perspective
    flows = evaluate(model)
    positions = agency_positions(flows)
    lower = packs.discount_schedules()["lower"]
    lower_model = replace(model, discount_factors=tuple(discount_factors(lower, model.horizon)))
    return InterventionAppraisal(
        model=model,
        flows=flows,
        summary=summarise(flows, perspective),
        positions=positions,
        matrix=who_benefits_matrix(positions),
        uncertainty=run_uncertainty(case, intervention_headline(model, perspective)),
        npv_lower_discount=float(summarise(evaluate(lower_model), perspective).npv[perspective][0]),
    )


@dataclass
class ProgrammeAppraisal:
    result: BusinessCaseResult
    uncertainty: Uncertainty


def appraise_programme(case: Case) -> ProgrammeAppraisal:
    assert case.programme is not None
    result = appraise_business_case(case.programme)
    return ProgrammeAppraisal(result, run_uncertainty(case, business_case_headline(case.programme)))


@dataclass
class PortfolioAppraisal:
    options: list[Option]
    selection: Selection
    frontier: list[FrontierPoint]
    constraints: Constraints
    objective: str
    scenarios: int


def scaled(model: InterventionModel, scale: float) -> InterventionModel:
    """The same intervention for `scale` times the cohort; fixed costs do not scale."""
    return replace(model, cohort={g: n * scale for g, n in model.cohort.items()})


def option_for(sub: Case, scale: float, group: str, scenarios_n: int, seed: int) -> Option:
    assert sub.intervention is not None
    model = scaled(sub.intervention, scale)
    perspective = sub.settings.perspective
    draws = draw_values(sub.uncertain, scenarios_n, seed) if sub.uncertain else {}
    summary = summarise(evaluate(model, draws), perspective)
    npv = np.broadcast_to(summary.npv[perspective], (scenarios_n,))
    flows = evaluate(model)
    pv_costs = present_value(flows.costs[0], flows.factors)
    starters = sum(model.cohort.values()) * sum(model.intakes)
    return Option(
        name=f"{model.name} × {scale:g}",
        intervention=model.name,
        scale=scale,
        npv=float(npv.mean()),
        fiscal=float(np.mean(summary.pv_benefits["fiscal"])),
        cost_by_agency={
            a: float(pv_costs[i]) for i, a in enumerate(flows.agencies) if pv_costs[i] > 0
        },
        npv_draws=np.array(npv),
        places={"places": float(starters)},
        group=group,
    )


def appraise_portfolio(case: Case) -> PortfolioAppraisal:
    f = case.portfolio
    assert f is not None
    n = f.integer("scenarios", 300, 10, 5000)
    options = [
        option_for(spec.case, scale, spec.group, n, case.settings.seed + 7919 * i)
        for i, spec in enumerate(case.options)
        for scale in spec.scales
    ]
    agency = f.table("agency_budgets", {})
    capacity = f.table("capacity", {})
    constraints = Constraints(
        total_budget=f.number("budget", None, lo=0) if f.has("budget") else None,
        agency_budgets={str(k): agency.number(str(k), lo=0) for k in agency.data},
        capacity={str(k): capacity.number(str(k), lo=0) for k in capacity.data},
        risk_floor=f.number("risk_floor") if f.has("risk_floor") else None,
        alpha=f.number("risk_alpha", 0.10, lo=0.01, hi=0.5),
    )
    objective = f.text("objective", "npv", ("npv", "fiscal"))
    points = frontier(options, constraints)
    return PortfolioAppraisal(
        options, choose(options, constraints, objective), points, constraints, objective, n
    )


@dataclass
class Appraisal:
    case: Case
    intervention: InterventionAppraisal | None = None
    programme: ProgrammeAppraisal | None = None
    portfolio: PortfolioAppraisal | None = None
    caveats: list[str] = field(default_factory=list)


def appraise(case: Case) -> Appraisal:
    kind = case.settings.kind
    out = Appraisal(case)
    if kind == "intervention":
        out.intervention = appraise_intervention(case)
    elif kind == "programme":
        out.programme = appraise_programme(case)
    else:
        out.portfolio = appraise_portfolio(case)
    out.caveats = caveats(case, out)
    return out


def caveats(case: Case, result: Appraisal) -> list[str]:
    notes = []
    if case.settings.kind == "intervention":
        notes.append(
            "Benefits are costs avoided (mostly fiscal, from the GMCA Unit Cost Database v1.4, "
            f"uprated to {case.settings.price_year} prices); cost avoidance is not cash unless marked cashable."
        )
        if any(p.cost.value_basis != "fiscal" for p in case.priced.values()):
            notes.append(
                "Some unit costs combine fiscal, economic and social values; do not add them to fiscal totals."
            )
        if case.intervention and case.intervention.adjustments.deadweight == 0:
            notes.append(
                "No deadweight applied: this assumes success rates are already net of what would have happened anyway."
            )
    if case.settings.kind == "programme":
        notes.append(
            "Benefits by area are the programme's own estimates from the case file; each should name "
            "its evidence and counterfactual. Cost avoidance is not cash unless marked cashable."
        )
        notes.append(
            "Payback and the cumulative position are read from undiscounted real-terms flows, as "
            "programme boards read them; NPV is discounted (Green Book)."
        )
    if case.settings.kind == "portfolio":
        notes.append(
            "The portfolio treats programmes as independent when it limits downside risk; "
            "programmes that share a cohort or workforce will move together."
        )
    if case.library_entry and case.library_entry.caveat:
        notes.append(case.library_entry.caveat)
    if case.library_entry and case.library_entry.uncertain:
        notes.append(
            f"Some what-works figures for {case.library_entry.name} are marked uncertain in the library: check them against the cited source."
        )
    if case.units.overridden():
        notes.append(
            f"{len(case.units.overridden())} unit cost(s) are local overrides of the pack (listed under assumptions)."
        )
    if not case.uncertain and case.settings.kind != "portfolio":
        notes.append(
            "No input has a range, so there is no Monte Carlo or tornado: add low/central/high to key inputs."
        )
    return notes
