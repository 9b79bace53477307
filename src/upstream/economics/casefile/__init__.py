"""Read a case file (TOML) into models the engine can run. The format is documented in
docs/economics.md; every field is checked and errors name the file and the field.

`parse_case(text, name, folder)` reads TOML text (the web form's path); `read_case(path)` reads
a file (the CLI's) through it, so both give the same messages.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from upstream.economics import packs
from upstream.economics.casefile.intervention import read_intervention
from upstream.economics.casefile.model import (
    COMBINE_RULES,
    Case,
    OverlapSpec,
    PortfolioOptionSpec,
    PortfolioSpec,
    Settings,
    factors_for,
)
from upstream.economics.casefile.programme import read_programme
from upstream.economics.cba import PERSPECTIVES, ROUNDING_CONVENTIONS
from upstream.economics.discounting import PRICE_YEAR_CONVENTIONS, parse_price_year
from upstream.economics.fields import Fields
from upstream.economics.portfolio import OBJECTIVES, Constraints
from upstream.economics.unitcosts import UnitCost, UnitCostLibrary
from upstream.errors import InputError, read_user_text

__all__ = [
    "CASE_FIELDS", "COMBINE_RULES", "DRAWS", "KINDS", "SEEDS", "Case", "OverlapSpec",
    "PortfolioOptionSpec", "PortfolioSpec", "Settings", "factors_for", "parse_case", "read_case",
]  # fmt: skip

KINDS = ("intervention", "programme", "portfolio")
# Monte Carlo draws: one million takes about 10 s and 2.5 GB for the parenting example
# (measured on 2 cores); more would exhaust an ordinary machine's memory.
DRAWS = (1, 1_000_000)
SEEDS = (0, 2**31)  # numpy's SeedSequence takes non-negative integers
CASE_FIELDS = (
    "kind", "title", "organisation", "price_year", "price_year_convention", "horizon_years", "discount",
    "perspective", "payback_within_years", "draws", "seed", "rounding", "overrides_file", "summary",
    "year_zero",
)  # fmt: skip
PORTFOLIO_FIELDS = (
    "objective", "budget", "agency_budgets", "capacity", "risk_floor", "risk_alpha", "scenarios",
    "option", "overlap",
)  # fmt: skip
UNIT_COST_FIELDS = (
    "code", "description", "unit", "value", "price_year", "paying_agency", "source", "licence",
)  # fmt: skip


def read_case(path: Path) -> Case:
    """A case file on disk; option case files and overrides are found beside it."""
    if not path.exists():
        raise InputError("case file not found", where=str(path))
    case = parse_case(read_user_text(path, what="case file"), name=path.name, folder=path.parent)
    case.path = path
    return case


def parse_case(text: str, name: str = "case.toml", folder: Path | None = None) -> Case:
    """A case file's text. `name` is what errors call it; `folder` is where its overrides file
    and a portfolio's option case files are (None: such references are refused)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=name) from error
    root = Fields(data, "", name)
    root.only(("case", "intervention", "programme", "portfolio", "unit_cost_override"))
    settings = read_settings(root.table("case"))
    case = Case((folder or Path()) / name, settings, read_units(root, folder, settings))
    kind = root.table(settings.kind)
    if settings.kind == "intervention":
        read_intervention(kind, case)
    elif settings.kind == "programme":
        read_programme(kind, case)
    else:
        read_portfolio(kind, case, folder)
    return case


def read_settings(f: Fields) -> Settings:
    f.only(CASE_FIELDS)
    price_year = _year(f, "price_year", "2024")
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
        year_zero=_year(f, "year_zero", "2025/26"),
    )


def _year(f: Fields, key: str, default: str) -> str:
    """A calendar year ('2024') or a financial year ('2025/26'), checked."""
    text = f.text(key, default)
    try:
        parse_price_year(text)
    except InputError as error:
        raise f.fail(key, error.message) from error
    return text


def read_units(root: Fields, folder: Path | None, settings: Settings) -> UnitCostLibrary:
    overrides: list[UnitCost] = []
    case = root.table("case")
    if case.has("overrides_file"):
        if folder is None:
            raise case.fail(
                "overrides_file", "is not available here: give [[unit_cost_override]] tables"
            )
        overrides += packs.read_overrides_csv(folder / case.text("overrides_file"))
    for f in root.tables("unit_cost_override", []):
        f.only(UNIT_COST_FIELDS)
        row = {k: str(f.raw(k, "")) for k in UNIT_COST_FIELDS if k != "value"}
        row["value"] = str(f.number("value", lo=0))
        for key in ("code", "price_year", "paying_agency", "source"):
            if not row[key]:
                raise f.fail(key, "is required (provenance on every value)")
        overrides.append(packs.unit_cost_from_row(row, f.where("value")))
    return packs.gmca_unit_costs().with_overrides(overrides)


