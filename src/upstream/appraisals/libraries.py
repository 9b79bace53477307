"""The what-works library and the unit-cost library as rows people can search and read.

Read from the economics core's parameter packs (`economics.packs`, `economics.whatworks`,
`economics.unitcosts`): nothing here changes a value, it only says each one with its evidence,
price year, source and licence. The WSIPP benefit-cost results sit beside the library as what
they are: US meta-analyses in US dollars of various years, a sanity check and not local evidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from upstream.economics import packs
from upstream.economics.unitcosts import UnitCost
from upstream.economics.whatworks import (
    LibraryOutcome,
    WhatWorksEntry,
    WsippResult,
    library_from_pack,
    wsipp_from_rows,
)

# The Early Intervention Foundation's evidence standards, as the pack's header cites them
# (params/what_works.toml): the words commissioners read in the EIF Guidebook.
EVIDENCE_LEVELS = {
    "4": "Level 4: long-term impact shown by multiple rigorous evaluations",
    "3": "Level 3: short-term impact shown by at least one rigorous evaluation",
    "2": "Level 2: preliminary evidence",
    "NE": "Found not effective in a rigorous study",
    "NL2": "Not level 2: evidence short of preliminary",
    "WSIPP": "WSIPP meta-analysis (Washington State, US dollars): a sanity check, not local evidence",
}
EVIDENCE_SHORT = {
    "4": "EIF level 4",
    "3": "EIF level 3",
    "2": "EIF level 2",
    "NE": "Not effective",
    "NL2": "Below EIF level 2",
    "WSIPP": "WSIPP (US)",
}
AGENCIES = {
    "local_authority": "Local authority",
    "nhs": "NHS",
    "dwp": "Department for Work and Pensions",
    "criminal_justice": "Criminal justice",
    "multiple": "Several agencies",
    "police": "Police",
    "probation": "Probation",
    "courts": "Courts",
    "prisons": "Prisons",
    "hm_treasury": "HM Treasury",
    "hmrc": "HM Revenue and Customs",
    "dfe": "Department for Education",
    "moj": "Ministry of Justice",
    "fire": "Fire and rescue",
    "schools": "Schools",
}
CURRENCIES = {"GBP": "£", "USD": "US$"}
# The library pack names no licence of its own: its figures are citations of the publications
# named beside each one, collected in Upstream (MIT licence, LICENSE at the root).
LIBRARY_LICENCE = "Upstream what-works library (MIT); figures as published in the cited source"
WSIPP_PREFIX = "wsipp-"


def agency_label(code: str) -> str:
    return AGENCIES.get(code, code.replace("_", " ").capitalize())


def money(value: float, currency: str = "GBP") -> str:
    """£1,344 (whole pounds at or above £100, pence below: unit costs of a few pounds exist)."""
    symbol = CURRENCIES.get(currency, f"{currency} ")
    return f"{symbol}{value:,.0f}" if abs(value) >= 100 else f"{symbol}{value:,.2f}"


def words(name: str) -> str:
    """An outcome's key as words: conduct_problems -> Conduct problems."""
    return name.replace("_", " ").strip().capitalize()


# --- what works -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    outcome: str
    measure: str
    effect: str
    source: str
    uncertain: bool


@dataclass(frozen=True)
class Programme:
    """A what-works entry (or a WSIPP result) as one row of the library page."""

    id: str
    name: str
    evidence_level: str
    evidence: str
    evidence_source: str
    target_cohort: str
    effects: tuple[Effect, ...]
    cost: str
    cost_price_year: str
    cost_source: str
    licence: str
    uncertain: bool
    caveat: str = ""
    attrition: str = ""
    duration: str = ""
    age_groups: tuple[str, ...] = ()
    usable_in_a_case: bool = False  # a library key a case file's `library =` may name
    wsipp: tuple[WsippRow, ...] = ()  # the WSIPP results the entry is checked against
    evidence_check: str = ""  # where the evidence is weaker than an example might imply
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def evidence_short(self) -> str:
        return EVIDENCE_SHORT.get(self.evidence_level, self.evidence_level)

    @property
    def text(self) -> str:
        """What a search looks in."""
        parts = [
            self.id,
            self.name,
            self.target_cohort,
            self.evidence_source,
            self.caveat,
            self.evidence_check,
        ]
        parts += [f"{e.outcome} {e.measure} {e.source}" for e in self.effects]
        return " ".join(parts).lower()

    def row(self) -> dict[str, Any]:
        """The programme as a row of the CSV and JSON twins."""
        return {
            "id": self.id,
            "name": self.name,
            "evidence_level": self.evidence_level,
            "evidence": self.evidence,
            "evidence_source": self.evidence_source,
            "effects": [f"{e.outcome}: {e.effect}" for e in self.effects],
            "cost": self.cost,
            "cost_price_year": self.cost_price_year,
            "cost_source": self.cost_source,
            "licence": self.licence,
            "uncertain": self.uncertain,
            "caveat": self.caveat,
            "evidence_check": self.evidence_check,
            "wsipp_programs": [w.program for w in self.wsipp],
        }


