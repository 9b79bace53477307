"""Read `[programme]`: a business case's workstreams, benefit areas and the spend they reduce."""

from __future__ import annotations

from upstream.economics.business_case import (
    BenefitArea,
    BusinessCase,
    SpendBaseline,
    Workstream,
    require_counterfactual,
)
from upstream.economics.casefile.model import COMBINE_RULES, Case, factors_for, optimism_bias
from upstream.economics.fields import Fields
from upstream.errors import InputError

PROGRAMME_FIELDS = (
    "name", "optimism_bias", "realisation", "cost_multiplier", "workstream", "benefit", "baseline",
)  # fmt: skip
BENEFIT_FIELDS = (
    "name", "agency", "kind", "basis", "counterfactual_source", "benefits", "baseline",
)  # fmt: skip


def read_programme(f: Fields, case: Case) -> None:
    f.only(PROGRAMME_FIELDS)
    # A plain number is the central case; a range's central value is. Either way the central
    # case, the scenarios and the Monte Carlo apply it alike (business_case.programme_flows).
    realisation = f.uncertain("realisation", 1.0, 0.0, 5.0, "realisation", case.uncertain)
    multiplier = f.uncertain("cost_multiplier", 1.0, 0.0, 5.0, "cost_multiplier", case.uncertain)
    case.assumptions.append(("benefits realised", f"{realisation:.0%} of planned", "case file"))
    case.assumptions.append(("cost multiplier", f"× {multiplier:g}", "case file"))
    workstreams = tuple(read_workstream(w) for w in f.tables("workstream"))
    baselines = {b.name: b for b in (read_baseline(b) for b in f.tables("baseline", []))}
    areas = tuple(read_benefit(b, baselines) for b in f.tables("benefit"))
    for key, names in (
        ("workstream", [w.name for w in workstreams]),
        ("benefit", [a.name for a in areas]),
    ):
        if len(set(names)) != len(names):
            raise f.fail(key, f"names must be unique, got {names}")
    case.programme = BusinessCase(
        f.text("name"), workstreams, areas, factors_for(case.settings), optimism_bias(f, case),
        realisation=realisation, cost_multiplier=multiplier, baselines=tuple(baselines.values()),
    )  # fmt: skip


def read_workstream(w: Fields) -> Workstream:
    w.only(("name", "agency", "costs"))
    return Workstream(w.text("name"), w.text("agency"), w.numbers("costs"))


def read_baseline(b: Fields) -> SpendBaseline:
    b.only(("name", "spend", "combine"))
    return SpendBaseline(
        b.text("name"), b.numbers("spend"), b.text("combine", "independent", COMBINE_RULES)
    )


def read_benefit(b: Fields, baselines: dict[str, SpendBaseline]) -> BenefitArea:
    b.only(BENEFIT_FIELDS)
    area = BenefitArea(
        b.text("name"), b.text("agency"), b.text("kind", choices=("cashable", "cost_avoidance")),
        b.numbers("benefits"), b.text("basis", "modelled"), b.text("counterfactual_source", ""),
        b.text("baseline", ""),
    )  # fmt: skip
    try:
        require_counterfactual(area.basis, area.counterfactual_source, b.path)
    except InputError as error:
        raise InputError(error.message, where=f"{b.file}: {error.where}") from error
    if area.baseline:
        if area.baseline not in baselines:
            known = ", ".join(baselines) or "none declared: add [[programme.baseline]]"
            raise b.fail("baseline", f"no baseline named {area.baseline!r} ({known})")
        check_within(b, area, baselines[area.baseline])
    return area


def check_within(b: Fields, area: BenefitArea, base: SpendBaseline) -> None:
    """A saving cannot be larger than the spend it comes out of."""
    spend = base.spend + (0.0,) * max(0, len(area.benefits) - len(base.spend))
    for year, (benefit, available) in enumerate(zip(area.benefits, spend, strict=False)):
        if benefit > available:
            raise b.fail(
                f"benefits[{year}]",
                f"£{benefit:,.0f} is more than the baseline {base.name!r} spends that year "
                f"(£{available:,.0f})",
            )
