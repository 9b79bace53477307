"""Read the versioned parameter packs shipped in `params/` (the only file reading in the core).

Each pack is a CSV or TOML file with provenance on every row: source, edition, price year where
it applies, and licence. `MANIFEST` records the version of each pack; reports print it.
"""

from __future__ import annotations

import csv
import io
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from upstream.economics.discounting import Deflator, DiscountSchedule, OptimismBias, RateBand
from upstream.economics.unitcosts import UnitCost, UnitCostLibrary
from upstream.errors import InputError, read_user_text

MANIFEST = {
    "unit_costs": "unit_costs_gmca_v1.4.csv (GMCA Unit Cost Database v1.4)",
    "gdp_deflator": "gdp_deflator.csv (HM Treasury, December 2025 release, 2024 = 100)",
    "discounting": "stpr_schedule.csv (HM Treasury Green Book 2026, Annex A6)",
    "optimism_bias": "optimism_bias.csv (HM Treasury supplementary guidance, Mott MacDonald 2002)",
    "adjustments": "adjustments.toml (HCA Additionality Guide 4th ed. 2014; Social Value UK 2012)",
    "what_works": "what_works.toml (Upstream what-works library, version 1)",
    "wsipp": "wsipp_2017.csv (WSIPP benefit-cost results c. 2017, US dollars)",
}


def _params_file(name: str) -> Path:
    return Path(str(resources.files("upstream.economics") / "params" / name))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=str(path)) from error


def unit_cost_from_row(row: dict[str, str], where: str) -> UnitCost:
    try:
        value = float(row["value"])
    except (KeyError, ValueError) as error:
        raise InputError(
            f"value must be a number, got {row.get('value')!r}", where=where
        ) from error
    for field in ("code", "price_year", "paying_agency", "source"):
        if not row.get(field):
            raise InputError(f"{field} is required (provenance on every value)", where=where)
    return UnitCost(
        code=row["code"],
        description=row.get("description", ""),
        unit=row.get("unit", ""),
        value=value,
        price_year=row["price_year"],
        paying_agency=row["paying_agency"],
        source=row["source"],
        licence=row.get("licence", ""),
        edition=row.get("edition", ""),
        category=row.get("category", ""),
        agency_detail=row.get("agency_detail", ""),
        value_basis=row.get("value_basis", "fiscal") or "fiscal",
    )


@cache
def gmca_unit_costs() -> UnitCostLibrary:
    rows = read_rows(_params_file("unit_costs_gmca_v1.4.csv"))
    costs = {
        r["code"]: unit_cost_from_row(r, f"unit_costs_gmca_v1.4.csv row {i}")
        for i, r in enumerate(rows, 2)
    }
    return UnitCostLibrary(costs, "GMCA Unit Cost Database v1.4")


def read_overrides_csv(path: Path) -> list[UnitCost]:
    """A local overrides CSV has the pack's columns (code, value, price_year, paying_agency, source…)."""
    if not path.exists():
        raise InputError("overrides file not found", where=str(path))
    rows = csv.DictReader(io.StringIO(read_user_text(path, what="overrides file"), newline=""))
    return [unit_cost_from_row(r, f"{path.name} row {i}") for i, r in enumerate(rows, 2)]


@cache
def gdp_deflator() -> Deflator:
    rows = read_rows(_params_file("gdp_deflator.csv"))
    return Deflator({int(r["year"]): float(r["index"]) for r in rows}, rows[0]["source"])


@cache
def discount_schedules() -> dict[str, DiscountSchedule]:
    bands: dict[str, list[RateBand]] = {}
    source = ""
    for r in read_rows(_params_file("stpr_schedule.csv")):
        bands.setdefault(r["schedule"], []).append(
            RateBand(int(r["year_from"]), int(r["year_to"]), float(r["rate"]))
        )
        source = r["source"]
    return {name: DiscountSchedule(name, tuple(b), source) for name, b in bands.items()}


@cache
def optimism_bias_table() -> dict[str, OptimismBias]:
    return {
        r["category"]: OptimismBias(
            r["category"], float(r["capex_upper"]), float(r["capex_lower"]), r["source"]
        )
        for r in read_rows(_params_file("optimism_bias.csv"))
    }


@cache
def adjustments_pack() -> dict[str, Any]:
    return read_toml(_params_file("adjustments.toml"))


@cache
def what_works_pack() -> dict[str, Any]:
    return read_toml(_params_file("what_works.toml"))


@cache
def wsipp_results() -> list[dict[str, str]]:
    return read_rows(_params_file("wsipp_2017.csv"))