@dataclass(frozen=True)
class WsippRow:
    program: str
    literature_review: str
    benefits: str
    taxpayer_benefits: str
    cost: str
    npv: str
    benefit_cost_ratio: str
    chance_benefits_exceed_costs: str
    source: str
    licence: str


PROGRAMME_COLUMNS = (
    "id", "name", "evidence_level", "evidence", "evidence_source", "effects", "cost",
    "cost_price_year", "cost_source", "licence", "uncertain", "caveat", "evidence_check",
    "wsipp_programs",
)  # fmt: skip


def _effect(outcome: LibraryOutcome) -> Effect:
    if outcome.effect_size is not None:
        effect = f"effect size d = {outcome.effect_size:g}"
    elif outcome.success is not None:
        effect = f"success {outcome.success:.0%}"
    else:
        effect = "no figure cited"
    return Effect(words(outcome.name), outcome.measure, effect, outcome.source, outcome.uncertain)


def _cost(costs: Sequence[float], currency: str) -> str:
    if not costs:
        return ""
    if len(costs) == 1:
        return f"{money(costs[0], currency)} per participant"
    by_year = ", ".join(money(c, currency) for c in costs)
    return f"{by_year} per participant (by year)"


def _wsipp_row(raw: dict[str, str], result: WsippResult) -> WsippRow:
    ratio = result.benefit_cost_ratio
    return WsippRow(
        program=result.program,
        literature_review=raw.get("literature_review", ""),
        benefits=money(result.benefits_usd, "USD"),
        taxpayer_benefits=money(result.taxpayer_benefits_usd, "USD"),
        cost=money(result.cost_usd, "USD"),
        npv=money(result.npv_usd, "USD"),
        benefit_cost_ratio=f"{ratio:.2f}"
        if ratio is not None
        else (raw.get("ratio_note") or "not shown: benefits are not positive"),
        chance_benefits_exceed_costs=f"{result.chance_benefits_exceed_costs:.0%}",
        source=raw.get("source", ""),
        licence=raw.get("licence", ""),
    )


@cache
def wsipp_rows() -> tuple[WsippRow, ...]:
    raw = packs.wsipp_results()
    return tuple(_wsipp_row(r, w) for r, w in zip(raw, wsipp_from_rows(raw), strict=True))


def _from_library(entry: WhatWorksEntry, wsipp: dict[str, WsippRow]) -> Programme:
    return Programme(
        id=entry.id,
        name=entry.name,
        evidence_level=entry.evidence_level,
        evidence=EVIDENCE_LEVELS.get(entry.evidence_level, entry.evidence_level),
        evidence_source=entry.evidence_source,
        target_cohort=entry.target_cohort,
        effects=tuple(_effect(o) for o in entry.outcomes),
        cost=_cost(entry.cost_per_participant, entry.cost_currency),
        cost_price_year=entry.cost_price_year,
        cost_source=entry.cost_source,
        licence=LIBRARY_LICENCE,
        uncertain=entry.uncertain,
        caveat=entry.caveat,
        attrition=f"{entry.attrition:.0%}" if entry.attrition is not None else "",
        duration=f"{entry.duration_weeks:g} weeks" if entry.duration_weeks else "",
        age_groups=entry.age_groups,
        usable_in_a_case=True,
        wsipp=tuple(wsipp[p] for p in _linked(entry) if p in wsipp),
        evidence_check=entry.evidence_check,
        extra={str(k): str(v) for k, v in entry.extra.items()},
    )


