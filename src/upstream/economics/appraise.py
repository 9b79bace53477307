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
from upstream.economics.casefile import Case, PortfolioOptionSpec
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
from upstream.economics.overlaps import OverlapFound, Reach, Reached, find_overlaps
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
    overlaps_found: list[OverlapFound] = field(default_factory=list)


def scaled(model: InterventionModel, scale: float) -> InterventionModel:
    """The same intervention for `scale` times the cohort; fixed costs do not scale."""
    return replace(model, scale=model.scale * scale)


@dataclass(frozen=True, eq=False)
class OptionRun:
    option: Option
    reached: Reached


def run_option(
    spec: PortfolioOptionSpec,
    at: tuple[int, int],
    scale: float,
    scenarios_n: int,
    seed: int,
    name: str,
) -> OptionRun:
    """One option: the case at one scale, over `scenarios_n` draws. `at` is (its index among
    the options, its [[portfolio.option]])."""
    sub = spec.case
    assert sub.intervention is not None
    model = scaled(sub.intervention, scale)
    perspective = sub.settings.perspective
    draws = draw_values(sub.uncertain, scenarios_n, seed) if sub.uncertain else {}
    flows = evaluate(model, draws)
    summary = summarise(flows, perspective)
    npv = np.broadcast_to(summary.npv[perspective], (scenarios_n,))
    central = evaluate(model)
    pv_costs = present_value(central.costs[0], central.factors)
    intakes = sum(model.intakes[: model.horizon])
    option = Option(
        name=name,
        case=spec.name,
        scale=scale,
        npv=float(npv.mean()),
        fiscal=float(np.mean(summary.pv_benefits["fiscal"])),
        cost_by_agency={
            a: float(pv_costs[i]) for i, a in enumerate(central.agencies) if pv_costs[i] > 0
        },
        npv_draws=np.array(npv),
        places={"places": float(sum(model.cohort.values()) * model.scale * intakes)},
        group=spec.group,
    )
    reach = tuple(
        Reach(
            o,
            np.broadcast_to(flows.at_risk[o.name] * intakes, (scenarios_n,)),
            np.broadcast_to(flows.changed[o.name] * intakes, (scenarios_n,)),
            np.broadcast_to(
                present_value(flows.outcome_value(o.name, perspective), flows.factors),
                (scenarios_n,),
            ),
            np.broadcast_to(present_value(flows.by_outcome[o.name], flows.factors), (scenarios_n,)),
        )
        for o in model.outcomes
    )
    return OptionRun(option, Reached(at[0], at[1], spec.name, reach))


def option_names(case: Case) -> list[str]:
    """Each spec's display name: the intervention's, with its case file where two share one."""
    names = [
        spec.case.intervention.name if spec.case.intervention else spec.name
        for spec in case.options
    ]
    return [
        f"{n} ({spec.name})" if names.count(n) > 1 else n
        for n, spec in zip(names, case.options, strict=True)
    ]


def appraise_portfolio(case: Case) -> PortfolioAppraisal:
    spec = case.portfolio
    assert spec is not None
    n = spec.scenarios
    names = option_names(case)
    where = [(i, scale) for i, o in enumerate(case.options) for scale in o.scales]
    runs = [
        run_option(
            case.options[i],
            (k, i),
            scale,
            n,
            case.settings.seed + 7919 * i,
            f"{names[i]} × {scale:g}",
        )
        for k, (i, scale) in enumerate(where)
    ]
    options = [r.option for r in runs]
    found, overlaps = find_overlaps(case, [r.reached for r in runs])
    points = frontier(options, spec.constraints, overlaps=overlaps)
    selection = choose(options, spec.constraints, spec.objective, overlaps)
    return PortfolioAppraisal(
        options, selection, points, spec.constraints, spec.objective, n, found
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
    notes = {
        "intervention": intervention_caveats,
        "programme": programme_caveats,
        "portfolio": portfolio_caveats,
    }[case.settings.kind](case, result)
    entry = case.library_entry
    if entry and entry.caveat:
        notes.append(entry.caveat)
    if entry and entry.evidence_check:
        notes.append(f"Evidence check ({entry.name}): {entry.evidence_check}")
    if entry and entry.uncertain:
        notes.append(
            f"Some what-works figures for {entry.name} are marked uncertain in the library: "
            "check them against the cited source."
        )
    if case.units.overridden():
        notes.append(
            f"{len(case.units.overridden())} unit cost(s) are local overrides of the pack "
            "(listed under assumptions)."
        )
    if not case.uncertain and case.settings.kind != "portfolio":
        notes.append(
            "No input has a range, so there is no Monte Carlo or tornado: add low/central/high "
            "to key inputs."
        )
    return notes


def intervention_caveats(case: Case, result: Appraisal) -> list[str]:
    notes = [
        "Benefits are costs avoided (mostly fiscal, from the GMCA Unit Cost Database v1.4, "
        f"uprated to {case.settings.price_year} prices); cost avoidance is not cash unless "
        "marked cashable."
    ]
    if any(p.cost.value_basis != "fiscal" for p in case.priced.values()):
        notes.append(
            "Some unit costs combine fiscal, economic and social values; do not add them to "
            "fiscal totals."
        )
    model = case.intervention
    if model and model.adjustments.deadweight == 0:
        notes.append(
            "No deadweight applied: this assumes success rates are already net of what would "
            "have happened anyway."
        )
    if model and not model.costs:
        notes.append(
            "The case file gives no costs ([[intervention.cost]]), so costs are zero and there "
            "is no benefit-cost ratio: add the programme's costs before comparing it."
        )
    return notes


def programme_caveats(case: Case, result: Appraisal) -> list[str]:
    notes = [
        "Benefits by area are the programme's own estimates from the case file; each should "
        "name its evidence and counterfactual. Cost avoidance is not cash unless marked cashable.",
        "Payback and the cumulative position are read from undiscounted real-terms flows, as "
        "programme boards read them; NPV is discounted (Green Book). Both views are in the "
        "tables.",
    ]
    if result.programme is not None:
        for once in result.programme.result.counted_once:
            notes.append(
                f"{' and '.join(once.areas)} all reduce {once.baseline}: their savings are "
                f"counted once ({once.combine}), £{once.counted:,.0f} rather than "
                f"£{once.stated:,.0f} as stated (undiscounted)."
            )
    return notes


def portfolio_caveats(case: Case, result: Appraisal) -> list[str]:
    notes = [
        "The portfolio treats programmes as independent when it limits downside risk; "
        "programmes that share a cohort or workforce will move together."
    ]
    if result.portfolio is None:
        return notes
    for found in result.portfolio.overlaps_found:
        first, second = found.cases
        if found.share == 0:
            counted = "counted separately: the case declares they reach different people"
        else:
            how = (
                "as declared in [[portfolio.overlap]]"
                if found.declared
                else "assumed: declare [[portfolio.overlap]] with share = 0 if they reach "
                "different people"
            )
            counted = (
                f"counted once where both are chosen ({found.rule}; {found.share:.0%} of the "
                f"smaller option's people at risk are in both, {how})"
            )
        notes.append(
            f"{first} and {second} change the same outcomes ({'; '.join(found.avoided)}): "
            f"{counted}."
        )
    return notes
