"""Convert the public reference files into Upstream's parameter packs (I/O lives here).

Run once per new edition and commit the output:

    python -m upstream.economics.convert /work/shared/data/reference

Every row written carries its provenance (source, edition, price year, licence), so a value
shown in a report can always be traced back to the document it came from.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PARAMS_DIR = Path(__file__).with_name("params")

GMCA_SOURCE = "GMCA Unit Cost Database v1.4 (New Economy Manchester)"
GMCA_EDITION = "v1.4"
GMCA_LICENCE = "Creative Commons (via GO Lab, University of Oxford)"

# The database spells agencies inconsistently ("Local authority" / "Local Authority"); we keep
# the original in `agency_source` and map to one short code per paying agency.
AGENCY_CODES: Mapping[str, str] = {
    "nhs": "nhs",
    "local authority": "local_authority",
    "dwp": "dwp",
    "criminal justice system": "criminal_justice",
    "multiple": "multiple",
    "police": "police",
    "probation": "probation",
    "court": "courts",
    "prison / young offenders institute": "prisons",
    "hm treasury": "hm_treasury",
    "hm revenue and customs": "hmrc",
    "department for education": "dfe",
    "ministry of justice": "moj",
    "fire service": "fire",
    "schools": "schools",
}

UNIT_COST_FIELDS = (
    "code",
    "category",
    "description",
    "unit",
    "value",
    "price_year",
    "paying_agency",
    "agency_source",
    "agency_detail",
    "value_basis",
    "source",
    "edition",
    "licence",
)


def agency_code(raw: str) -> str:
    return AGENCY_CODES[raw.strip().lower()]


def value_basis(description: str) -> str:
    # A few GMCA rows are totals of fiscal, economic and social costs; the rest are fiscal.
    # Mixing them up double-counts, so we label each row.
    text = description.lower()
    return "fiscal_economic_social" if "fiscal, economic and social" in text else "fiscal"


def gmca_rows(database: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for category in database["categories"].values():
        for entry in category["entries"]:
            rows.append(
                {
                    "code": entry["code"],
                    "category": category["sheet"],
                    "description": " ".join(entry["description"].split()),
                    "unit": entry["unit"],
                    "value": repr(float(entry["cost_gbp"])),
                    "price_year": entry["source_detail"],
                    "paying_agency": agency_code(entry["agency"]),
                    "agency_source": entry["agency"],
                    "agency_detail": entry["agency_detail"] or "",
                    "value_basis": value_basis(entry["description"]),
                    "source": GMCA_SOURCE,
                    "edition": GMCA_EDITION,
                    "licence": GMCA_LICENCE,
                }
            )
    return rows


def write_csv(path: Path, fields: Iterable[str], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


DEFLATOR_SOURCE = (
    "HM Treasury GDP deflators at market prices, December 2025 Quarterly National Accounts "
    "release (calendar years, 2024 = 100)"
)
STPR_SOURCE = "HM Treasury Green Book (2026) discounting guidance, Annex A6"
OB_SOURCE = "HM Treasury Supplementary Green Book Guidance: Optimism Bias (Mott MacDonald 2002)"
OGL = "Open Government Licence v3.0"

# Lower bounds are not in the reference CSV; these come from the same Treasury supplementary
# guidance table (Mott MacDonald 2002, Table 1), as listed in the reference README.
OPTIMISM_BIAS_LOWER = {
    "standard_buildings": ("0.02", "0.01"),
    "non_standard_buildings": ("0.04", "0.02"),
    "standard_civil_engineering": ("0.03", "0.01"),
    "non_standard_civil_engineering": ("0.06", "0.03"),
    "equipment_development": ("0.10", "0.10"),
    "outsourcing": ("0.00", ""),
}


def convert_deflator(reference: Path) -> list[dict[str, str]]:
    return [
        {"year": r["year"], "index": r["value"], "source": DEFLATOR_SOURCE, "licence": OGL}
        for r in read_csv(reference / "green-book-gdp_deflator.csv")
    ]


def convert_stpr(reference: Path) -> list[dict[str, str]]:
    rows = []
    for r in read_csv(reference / "green-book-stpr_schedule.csv"):
        base = {"year_from": r["year_from"], "year_to": r["year_to"]}
        # The upstream package labels the third column "catastrophic"; the 2026 Green Book uses
        # it as the lower schedule, a sensitivity test, so we name it for what it is used for.
        for schedule, column in (
            ("standard", "standard"),
            ("health", "health"),
            ("lower", "catastrophic"),
        ):
            rows.append(
                {
                    **base,
                    "schedule": schedule,
                    "rate": r[column],
                    "source": STPR_SOURCE,
                    "licence": OGL,
                }
            )
    return rows


def convert_optimism_bias(reference: Path) -> list[dict[str, str]]:
    rows = []
    for r in read_csv(reference / "green-book-optimism_bias.csv"):
        capex_lower, duration_lower = OPTIMISM_BIAS_LOWER[r["category"]]
        note = ""
        if r["category"] == "outsourcing":
            # The Treasury table gives N/A for outsourcing duration; 0.15 is the package's own
            # figure and the lower bound applies to operating cost only (README known problems).
            note = "duration_upper 0.15 not in Treasury table (N/A there); lower bound 0% on opex"
        rows.append(
            {
                "category": r["category"],
                "description": r["description"],
                "capex_upper": r["capex_upper"],
                "capex_lower": capex_lower,
                "duration_upper": r["duration_upper"],
                "duration_lower": duration_lower,
                "source": OB_SOURCE,
                "licence": OGL,
                "note": note,
            }
        )
    return rows


WSIPP_SOURCE = (
    "Washington State Institute for Public Policy benefit-cost results (scraped c. 2017; "
    "psthomas/risk-return data/wa_data.csv)"
)


def convert_wsipp(reference: Path) -> list[dict[str, str]]:
    rows = []
    for r in read_csv(reference / "wsipp-benefit-cost-results-2017.csv"):
        benefits, costs = float(r["total_benefits"]), -float(r["costs"])
        # WSIPP divides by costs even when benefits are negative, giving e.g. -101 for Scared
        # Straight; a ratio is only meaningful with positive benefits and positive costs.
        ratio_valid = benefits > 0 and costs > 0
        rows.append(
            {
                "program_name": " ".join(r["program_name"].split()),
                "literature_review": r["date_last_literature_review"],
                "total_benefits_usd": r["total_benefits"],
                "taxpayer_benefits_usd": r["taxpayer_benefits"],
                "non_taxpayer_benefits_usd": r["non-taxpayer_benefits"],
                "cost_usd": repr(costs),
                "npv_usd": r["benefits_minus_costs_NPV"],
                "benefit_cost_ratio": r["benefit_cost_ratio"] if ratio_valid else "",
                "ratio_note": ""
                if ratio_valid
                else "ratio withheld: benefits or costs not positive",
                "chance_benefits_exceed_costs": str(float(r["chance_benefits_exceed_costs"]) / 100),
                "source": WSIPP_SOURCE,
                "licence": "WSIPP published results; US dollars of various years; not local evidence",
            }
        )
    return rows


def convert_all(reference: Path, out: Path = PARAMS_DIR) -> None:
    database = json.loads((reference / "gmca-unit-cost-database-v1.4.json").read_text("utf-8"))
    write_csv(out / "unit_costs_gmca_v1.4.csv", UNIT_COST_FIELDS, gmca_rows(database))
    write_csv(
        out / "gdp_deflator.csv",
        ("year", "index", "source", "licence"),
        convert_deflator(reference),
    )
    stpr_fields = ("year_from", "year_to", "schedule", "rate", "source", "licence")
    write_csv(out / "stpr_schedule.csv", stpr_fields, convert_stpr(reference))
    ob_rows = convert_optimism_bias(reference)
    write_csv(out / "optimism_bias.csv", list(ob_rows[0]), ob_rows)
    wsipp_rows = convert_wsipp(reference)
    write_csv(out / "wsipp_2017.csv", list(wsipp_rows[0]), wsipp_rows)


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    convert_all(Path(sys.argv[1]))