def _from_wsipp(number: int, row: WsippRow) -> Programme:
    return Programme(
        id=f"{WSIPP_PREFIX}{number}",
        name=row.program,
        evidence_level="WSIPP",
        evidence=EVIDENCE_LEVELS["WSIPP"],
        evidence_source=f"WSIPP benefit-cost results, literature review {row.literature_review}",
        target_cohort="",
        effects=(
            Effect(
                "Benefits exceed costs",
                "Chance, over WSIPP's Monte Carlo",
                f"{row.chance_benefits_exceed_costs}; benefit-cost ratio {row.benefit_cost_ratio}",
                row.source,
                False,
            ),
        ),
        cost=f"{row.cost} per participant",
        cost_price_year="US dollars of various years",
        cost_source=row.source,
        licence=row.licence,
        uncertain=False,
        caveat="US dollars of various years, Washington State context: not local evidence.",
        wsipp=(row,),
    )


def _linked(entry: WhatWorksEntry) -> tuple[str, ...]:
    """The WSIPP programmes an entry names (`wsipp_programs`, or the older `wsipp_program`)."""
    named = tuple(entry.wsipp_programs) or (str(entry.extra.get("wsipp_program", "")),)
    return tuple(p for p in named if p)


@cache
def programmes() -> tuple[Programme, ...]:
    """The library's entries first (the ones a case file can name), then WSIPP's results."""
    wsipp = {row.program: row for row in wsipp_rows()}
    library = library_from_pack(packs.what_works_pack())
    own = [_from_library(entry, wsipp) for entry in library.values()]
    return (*own, *(_from_wsipp(i, row) for i, row in enumerate(wsipp_rows(), 1)))


def programme(entry_id: str) -> Programme | None:
    return next((p for p in programmes() if p.id == entry_id), None)


def library_choices() -> list[tuple[str, str]]:
    """The entries a case file's `library =` may name, as (key, name)."""
    return [(p.id, p.name) for p in programmes() if p.usable_in_a_case]


def find_programmes(query: str = "", level: str = "") -> list[Programme]:
    found = [p for p in programmes() if not level or p.evidence_level == level]
    return [p for p in found if _matches(query, p.text)]


def _matches(query: str, text: str) -> bool:
    """Every word of the query appears in the text (any order, any case)."""
    return all(word in text for word in query.lower().split())


# --- unit costs -------------------------------------------------------------------------------

UNIT_COST_COLUMNS = (
    "code", "category", "description", "unit", "value", "price_year", "paying_agency",
    "agency_detail", "value_basis", "source", "edition", "licence",
)  # fmt: skip


@cache
def unit_costs() -> tuple[UnitCost, ...]:
    return tuple(packs.gmca_unit_costs().costs.values())


def unit_cost_categories() -> list[str]:
    return sorted({c.category for c in unit_costs() if c.category})


def unit_cost_agencies() -> list[tuple[str, str]]:
    return sorted(
        {(c.paying_agency, agency_label(c.paying_agency)) for c in unit_costs()},
        key=lambda pair: pair[1],
    )


def find_unit_costs(query: str = "", category: str = "", agency: str = "") -> list[UnitCost]:
    found = (
        c
        for c in unit_costs()
        if (not category or c.category == category) and (not agency or c.paying_agency == agency)
    )
    return [
        c
        for c in found
        if _matches(query, f"{c.code} {c.description} {c.unit} {c.category}".lower())
    ]


def unit_cost_row(cost: UnitCost) -> dict[str, Any]:
    return {column: getattr(cost, column) for column in UNIT_COST_COLUMNS}


def unit_cost_codes() -> set[str]:
    return {c.code for c in unit_costs()}


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of a long list: its items, its number and how many there are."""

    items: list[Any]
    number: int
    total_pages: int
    total: int
    first: int  # the position of the first item shown, counting from 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def page_of(items: Iterable[Any], asked: str, per_page: int) -> Page:
    """The page asked for; a page number that is not one (text, 0, past the end) gives the
    nearest page there is, as following an old link should."""
    rows = list(items)
    total_pages = max(1, math.ceil(len(rows) / per_page))
    number = int(asked) if asked.isdigit() and len(asked) < 7 else 1
    number = min(max(number, 1), total_pages)
    start = (number - 1) * per_page
    return Page(rows[start : start + per_page], number, total_pages, len(rows), start + 1)
