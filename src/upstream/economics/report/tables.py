"""The tables behind every report: the same rows go to HTML, CSV, JSON and XLSX.

Each column has a key (the CSV/JSON header), a label (what the HTML shows) and a kind, which
says how the HTML writes its numbers (money, share, ratio, year, ...). Cells hold numbers, so
the CSV stays machine-readable; names a reader sees (outcomes, agencies, inputs) are labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from upstream.economics import labels
from upstream.economics.appraise import (
    Appraisal,
    InterventionAppraisal,
    PortfolioAppraisal,
    ProgrammeAppraisal,
)
from upstream.economics.cba import safe_ratio
from upstream.economics.discounting import FloatArray

Cell = str | float | int | None
KINDS = ("text", "money", "share", "ratio", "factor", "year", "index", "count", "number")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "money"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


def clean(value: Any) -> Cell:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value  # type: ignore[no-any-return]


def _rows(rows: list[tuple[Any, ...]]) -> list[tuple[Cell, ...]]:
    return [tuple(clean(v) for v in r) for r in rows]


def _cols(*spec: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


YEAR_COLUMNS = _cols(("year", "Year", "index"), ("financial_year", "Financial year", "text"))


def _by_year(
    name: str, title: str, first: str, rows: dict[str, FloatArray], fy: tuple[str, ...]
) -> Table:
    """A wide table: one row per name, one column per financial year, and the total."""
    years = tuple(Column(label, label) for label in fy)
    columns = (Column(first, labels.words(first), "text"), *years, Column("total", "Total"))
    body = [(key, *v, float(v.sum())) for key, v in rows.items()]
    return Table(name, title, columns, _rows(body))


def intervention_tables(a: InterventionAppraisal, fy: tuple[str, ...]) -> list[Table]:
    f, s = a.flows, a.summary
    costs, fiscal = f.costs[0].sum(axis=0), f.fiscal[0].sum(axis=0)
    cash = f.cashable[0].sum(axis=0)
    social = fiscal + f.economic[0] + f.social[0]
    net = social - costs
    roi = safe_ratio(np.cumsum(social), np.cumsum(costs))
    cashflow = [
        (t, fy[t], costs[t], fiscal[t], cash[t], social[t], net[t], float(np.cumsum(net)[t]),
         roi[t], f.factors[t], net[t] * f.factors[t], s.cumulative_net[0, t])
        for t in range(len(f.factors))
    ]  # fmt: skip
    agencies = [
        (labels.words(p.agency), p.pv_costs, p.pv_fiscal, p.pv_cashable, p.net) for p in a.positions
    ]
    matrix = [(labels.words(payer), *a.matrix[i]) for i, payer in enumerate(f.agencies)]
    outcomes = [
        (labels.words(name), float(f.at_risk[name][0]), float(f.changed[name][0]),
         float(f.by_outcome[name][0].sum()), float(f.by_outcome[name][0] @ f.factors))
        for name in f.by_outcome
    ]  # fmt: skip
    return [
        Table("cashflows", "Cash flows by year (£, real terms): undiscounted and discounted", YEAR_COLUMNS + _cols(
            ("costs", "Costs"), ("fiscal_benefits", "Fiscal benefits"), ("cashable", "of which cashable"),
            ("total_benefits", "Total benefits"), ("net", "Net"), ("cumulative_net", "Cumulative net"),
            ("cumulative_roi", "Cumulative ROI (£ per £1)", "ratio"), ("discount_factor", "Discount factor", "factor"),
            ("discounted_net", "Discounted net"), ("cumulative_discounted_net", "Cumulative discounted net"),
        ), _rows(cashflow)),
        Table("agencies", "Who pays and who benefits (present values, £)", _cols(
            ("agency", "Agency", "text"), ("pv_costs", "Costs"), ("pv_fiscal_benefits", "Fiscal benefits"),
            ("pv_cashable", "of which cashable"), ("net", "Net"),
        ), _rows(agencies)),
        Table("who_benefits_matrix", "Benefits to each agency (columns) bought by each payer's money (rows), £ PV",
              (Column("payer", "Payer", "text"), *(Column(x, labels.words(x)) for x in f.agencies)), _rows(matrix)),
        Table("outcomes", "Outcomes changed", _cols(
            ("outcome", "Outcome", "text"), ("people_at_risk_per_intake", "People at risk per intake", "count"),
            ("people_changed_per_intake", "People changed per intake", "count"),
            ("undiscounted_benefit", "Fiscal benefit, undiscounted"), ("pv_benefit", "Fiscal benefit, present value"),
        ), _rows(outcomes)),
    ]  # fmt: skip


def programme_tables(p: ProgrammeAppraisal, fy: tuple[str, ...]) -> list[Table]:
    r = p.result
    discounted = r.net * r.factors
    rows = [
        (t, fy[t], r.costs[t], r.cashable[t], r.cost_avoidance[t], r.benefits[t], r.net[t],
         r.annual_benefit_ratio[t], r.cumulative_net[t], r.cumulative_roi[t], r.factors[t],
         discounted[t], r.cumulative_discounted_net[t])
        for t in range(len(r.years))
    ]  # fmt: skip
    tables = [
        Table("cashflows", "Business case by year (£, real terms): undiscounted and discounted", YEAR_COLUMNS + _cols(
            ("costs", "Costs"), ("cashable", "Cashable benefits"), ("cost_avoidance", "Cost avoidance"),
            ("benefits", "Total benefits"), ("net", "Net"), ("benefit_ratio", "Benefit ratio (year)", "ratio"),
            ("cumulative_net", "Cumulative net"), ("cumulative_roi", "Cumulative ROI (£ per £1)", "ratio"),
            ("discount_factor", "Discount factor", "factor"), ("discounted_net", "Discounted net"),
            ("cumulative_discounted_net", "Cumulative discounted net"),
        ), _rows(rows)),
        _by_year("workstreams", "Lifecycle costs by workstream (£, real terms)", "workstream", dict(r.costs_by_workstream), fy),
        _by_year("benefit_areas", "Benefits by area (£, real terms" + (", savings on the same spend counted once)" if r.counted_once else ")"), "benefit_area", dict(r.benefits_by_area), fy),
        _by_year("agency_cashflows", "Net cash flow by agency (£, real terms)", "agency",
                 {labels.words(k): v for k, v in r.agency_net.items()}, fy),
    ]  # fmt: skip
    if r.counted_once:
        once = [
            (o.baseline, "; ".join(o.areas), o.combine, o.stated, o.counted, o.counted - o.stated)
            for o in r.counted_once
        ]
        tables.append(Table("counted_once", "Savings counted once: benefit areas that reduce the same spend (£, undiscounted)", _cols(
            ("baseline", "Spend reduced", "text"), ("benefit_areas", "Benefit areas", "text"),
            ("rule", "Combined as", "text"), ("as_stated", "Added up as stated"),
            ("counted_once", "Counted once"), ("difference", "Difference"),
        ), _rows(once)))  # fmt: skip
    return tables


def portfolio_tables(p: PortfolioAppraisal) -> list[Table]:
    chosen = {id(o) for o in p.selection.chosen}
    options = [
        (o.name, o.case, o.scale, o.npv, o.fiscal, o.cost, "yes" if id(o) in chosen else "no")
        for o in p.options
    ]
    front = [
        (pt.risk_floor, pt.selection.expected_npv, pt.selection.cvar,
         "; ".join(o.name for o in pt.selection.chosen))
        for pt in p.frontier
    ]  # fmt: skip
    overlaps = [
        (" and ".join(f.cases), "; ".join(f.avoided), f.share, f.rule,
         "declared" if f.declared else "assumed", _taken_off(p, f.cases))
        for f in p.overlaps_found
    ]  # fmt: skip
    tables = [
        Table("options", "Options (expected values over Monte Carlo scenarios, £ PV)", _cols(
            ("option", "Option", "text"), ("case", "Case file", "text"), ("scale", "Scale", "number"),
            ("expected_npv", "Expected NPV"), ("expected_fiscal", "Expected fiscal benefits"),
            ("pv_cost", "Cost (PV)"), ("chosen", "Chosen", "text"),
        ), _rows(options)),
        Table("frontier", "Risk-return frontier", _cols(
            ("cvar_floor", "Floor on the worst 10%"), ("expected_npv", "Expected NPV"),
            ("cvar", "Mean of the worst 10%"), ("portfolio", "Portfolio", "text"),
        ), _rows(front)),
    ]  # fmt: skip
    if overlaps:
        tables.append(Table("overlaps", "Savings counted once: options that avoid the same costs", _cols(
            ("cases", "Cases", "text"), ("avoided", "Costs both avoid", "text"),
            ("share_of_people_in_both", "Share of people in both", "share"), ("rule", "Combined as", "text"),
            ("basis", "Overlap is", "text"), ("taken_off_recommended", "Taken off the recommended portfolio (PV)"),
        ), _rows(overlaps)))  # fmt: skip
    return tables


def _taken_off(p: PortfolioAppraisal, cases: tuple[str, str]) -> float:
    """Expected NPV the recommended portfolio does not count twice for one pair of cases."""
    return sum(
        (v.npv for v in p.selection.counted_once
         if {p.options[v.first].case, p.options[v.second].case} == set(cases)),
        0.0,
    )  # fmt: skip


def uncertainty_tables(a: Appraisal) -> list[Table]:
    u = a.intervention or a.programme
    if u is None:
        return []
    unc = u.uncertainty
    bars = [
        (labels.parameter(b.path), b.path, b.low_value, b.high_value, b.npv_at_low,
         b.npv_at_high, unc.switching.get(b.path))
        for b in unc.bars
    ]  # fmt: skip
    scen = [(s.name, s.npv, s.fiscal_roi, s.payback_year) for s in unc.scenarios]
    out = [
        Table("tornado", "Sensitivity of NPV to each input (others central)", _cols(
            ("input", "Input", "text"), ("parameter", "Parameter", "text"), ("low", "Low", "number"),
            ("high", "High", "number"), ("npv_at_low", "NPV at low"), ("npv_at_high", "NPV at high"),
            ("switching_value", "NPV is zero at", "number"),
        ), _rows(bars)),
        Table("scenarios", "Low / medium / high scenarios", _cols(
            ("scenario", "Scenario", "text"), ("npv", "NPV"), ("fiscal_roi", "Fiscal ROI (£ per £1)", "ratio"),
            ("payback_year", "Payback", "year"),
        ), _rows(scen)),
    ]  # fmt: skip
    if unc.monte_carlo is not None:
        mc = unc.monte_carlo
        npv = [(f"{k}th percentile", v) for k, v in mc.percentiles().items()]
        npv.append(("mean", mc.mean_npv))
        chances = [
            ("NPV > 0", mc.p_npv_positive),
            ("fiscal ROI ≥ 1", mc.p_fiscal_roi_at_least_1),
            (f"payback within {mc.payback_within} years", mc.p_payback_within),
        ]
        title = f"Monte Carlo: {mc.draws:,} draws, seed {mc.seed}"
        out.append(Table("monte_carlo", f"{title}: net present value",
                         _cols(("statistic", "Statistic", "text"), ("npv", "NPV")), _rows(npv)))  # fmt: skip
        out.append(Table("chances", f"{title}: chances",
                         _cols(("statistic", "Chance that", "text"), ("probability", "Chance", "share")), _rows(chances)))  # fmt: skip
    return out


def assumption_table(a: Appraisal) -> Table:
    case = a.case
    rows: list[tuple[Any, ...]] = [
        (labels.SETTINGS.get(what, what[:1].upper() + what[1:]), value, source)
        for what, value, source in case.assumptions
    ]
    for outcome, p in case.priced.items():
        note = " (local override)" if p.cost.overridden else ""
        unit = p.cost.unit.lower().removeprefix("per ") or "unit"
        rows.append((
            f"Unit cost: {labels.words(outcome)}",
            f"£{p.value:,.0f} per {unit} ({p.cost.code}, £{p.cost.value:,.0f} at {p.cost.price_year} prices){note}",
            f"{p.cost.source}; licence {p.cost.licence or 'n/a'}",
        ))  # fmt: skip
    for path, u in case.uncertain.items():
        rows.append((
            f"Range: {labels.parameter(path)}",
            f"{u.low:g} / {u.central:g} / {u.high:g} ({u.distribution})",
            "case file",
        ))  # fmt: skip
    s = case.settings
    rows.append((
        "Discounting",
        f"{s.discount} schedule, year 0 undiscounted; lower schedule as sensitivity",
        "HM Treasury Green Book (2026), Annex A6",
    ))  # fmt: skip
    rows.append((
        "Price year",
        f"{s.price_year} ({s.price_year_convention} financial-year convention)",
        "HM Treasury GDP deflator, December 2025",
    ))  # fmt: skip
    rows.append(("Year 0", f"financial year {s.year_zero}", "case file"))
    columns = _cols(
        ("assumption", "Assumption", "text"),
        ("value", "Value", "text"),
        ("source", "Source", "text"),
    )
    return Table("assumptions", "Assumptions and sources", columns, _rows(rows))


def all_tables(a: Appraisal) -> list[Table]:
    fy = labels.year_labels(a.case.settings.year_zero, a.case.settings.horizon)
    if a.intervention:
        tables = intervention_tables(a.intervention, fy)
    elif a.programme:
        tables = programme_tables(a.programme, fy)
    else:
        assert a.portfolio is not None
        tables = portfolio_tables(a.portfolio)
    return [*tables, *uncertainty_tables(a), assumption_table(a)]
