"""Read `[intervention]`: the cohort, its outcomes (each with its own baseline if it has one),
its costs and the adjustments. docs/economics.md documents every field."""

from __future__ import annotations

from collections.abc import Mapping

from upstream.economics import packs
from upstream.economics.business_case import require_counterfactual
from upstream.economics.casefile.model import Case, factors_for, optimism_bias
from upstream.economics.cba import (
    PERIODS,
    Adjustments,
    AgencyShare,
    CostLine,
    InterventionModel,
    Outcome,
)
from upstream.economics.fields import REQUIRED, Fields
from upstream.economics.montecarlo import Uncertain
from upstream.economics.unitcosts import PricedUnitCost, UnitCost, price
from upstream.economics.whatworks import WhatWorksEntry, library_from_pack
from upstream.errors import InputError

INTERVENTION_FIELDS = (
    "name", "library", "cohort", "intakes", "attrition", "deadweight", "displacement", "attribution",
    "optimism_bias", "outcome", "cost", "evidence_basis", "counterfactual_source",
)  # fmt: skip
OUTCOME_FIELDS = (
    "name", "unit_cost", "unit_cost_price_year", "unit_cost_source", "paying_agency", "quantity", "success",
    "effect_size", "base_rate", "agencies", "cashable", "persistence_years", "drop_off", "start_lag",
    "economic_value", "social_value", "unit_cost_range", "baseline", "unit_cost_per", "duration",
)  # fmt: skip
COST_FIELDS = (
    "name", "agency", "per_participant", "fixed", "unit_cost", "unit_cost_per", "duration",
)  # fmt: skip
PERIODIC_COST = ("unit_cost", "unit_cost_per", "duration")
RANGE_KEYS = {"low", "central", "high", "distribution"}
# The pack's unit for a cost per week, month or year (GMCA v1.4: "Per week", "Per client per
# week", "Per person per year", ...).
PACK_PERIODS = {"per week": "week", "per month": "month", "per year": "year"}


def read_intervention(f: Fields, case: Case) -> None:
    f.only(INTERVENTION_FIELDS)
    entry = library_entry(f)
    case.library_entry = entry
    case.evidence_basis = f.text("evidence_basis", "modelled")
    case.counterfactual_source = f.text("counterfactual_source", "")
    try:
        require_counterfactual(case.evidence_basis, case.counterfactual_source, "intervention")
    except InputError as error:
        raise InputError(error.message, where=f"{f.file}: {error.where}") from error
    cohort = read_cohort(f)
    attrition_default = entry.attrition if entry and entry.attrition is not None else REQUIRED
    attrition = f.uncertain("attrition", attrition_default, 0.0, 1.0, "attrition", case.uncertain)
    outcomes = tuple(read_outcome(o, case, cohort) for o in f.tables("outcome"))
    names = [o.name for o in outcomes]
    if len(set(names)) != len(names):
        raise f.fail("outcome", f"outcome names must be unique, got {names}")
    case.intervention = InterventionModel(
        name=f.text("name", entry.name if entry else REQUIRED),
        cohort=cohort,
        attrition=attrition,
        outcomes=outcomes,
        costs=tuple(read_cost(c) for c in f.tables("cost", [])),
        discount_factors=factors_for(case.settings),
        intakes=f.numbers("intakes", [1.0]),
        adjustments=Adjustments(
            *(adjustment(f, k, case) for k in ("deadweight", "displacement", "attribution"))
        ),
        optimism_bias=optimism_bias(f, case),
        rounding=case.settings.rounding,
    )


def adjustment(f: Fields, key: str, case: Case) -> float:
    """A share, a {low, central, high} range, or a ready-reckoner level name from the pack."""
    value = f.raw(key, 0.0)
    if isinstance(value, str):
        table = packs.adjustments_pack()[key]
        levels = [k for k, v in table.items() if isinstance(v, float)]
        if value not in levels:
            raise f.fail(key, f"must be a share or one of {', '.join(levels)}, got {value!r}")
        case.assumptions.append((key, f"{value} ({table[value]:.0%})", table["source"]))
        return float(table[value])
    central = f.uncertain(key, 0.0, 0.0, 1.0, key, case.uncertain)
    case.assumptions.append((key, f"{central:.0%}", "case file"))
    return central


def library_entry(f: Fields) -> WhatWorksEntry | None:
    if not f.has("library"):
        return None
    library = library_from_pack(packs.what_works_pack())
    key = f.text("library")
    if key not in library:
        raise f.fail("library", f"unknown what-works entry {key!r} (one of {', '.join(library)})")
    return library[key]


