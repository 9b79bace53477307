"""Read a case file (TOML) into models the engine can run. The format is documented in
docs/economics.md; every field is checked and errors name the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from upstream.economics import packs
from upstream.economics.business_case import (
    BenefitArea,
    BusinessCase,
    Workstream,
    require_counterfactual,
)
from upstream.economics.cba import (
    PERSPECTIVES,
    ROUNDING_CONVENTIONS,
    Adjustments,
    AgencyShare,
    CostLine,
    InterventionModel,
    Outcome,
)
from upstream.economics.discounting import (
    PRICE_YEAR_CONVENTIONS,
    discount_factors,
    parse_price_year,
)
from upstream.economics.fields import REQUIRED as _REQUIRED
from upstream.economics.fields import Fields
from upstream.economics.montecarlo import Uncertain
from upstream.economics.unitcosts import PricedUnitCost, UnitCost, UnitCostLibrary, price
from upstream.economics.whatworks import WhatWorksEntry, library_from_pack
from upstream.errors import InputError, read_user_text

KINDS = ("intervention", "programme", "portfolio")
# Monte Carlo draws: one million takes about 10 s and 2.5 GB for the parenting example
# (measured on 2 cores); more would exhaust an ordinary machine's memory.
DRAWS = (1, 1_000_000)
SEEDS = (0, 2**31)  # numpy's SeedSequence takes non-negative integers
CASE_FIELDS = (
    "kind", "title", "organisation", "price_year", "price_year_convention", "horizon_years", "discount",
    "perspective", "payback_within_years", "draws", "seed", "rounding", "overrides_file", "summary",
)  # fmt: skip


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


@dataclass
class Case:
    """A parsed case file: settings plus one model, the uncertain inputs and their provenance."""

    path: Path
    settings: Settings
    units: UnitCostLibrary
    intervention: InterventionModel | None = None
    programme: BusinessCase | None = None
    options: list[PortfolioOptionSpec] = field(default_factory=list)
    portfolio: Fields | None = None
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


def read_case(path: Path) -> Case:
    if not path.exists():
        raise InputError("case file not found", where=str(path))
    try:
        data = tomllib.loads(read_user_text(path, what="case file"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=path.name) from error
    root = Fields(data, "", path.name)
    root.only(("case", "intervention", "programme", "portfolio", "unit_cost_override"))
    settings = read_settings(root.table("case"))
    case = Case(path, settings, read_units(root, path, settings))
    reader = {
        "intervention": read_intervention,
        "programme": read_programme,
        "portfolio": read_portfolio,
    }
    reader[settings.kind](root.table(settings.kind), case)
    return case


def read_settings(f: Fields) -> Settings:
    f.only(CASE_FIELDS)
    price_year = f.text("price_year", "2024")
    try:
        parse_price_year(price_year)
    except InputError as error:
        raise f.fail("price_year", error.message) from error
    return Settings(
        kind=f.text("kind", choices=KINDS),
        title=f.text("title"),
        organisation=f.text("organisation", ""),
        price_year=price_year,
        price_year_convention=f.text("price_year_convention", "weighted", PRICE_YEAR_CONVENTIONS),
        horizon=f.integer("horizon_years", 15, 1, 300),
        discount=f.text("discount", "standard", ("standard", "health", "lower")),
        perspective=f.text("perspective", "social", PERSPECTIVES),
        payback_within=f.integer("payback_within_years", 5, 0, 300),
        draws=f.integer("draws", 5000, *DRAWS),
        seed=f.integer("seed", 20240401, *SEEDS),
        rounding=f.text("rounding", "none", ROUNDING_CONVENTIONS),
        summary=f.text("summary", ""),
    )


def read_units(root: Fields, path: Path, settings: Settings) -> UnitCostLibrary:
    overrides: list[UnitCost] = []
    case = root.table("case")
    if case.has("overrides_file"):
        overrides += packs.read_overrides_csv(path.parent / case.text("overrides_file"))
    for f in root.tables("unit_cost_override", []):
        f.only(
            (
                "code",
                "description",
                "unit",
                "value",
                "price_year",
                "paying_agency",
                "source",
                "licence",
            )
        )
        row = {
            k: str(f.raw(k, ""))
            for k in (
                "code",
                "description",
                "unit",
                "price_year",
                "paying_agency",
                "source",
                "licence",
            )
        }
        row["value"] = str(f.number("value", lo=0))
        for key in ("code", "price_year", "paying_agency", "source"):
            if not row[key]:
                raise f.fail(key, "is required (provenance on every value)")
        overrides.append(packs.unit_cost_from_row(row, f.where("value")))
    return packs.gmca_unit_costs().with_overrides(overrides)


def factors_for(settings: Settings) -> tuple[float, ...]:
    schedule = packs.discount_schedules()[settings.discount]
    return tuple(float(x) for x in discount_factors(schedule, settings.horizon))


# --- intervention ----------------------------------------------------------------------------

INTERVENTION_FIELDS = (
    "name", "library", "cohort", "intakes", "attrition", "deadweight", "displacement", "attribution",
    "optimism_bias", "outcome", "cost", "evidence_basis", "counterfactual_source",
)  # fmt: skip
OUTCOME_FIELDS = (
    "name", "unit_cost", "unit_cost_price_year", "unit_cost_source", "paying_agency", "quantity", "success",
    "effect_size", "base_rate", "agencies", "cashable", "persistence_years", "drop_off", "start_lag",
    "economic_value", "social_value", "unit_cost_range",
)  # fmt: skip


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
    attrition_default = entry.attrition if entry and entry.attrition is not None else _REQUIRED
    attrition = f.uncertain("attrition", attrition_default, 0.0, 1.0, "attrition", case.uncertain)
    outcomes = tuple(read_outcome(o, case, tuple(cohort)) for o in f.tables("outcome"))
    names = [o.name for o in outcomes]
    if len(set(names)) != len(names):
        raise f.fail("outcome", f"outcome names must be unique, got {names}")
    case.intervention = InterventionModel(
        name=f.text("name", entry.name if entry else _REQUIRED),
        cohort=cohort,
        attrition=attrition,
        outcomes=outcomes,
        costs=tuple(read_cost(c, case) for c in f.tables("cost")),
        discount_factors=factors_for(case.settings),
        intakes=f.numbers("intakes", [1.0]),
        adjustments=Adjustments(
            *(adjustment(f, k, case) for k in ("deadweight", "displacement", "attribution"))
        ),
        optimism_bias=optimism_bias(f, case),
        rounding=case.settings.rounding,
    )


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


def read_success(f: Fields, groups: tuple[str, ...], key: str, case: Case) -> dict[str, float]:
    raw = f.raw("success")
    if not isinstance(raw, dict) or set(raw) <= {"low", "central", "high", "distribution"}:
        return {
            g: f.uncertain("success", _REQUIRED, 0.0, 1.0, f"{key}.success.{g}", case.uncertain)
            for g in groups
        }
    table = f.table("success")
    table.only(groups)
    return {
        g: table.uncertain(g, _REQUIRED, 0.0, 1.0, f"{key}.success.{g}", case.uncertain)
        for g in table.data
    }


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


def read_outcome(f: Fields, case: Case, groups: tuple[str, ...]) -> Outcome:
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
    return Outcome(
        name=name,
        unit_cost=unit_cost_range(f, priced.value, f"{key}.unit_cost", u),
        agencies=read_agencies(f, priced),
        quantity=f.uncertain("quantity", 1.0, 0.0, None, f"{key}.quantity", u),
        success={} if uses_effect else read_success(f, groups, key, case),
        effect_size=f.uncertain("effect_size", _REQUIRED, -3.0, 3.0, f"{key}.effect_size", u)
        if uses_effect
        else None,
        base_rate=f.uncertain("base_rate", _REQUIRED, 0.0, 0.999, f"{key}.base_rate", u)
        if uses_effect
        else None,
        persistence_years=f.integer("persistence_years", 1, 0, 300),
        drop_off=f.uncertain("drop_off", 0.0, 0.0, 1.0, f"{key}.drop_off", u),
        start_lag=f.integer("start_lag", 1, 0, 300),
        economic_value=f.number("economic_value", 0.0, lo=0),
        social_value=f.number("social_value", 0.0, lo=0),
        unit_cost_ref=priced.cost.code,
    )


def unit_cost_range(f: Fields, value: float, path: str, sink: dict[str, Uncertain]) -> float:
    """Optional range on a unit cost, as multiples of its value: {low = 0.8, high = 1.25}."""
    if f.has("unit_cost_range"):
        spec = f.table("unit_cost_range")
        spec.only(("low", "high", "distribution"))
        low, high = spec.number("low", lo=0, hi=1), spec.number("high", lo=1)
        sink[path] = Uncertain(
            low * value, value, high * value, spec.text("distribution", "triangular")
        )
        sink[path].check(f.where("unit_cost_range"))
    return value


def read_cost(f: Fields, case: Case) -> CostLine:
    f.only(("name", "agency", "per_participant", "fixed"))
    if not (f.has("per_participant") or f.has("fixed")):
        raise f.fail("per_participant", "give per_participant and/or fixed costs by year")
    return CostLine(
        f.text("name"), f.text("agency"), f.numbers("per_participant", []), f.numbers("fixed", [])
    )


# --- programme -------------------------------------------------------------------------------


def read_programme(f: Fields, case: Case) -> None:
    f.only(("name", "optimism_bias", "realisation", "cost_multiplier", "workstream", "benefit"))
    for key in ("realisation", "cost_multiplier"):
        if f.has(key):
            f.uncertain(key, 1.0, 0.0, 5.0, key, case.uncertain)
    workstreams = []
    for w in f.tables("workstream"):
        w.only(("name", "agency", "costs"))
        workstreams.append(Workstream(w.text("name"), w.text("agency"), w.numbers("costs")))
    areas = []
    for b in f.tables("benefit"):
        b.only(("name", "agency", "kind", "basis", "counterfactual_source", "benefits"))
        area = BenefitArea(
            b.text("name"), b.text("agency"), b.text("kind", choices=("cashable", "cost_avoidance")),
            b.numbers("benefits"), b.text("basis", "modelled"), b.text("counterfactual_source", ""),
        )  # fmt: skip
        try:
            require_counterfactual(area.basis, area.counterfactual_source, b.path)
        except InputError as error:
            raise InputError(error.message, where=f"{f.file}: {error.where}") from error
        areas.append(area)
    case.programme = BusinessCase(
        f.text("name"),
        tuple(workstreams),
        tuple(areas),
        factors_for(case.settings),
        optimism_bias(f, case),
    )


# --- portfolio -------------------------------------------------------------------------------


def read_portfolio(f: Fields, case: Case) -> None:
    f.only(
        (
            "objective",
            "budget",
            "agency_budgets",
            "capacity",
            "risk_floor",
            "risk_alpha",
            "scenarios",
            "option",
        )
    )
    case.portfolio = f
    for o in f.tables("option"):
        o.only(("case", "scales", "group"))
        target = case.path.parent / o.text("case")
        if _declared_kind(target) not in (None, "intervention"):
            raise o.fail("case", f"{target.name} must be an intervention case file")
        try:
            sub = read_case(target)
        except InputError as error:
            raise InputError(error.message, where=f"{o.where('case')} -> {error.where}") from error
        if sub.intervention is None:
            raise o.fail("case", f"{target.name} must be an intervention case file")
        case.options.append(
            PortfolioOptionSpec(sub, o.numbers("scales", [1.0]), o.text("group", ""))
        )


def _declared_kind(path: Path) -> object:
    """The `kind` a case file declares, read without following its options: a portfolio that
    names itself (or another portfolio) would otherwise be read again and again without end."""
    try:
        declared = tomllib.loads(read_user_text(path)).get("case")
    except (InputError, tomllib.TOMLDecodeError):
        return None  # read_case reports it, naming the file
    return declared.get("kind") if isinstance(declared, dict) else None