# --- portfolio -------------------------------------------------------------------------------


def read_portfolio(f: Fields, case: Case, folder: Path | None) -> None:
    f.only(PORTFOLIO_FIELDS)
    for o in f.tables("option"):
        case.options.append(read_option(o, case, folder))
    names = [o.name for o in case.options]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise f.fail(
                f"option[{i}].case", f"{name} is already an option: give it several scales instead"
            )
    agency = f.table("agency_budgets", {})
    capacity = f.table("capacity", {})
    constraints = Constraints(
        total_budget=f.number("budget", lo=0) if f.has("budget") else None,
        agency_budgets={str(k): agency.number(str(k), lo=0) for k in agency.data},
        capacity={str(k): capacity.number(str(k), lo=0) for k in capacity.data},
        risk_floor=f.number("risk_floor") if f.has("risk_floor") else None,
        alpha=f.number("risk_alpha", 0.10, lo=0.01, hi=0.5),
    )
    case.portfolio = PortfolioSpec(
        objective=f.text("objective", "npv", tuple(o for o in OBJECTIVES if o != "cvar")),
        constraints=constraints,
        scenarios=f.integer("scenarios", 300, 10, 5000),
        overlaps=tuple(read_overlap(o, case) for o in f.tables("overlap", [])),
    )


def read_option(o: Fields, case: Case, folder: Path | None) -> PortfolioOptionSpec:
    o.only(("case", "scales", "group"))
    written = o.text("case")
    if folder is None:
        raise o.fail("case", "option case files are not available here")
    target = folder / written
    if _declared_kind(target) not in (None, "intervention"):
        raise o.fail("case", f"{target.name} must be an intervention case file")
    try:
        sub = read_case(target)
    except InputError as error:
        raise InputError(error.message, where=f"{o.where('case')} -> {error.where}") from error
    if sub.intervention is None:
        raise o.fail("case", f"{target.name} must be an intervention case file")
    return PortfolioOptionSpec(sub, o.numbers("scales", [1.0]), o.text("group", ""), written)


def read_overlap(f: Fields, case: Case) -> OverlapSpec:
    """Options that reach the same people: how many, and how their savings combine."""
    f.only(("options", "share", "combine", "outcomes"))
    names = [o.name for o in case.options]
    written = f.raw("options")
    if (
        not isinstance(written, list)
        or len(written) < 2
        or not all(isinstance(w, str) for w in written)
    ):
        raise f.fail(
            "options", 'must list two or more option case files, e.g. ["a.toml", "b.toml"]'
        )
    for w in written:
        if w not in names:
            raise f.fail(
                "options", f"{w!r} is not a [[portfolio.option]] case ({', '.join(names)})"
            )
    indexes = tuple(names.index(w) for w in written)
    outcomes = tuple(str(x) for x in f.raw("outcomes", []))
    avoided = [_avoided_costs(case.options[i].case) for i in indexes]
    shared = set.intersection(*avoided)
    for name in outcomes:
        if name not in shared:
            raise f.fail(
                "outcomes",
                f"{name!r} is not an avoided cost both options share ({', '.join(sorted(shared)) or 'none'})",
            )
    if not shared:
        raise f.fail(
            "options",
            "these options avoid no cost in common (no unit cost or outcome name is shared)",
        )
    return OverlapSpec(
        options=indexes,
        share=f.share("share", 1.0),
        combine=f.text("combine", "independent", COMBINE_RULES),
        outcomes=outcomes,
        where=f.where("options"),
    )


def _avoided_costs(case: Case) -> set[str]:
    """The names an overlap may give for an option's outcomes: unit cost codes and names."""
    assert case.intervention is not None
    return {o.unit_cost_ref for o in case.intervention.outcomes} | {
        o.name for o in case.intervention.outcomes
    }


def _declared_kind(path: Path) -> object:
    """The `kind` a case file declares, read without following its options: a portfolio that
    names itself (or another portfolio) would otherwise be read again and again without end."""
    try:
        declared: Any = tomllib.loads(read_user_text(path)).get("case")
    except (InputError, tomllib.TOMLDecodeError):
        return None  # read_case reports it, naming the file
    return declared.get("kind") if isinstance(declared, Mapping) else None