def read_cohort(f: Fields) -> dict[str, float]:
    cohort = f.table("cohort")
    if not cohort.data:
        raise f.fail("cohort", 'needs at least one age group, e.g. cohort = { "3-5" = 40 }')
    return {str(k): cohort.number(str(k), lo=0) for k in cohort.data}


def _is_by_group(raw: object) -> bool:
    """A table of age groups, rather than one number or one {low, central, high} range."""
    return isinstance(raw, Mapping) and not set(raw) <= RANGE_KEYS


def read_success(
    f: Fields, groups: tuple[str, ...], key: str, case: Case
) -> tuple[float | None, dict[str, float]]:
    """(one success rate for every group, or None; rates by group).

    One number or one range is one quantity for every age group: drawn once per simulation
    (path `outcomes.NAME.success`). A table by group gives each group its own, independent,
    quantity (`outcomes.NAME.success.GROUP`)."""
    if not _is_by_group(f.raw("success")):
        return f.uncertain("success", REQUIRED, 0.0, 1.0, f"{key}.success", case.uncertain), {}
    table = f.table("success")
    table.only(groups)
    return None, {
        g: table.uncertain(g, REQUIRED, 0.0, 1.0, f"{key}.success.{g}", case.uncertain)
        for g in table.data
    }


def read_baseline(
    f: Fields, cohort: Mapping[str, float], key: str, case: Case
) -> tuple[dict[str, float], float | None]:
    """People at risk of this outcome per intake: (by group, or across the whole cohort)."""
    if not f.has("baseline"):
        return {}, None
    if f.has("effect_size"):
        raise f.fail("baseline", "goes with success; with effect_size give base_rate")
    if f.has("base_rate"):
        raise f.fail("baseline", "give baseline (people at risk) or base_rate (a share), not both")
    u = case.uncertain
    if not _is_by_group(f.raw("baseline")):
        total = float(sum(cohort.values()))
        return {}, f.uncertain("baseline", REQUIRED, 0.0, total, f"{key}.baseline", u)
    table = f.table("baseline")
    table.only(cohort)
    missing = [g for g in cohort if g not in table.data]
    if missing:
        raise f.fail(
            "baseline", f"give a count for every cohort group (missing {', '.join(missing)})"
        )
    return {
        g: table.uncertain(g, REQUIRED, 0.0, cohort[g], f"{key}.baseline.{g}", u) for g in cohort
    }, None


def read_unit_cost(f: Fields, case: Case, name: str) -> PricedUnitCost:
    s = case.settings
    deflator = packs.gdp_deflator()
    raw = f.raw("unit_cost")
    if isinstance(raw, str):
        cost = case.units.get(raw, f.where("unit_cost"))
    else:
        value = f.number("unit_cost", lo=0)
        cost = UnitCost(
            code=f"local:{name}", description=name, unit="", value=value,
            price_year=f.text("unit_cost_price_year", s.price_year),
            paying_agency=f.text("paying_agency", "local_authority"),
            source=f.text("unit_cost_source"), licence="",
        )  # fmt: skip
    try:
        return price(cost, deflator, s.price_year, s.price_year_convention)
    except InputError as error:
        raise f.fail("unit_cost", error.message) from error


def read_agencies(f: Fields, priced: PricedUnitCost) -> tuple[AgencyShare, ...]:
    shares = {priced.cost.paying_agency: 1.0}
    if f.has("agencies"):
        table = f.table("agencies")
        shares = {str(k): table.share(str(k)) for k in table.data}
        if abs(sum(shares.values()) - 1.0) > 1e-6:
            raise f.fail("agencies", f"shares must add up to 1, got {sum(shares.values()):g}")
    cashable_raw = f.raw("cashable", 0.0)
    if isinstance(cashable_raw, dict):
        table = f.table("cashable")
        table.only(shares)
        cashable = {a: table.share(a, 0.0) for a in shares}
    else:
        cashable = dict.fromkeys(shares, f.share("cashable", 0.0))
    return tuple(AgencyShare(a, s, cashable[a]) for a, s in shares.items())


def pack_period(priced: PricedUnitCost) -> str | None:
    """'week', 'month' or 'year' when the pack states the unit cost so ('Per week'), else None."""
    unit = priced.cost.unit.strip().lower()
    return next((p for suffix, p in PACK_PERIODS.items() if unit.endswith(suffix)), None)


