"""The tables behind every report: the same rows go to HTML, CSV, JSON and XLSX."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from upstream.economics.appraise import (
    Appraisal,
    InterventionAppraisal,
    PortfolioAppraisal,
    ProgrammeAppraisal,
)

Cell = str | float | int | None


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def clean(value: Any) -> Cell:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value  # type: ignore[no-any-return]


def _rows(rows: list[tuple[Any, ...]]) -> list[tuple[Cell, ...]]:
    return [tuple(clean(v) for v in r) for r in rows]


def intervention_tables(a: InterventionAppraisal, year0: int = 0) -> list[Table]:
    f, s = a.flows, a.summary
    costs, fiscal = f.costs[0].sum(axis=0), f.fiscal[0].sum(axis=0)
    cash = f.cashable[0].sum(axis=0)
    social = fiscal + f.economic[0] + f.social[0]
    cashflow = [
        (
            t,
            costs[t],
            fiscal[t],
            cash[t],
            social[t],
            social[t] - costs[t],
            f.factors[t],
            s.cumulative_net[0, t],
        )
        for t in range(len(f.factors))
    ]
    agencies = [(p.agency, p.pv_costs, p.pv_fiscal, p.pv_cashable, p.net) for p in a.positions]
    matrix = [(payer, *a.matrix[i]) for i, payer in enumerate(f.agencies)]
    outcomes = [
        (name, float(f.changed[name][0]), float(f.by_outcome[name][0].sum()))
        for name in f.by_outcome
    ]
    return [
        Table("cashflows", "Cash flows by year (£)", ("year", "costs", "fiscal_benefits", "cashable", "total_benefits", "net", "discount_factor", "cumulative_discounted_net"), _rows(cashflow)),
        Table("agencies", "Who pays and who benefits (present values, £)", ("agency", "pv_costs", "pv_fiscal_benefits", "pv_cashable", "net"), _rows(agencies)),
        Table("who_benefits_matrix", "Benefits to each agency (columns) bought by each payer's money (rows), £ PV", ("payer", *f.agencies), _rows(matrix)),
        Table("outcomes", "Outcomes changed", ("outcome", "people_changed_per_intake", "undiscounted_benefit"), _rows(outcomes)),
    ]  # fmt: skip


def programme_tables(p: ProgrammeAppraisal) -> list[Table]:
    r = p.result
    rows = [
        (
            t,
            r.costs[t],
            r.cashable[t],
            r.cost_avoidance[t],
            r.net[t],
            r.annual_benefit_ratio[t],
            r.cumulative_net[t],
        )
        for t in range(len(r.years))
    ]
    by_ws = [(name, *v) for name, v in r.costs_by_workstream.items()]
    by_area = [(name, *v) for name, v in r.benefits_by_area.items()]
    by_agency = [(name, *v) for name, v in r.agency_net.items()]
    years = tuple(f"year_{t}" for t in range(len(r.years)))
    return [
        Table("cashflows", "Business case by year (£, real terms, undiscounted)", ("year", "costs", "cashable", "cost_avoidance", "net", "benefit_ratio", "cumulative_net"), _rows(rows)),
        Table("workstreams", "Lifecycle costs by workstream (£)", ("workstream", *years), _rows(by_ws)),
        Table("benefit_areas", "Benefits by area (£)", ("benefit_area", *years), _rows(by_area)),
        Table("agency_cashflows", "Net cash flow by agency (£)", ("agency", *years), _rows(by_agency)),
    ]  # fmt: skip


def portfolio_tables(p: PortfolioAppraisal) -> list[Table]:
    chosen = {id(o) for o in p.selection.chosen}
    options = [
        (o.name, o.scale, o.npv, o.fiscal, o.cost, "yes" if id(o) in chosen else "no")
        for o in p.options
    ]
    front = [
        (
            pt.risk_floor,
            pt.selection.expected_npv,
            pt.selection.cvar,
            "; ".join(o.name for o in pt.selection.chosen),
        )
        for pt in p.frontier
    ]
    return [
        Table("options", "Options (expected values over Monte Carlo scenarios, £ PV)", ("option", "scale", "expected_npv", "expected_fiscal", "pv_cost", "chosen"), _rows(options)),
        Table("frontier", "Risk-return frontier", ("cvar_floor", "expected_npv", "cvar", "portfolio"), _rows(front)),
    ]  # fmt: skip


def uncertainty_tables(a: Appraisal) -> list[Table]:
    u = a.intervention or a.programme
    if u is None:
        return []
    unc = u.uncertainty
    bars = [
        (b.path, b.low_value, b.high_value, b.npv_at_low, b.npv_at_high, unc.switching.get(b.path))
        for b in unc.bars
    ]
    scen = [(s.name, s.npv, s.fiscal_roi, s.payback_year) for s in unc.scenarios]
    out = [
        Table("tornado", "Sensitivity of NPV to each input (others central)", ("input", "low", "high", "npv_at_low", "npv_at_high", "switching_value"), _rows(bars)),
        Table("scenarios", "Low / medium / high scenarios", ("scenario", "npv", "fiscal_roi", "payback_year"), _rows(scen)),
    ]  # fmt: skip
    if unc.monte_carlo is not None:
        mc = unc.monte_carlo
        rows = [(f"p{k}", v) for k, v in mc.percentiles().items()]
        rows += [
            ("mean", mc.mean_npv),
            ("P(NPV>0)", mc.p_npv_positive),
            ("P(fiscal ROI>=1)", mc.p_fiscal_roi_at_least_1),
            (f"P(payback<={mc.payback_within} years)", mc.p_payback_within),
        ]
        out.append(
            Table(
                "monte_carlo",
                f"Monte Carlo: {mc.draws} draws, seed {mc.seed}",
                ("statistic", "value"),
                _rows(rows),
            )
        )
    return out


def assumption_table(a: Appraisal) -> Table:
    case = a.case
    rows: list[tuple[Any, ...]] = [
        (what, value, source) for what, value, source in case.assumptions
    ]
    for outcome, p in case.priced.items():
        note = " (local override)" if p.cost.overridden else ""
        rows.append(
            (
                f"unit cost: {outcome}",
                f"£{p.value:,.0f} per {p.cost.unit.lower().removeprefix('per ') or 'unit'} ({p.cost.code}, £{p.cost.value:,.0f} at {p.cost.price_year} prices){note}",
                f"{p.cost.source}; licence {p.cost.licence or 'n/a'}",
            )
        )
    for path, u in case.uncertain.items():
        rows.append(
            (
                f"range: {path}",
                f"{u.low:g} / {u.central:g} / {u.high:g} ({u.distribution})",
                "case file",
            )
        )
    s = case.settings
    rows.append(
        (
            "discounting",
            f"{s.discount} schedule, year 0 undiscounted; lower schedule as sensitivity",
            "HM Treasury Green Book (2026), Annex A6",
        )
    )
    rows.append(
        (
            "price year",
            f"{s.price_year} ({s.price_year_convention} financial-year convention)",
            "HM Treasury GDP deflator, December 2025",
        )
    )
    return Table(
        "assumptions", "Assumptions and sources", ("assumption", "value", "source"), _rows(rows)
    )


def all_tables(a: Appraisal) -> list[Table]:
    if a.intervention:
        tables = intervention_tables(a.intervention)
    elif a.programme:
        tables = programme_tables(a.programme)
    else:
        assert a.portfolio is not None
        tables = portfolio_tables(a.portfolio)
    return [*tables, *uncertainty_tables(a), assumption_table(a)]
