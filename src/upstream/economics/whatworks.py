"""The what-works library: interventions, the outcomes they change, and the evidence for them.

Pure: takes the parsed pack (`packs.what_works_pack()`, `packs.wsipp_results()`) and returns
dataclasses. A library entry pre-fills a case file's intervention; local figures win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from upstream.errors import InputError

EVIDENCE_LEVELS = ("4", "3", "2", "NE", "NL2", "WSIPP")


@dataclass(frozen=True)
class LibraryOutcome:
    name: str
    measure: str
    source: str
    effect_size: float | None = None
    success: float | None = None
    uncertain: bool = True


@dataclass(frozen=True)
class WhatWorksEntry:
    id: str
    name: str
    target_cohort: str
    evidence_level: str
    evidence_source: str
    age_groups: tuple[str, ...] = ()
    outcomes: tuple[LibraryOutcome, ...] = ()
    attrition: float | None = None
    duration_weeks: float | None = None
    cost_per_participant: tuple[float, ...] = ()
    cost_price_year: str = ""
    cost_currency: str = "GBP"
    cost_source: str = ""
    caveat: str = ""
    uncertain: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Exact WSIPP benefit-cost rows (params/wsipp_2017.csv `program_name`) for this programme
    # or its nearest counterpart, and what checking against them (and the cited sources) found.
    wsipp_programs: tuple[str, ...] = ()
    evidence_check: str = ""


def _outcome(raw: Mapping[str, Any], where: str) -> LibraryOutcome:
    if "source" not in raw:
        raise InputError("every outcome needs a source (citation)", where=where)
    return LibraryOutcome(
        name=str(raw["name"]),
        measure=str(raw.get("measure", "")),
        source=str(raw["source"]),
        effect_size=raw.get("effect_size"),
        success=raw.get("success"),
        uncertain=bool(raw.get("uncertain", True)),
    )


def entry_from_pack(key: str, raw: Mapping[str, Any]) -> WhatWorksEntry:
    where = f"what_works.toml: {key}"
    level = str(raw.get("evidence_level", ""))
    if level not in EVIDENCE_LEVELS:
        raise InputError(
            f"evidence_level must be one of {EVIDENCE_LEVELS}, got {level!r}", where=where
        )
    if raw.get("cost_per_participant") and not raw.get("cost_source"):
        raise InputError("cost_per_participant needs a cost_source", where=where)
    return WhatWorksEntry(
        id=key,
        name=str(raw["name"]),
        target_cohort=str(raw.get("target_cohort", "")),
        evidence_level=level,
        evidence_source=str(raw.get("evidence_source", "")),
        age_groups=tuple(raw.get("age_groups", ())),
        outcomes=tuple(
            _outcome(o, f"{where}.outcome[{i}]") for i, o in enumerate(raw.get("outcome", []))
        ),
        attrition=raw.get("attrition"),
        duration_weeks=raw.get("duration_weeks"),
        cost_per_participant=tuple(float(c) for c in raw.get("cost_per_participant", ())),
        cost_price_year=str(raw.get("cost_price_year", "")),
        cost_currency=str(raw.get("cost_currency", "GBP")),
        cost_source=str(raw.get("cost_source", "")),
        caveat=str(raw.get("caveat", "")),
        uncertain=bool(raw.get("evidence_uncertain", True) or raw.get("cost_uncertain", False)),
        extra={k: v for k, v in raw.items() if k in ("wsipp_program", "attrition_source")},
        wsipp_programs=tuple(
            str(p)
            for p in raw.get("wsipp_programs")
            or ([raw["wsipp_program"]] if raw.get("wsipp_program") else [])
        ),
        evidence_check=str(raw.get("evidence_check", "")),
    )


def library_from_pack(pack: Mapping[str, Any]) -> dict[str, WhatWorksEntry]:
    return {key: entry_from_pack(key, raw) for key, raw in pack.items()}


@dataclass(frozen=True)
class WsippResult:
    """One WSIPP benefit-cost result (US dollars, mixed years): a sanity check, not local evidence."""

    program: str
    benefits_usd: float
    taxpayer_benefits_usd: float
    cost_usd: float
    npv_usd: float
    benefit_cost_ratio: float | None  # None where WSIPP's ratio is misleading (benefits ≤ 0)
    chance_benefits_exceed_costs: float


def wsipp_from_rows(rows: list[dict[str, str]]) -> list[WsippResult]:
    return [
        WsippResult(
            program=r["program_name"],
            benefits_usd=float(r["total_benefits_usd"]),
            taxpayer_benefits_usd=float(r["taxpayer_benefits_usd"]),
            cost_usd=float(r["cost_usd"]),
            npv_usd=float(r["npv_usd"]),
            benefit_cost_ratio=float(r["benefit_cost_ratio"]) if r["benefit_cost_ratio"] else None,
            chance_benefits_exceed_costs=float(r["chance_benefits_exceed_costs"]),
        )
        for r in rows
    ]


def wsipp_as_entries(results: list[WsippResult]) -> dict[str, WhatWorksEntry]:
    """WSIPP results as library entries (evidence 'WSIPP': a meta-analysis, US context)."""
    return {
        f"wsipp:{r.program}": WhatWorksEntry(
            id=f"wsipp:{r.program}",
            name=r.program,
            target_cohort="",
            evidence_level="WSIPP",
            evidence_source="WSIPP benefit-cost results c. 2017 (meta-analysis; Washington State context)",
            cost_per_participant=(r.cost_usd,),
            cost_currency="USD",
            cost_source="WSIPP benefit-cost results c. 2017",
            caveat="US dollars of various years; not local evidence",
        )
        for r in results
    }