def read_duration(
    f: Fields, priced: PricedUnitCost, key: str, case: Case
) -> tuple[str, float | None]:
    """(period of the unit cost, duration in periods) for a cost avoided over a stated time."""
    if not f.has("duration"):
        if f.has("unit_cost_per"):
            raise f.fail("unit_cost_per", "goes with duration (how many weeks, months or years)")
        return "year", None
    for clash in ("persistence_years", "quantity"):
        if f.has(clash):
            raise f.fail(clash, "give duration, or persistence_years and quantity, not both")
    stated = pack_period(priced)
    if not f.has("unit_cost_per") and stated is None:
        raise f.fail(
            "unit_cost_per",
            "is required with duration: is the unit cost per week, month or year?",
        )
    period = f.text("unit_cost_per", stated, PERIODS)
    if stated is not None and period != stated:
        raise f.fail(
            "unit_cost_per", f"{priced.cost.code} is a cost per {stated}, not per {period}"
        )
    duration = f.uncertain("duration", REQUIRED, 0.0, None, f"{key}.duration", case.uncertain)
    return period, duration


def read_outcome(f: Fields, case: Case, cohort: Mapping[str, float]) -> Outcome:
    f.only(OUTCOME_FIELDS)
    name = f.text("name")
    key = f"outcomes.{name}"
    priced = read_unit_cost(f, case, name)
    case.priced[name] = priced
    uses_effect = f.has("effect_size")
    if uses_effect == f.has("success"):
        raise f.fail(
            "success", "give either success (share of completers) or effect_size with base_rate"
        )
    u = case.uncertain
    baseline, baseline_total = read_baseline(f, cohort, key, case)
    success_all, success = (None, {}) if uses_effect else read_success(f, tuple(cohort), key, case)
    if baseline_total is not None and success:
        raise f.fail(
            "success", "with one baseline count for the whole cohort give one success rate, "
            "or give baseline by age group",
        )  # fmt: skip
    base_rate_default = REQUIRED if uses_effect else None
    base_rate = (
        f.uncertain("base_rate", base_rate_default, 0.0, 0.999, f"{key}.base_rate", u)
        if f.has("base_rate") or uses_effect
        else None
    )
    period, duration = read_duration(f, priced, key, case)
    return Outcome(
        name=name,
        unit_cost=unit_cost_range(f, priced.value, f"{key}.unit_cost", u),
        agencies=read_agencies(f, priced),
        quantity=f.uncertain("quantity", 1.0, 0.0, None, f"{key}.quantity", u),
        success=success,
        success_all=success_all,
        effect_size=f.uncertain("effect_size", REQUIRED, -3.0, 3.0, f"{key}.effect_size", u)
        if uses_effect
        else None,
        base_rate=base_rate,
        baseline=baseline,
        baseline_total=baseline_total,
        persistence_years=f.integer("persistence_years", 1, 0, 300),
        drop_off=f.uncertain("drop_off", 0.0, 0.0, 1.0, f"{key}.drop_off", u),
        start_lag=f.integer("start_lag", 1, 0, 300),
        economic_value=f.number("economic_value", 0.0, lo=0),
        social_value=f.number("social_value", 0.0, lo=0),
        unit_cost_ref=priced.cost.code,
        period=period,
        duration=duration,
    )


def unit_cost_range(f: Fields, value: float, path: str, sink: dict[str, Uncertain]) -> float:
    """Optional range on a unit cost, as multiples of its value: {low = 0.8, high = 1.25}."""
    if f.has("unit_cost_range"):
        spec = f.table("unit_cost_range")
        spec.only(("low", "high", "distribution"))
        low, high = spec.number("low", lo=0, hi=1), spec.number("high", lo=1)
        sink[path] = Uncertain(
            low * value, value, high * value, spec.text("distribution", "triangular"), floor=0.0
        )
        sink[path].check(f.where("unit_cost_range"))
    return value


def read_cost(f: Fields) -> CostLine:
    f.only(COST_FIELDS)
    periodic = [k for k in PERIODIC_COST if f.has(k)]
    if periodic and len(periodic) < len(PERIODIC_COST):
        missing = next(k for k in PERIODIC_COST if not f.has(k))
        raise f.fail(
            missing,
            "unit_cost, unit_cost_per and duration go together: "
            'e.g. unit_cost = 300, unit_cost_per = "week", duration = 26',
        )
    if not (f.has("per_participant") or f.has("fixed") or periodic):
        raise f.fail(
            "per_participant",
            "give per_participant and/or fixed costs by year, or unit_cost with unit_cost_per "
            "and duration",
        )
    return CostLine(
        f.text("name"),
        f.text("agency"),
        f.numbers("per_participant", []),
        f.numbers("fixed", []),
        unit_cost=f.number("unit_cost", 0.0, lo=0),
        period=f.text("unit_cost_per", "year", PERIODS),
        duration=f.number("duration", 0.0, lo=0),
    )
