"""Write an appraisal as report.html (self-contained), CSV tables, appraisal.json and appraisal.xlsx."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
from openpyxl import Workbook

from upstream.economics import packs
from upstream.economics.appraise import Appraisal
from upstream.economics.report import charts
from upstream.economics.report.tables import Table, all_tables


@dataclass(frozen=True)
class Headline:
    sentence: str
    figures: list[tuple[str, str]]


def pct(x: float) -> str:
    return f"{x:.0%}"


def year(x: float) -> str:
    return "not within the horizon" if not np.isfinite(x) else f"year {int(x)}"


def intervention_headline(a: Appraisal) -> Headline:
    i = a.intervention
    assert i is not None
    s, persp = i.summary, a.case.settings.perspective
    npv = float(s.npv[persp][0])
    verdict = "pays back" if npv > 0 else "does not pay back"
    figures = [
        (f"Net present value ({persp})", charts.money(npv)),
        ("Present value of costs", charts.money(float(s.pv_costs[0]))),
        ("Present value of fiscal benefits", charts.money(float(s.pv_benefits["fiscal"][0]))),
        ("of which cashable", charts.money(float(s.pv_cashable[0]))),
        ("Payback (discounted)", year(float(s.payback_year[0]))),
        ("NPV with the lower discount schedule", charts.money(i.npv_lower_discount)),
    ]
    bcr = float(s.bcr[0])
    if np.isfinite(bcr):
        flag = " (unstable: very small cost denominator)" if s.bcr_unstable[0] else ""
        figures.append(("Benefit-cost ratio", f"{bcr:.2f}{flag}"))
    else:
        figures.append(("Benefit-cost ratio", "not shown: present value of costs is not positive"))
    mc = i.uncertainty.monte_carlo
    extra = ""
    if mc is not None:
        figures += [
            ("Chance NPV is positive", pct(mc.p_npv_positive)),
            ("Chance fiscal return ≥ £1 per £1", pct(mc.p_fiscal_roi_at_least_1)),
            (f"Chance of payback within {mc.payback_within} years", pct(mc.p_payback_within)),
            (
                "NPV range (5th–95th percentile)",
                f"{charts.money(mc.percentiles()[5])} to {charts.money(mc.percentiles()[95])}",
            ),
        ]
        extra = f" In {mc.draws:,} simulations it pays back {pct(mc.p_npv_positive)} of the time."
    sentence = f"{i.model.name} {verdict} over {a.case.settings.horizon} years: net present value {charts.money(npv)}.{extra}"
    return Headline(sentence, figures)


def programme_headline(a: Appraisal) -> Headline:
    p = a.programme
    assert p is not None
    r = p.result
    trough_year, trough = r.trough
    figures = [
        ("Net present value (discounted)", charts.money(r.npv)),
        ("Total costs (real terms)", charts.money(float(r.costs.sum()))),
        ("Total benefits", charts.money(float(r.benefits.sum()))),
        ("of which cashable", charts.money(float(r.cashable.sum()))),
        ("Deepest cumulative position (trough)", f"{charts.money(trough)} in year {trough_year}"),
        ("Payback (cumulative net, undiscounted)", year(r.payback_year)),
    ]
    mc = p.uncertainty.monte_carlo
    if mc is not None:
        figures += [
            ("Chance NPV is positive", pct(mc.p_npv_positive)),
            (f"Chance of payback within {mc.payback_within} years", pct(mc.p_payback_within)),
        ]
    sentence = f"{a.case.programme.name if a.case.programme else ''}: cumulative net position bottoms out at {charts.money(trough)} in year {trough_year} and pays back in {year(r.payback_year)}; NPV {charts.money(r.npv)}."
    return Headline(sentence, figures)


def portfolio_headline(a: Appraisal) -> Headline:
    p = a.portfolio
    assert p is not None
    sel = p.selection
    names = ", ".join(o.name for o in sel.chosen) or "nothing"
    figures = [
        ("Expected NPV of the portfolio", charts.money(sel.expected_npv)),
        ("Expected fiscal benefits (PV)", charts.money(sel.expected_fiscal)),
        ("Present value of costs", charts.money(sel.cost)),
        (f"Mean NPV in the worst {p.constraints.alpha:.0%} of scenarios", charts.money(sel.cvar)),
    ]
    if p.constraints.total_budget is not None:
        figures.append(("Budget (PV of costs)", charts.money(p.constraints.total_budget)))
    return Headline(f"Recommended portfolio: {names}.", figures)


def chart_svgs(a: Appraisal) -> list[tuple[str, str]]:
    out = []
    if a.intervention:
        i = a.intervention
        f = i.flows
        benefits = f.fiscal[0].sum(axis=0) + f.economic[0] + f.social[0]
        out.append(
            (
                "Cash flows and cumulative discounted net position (the J-curve)",
                charts.j_curve(
                    f.costs[0].sum(axis=0),
                    benefits,
                    i.summary.cumulative_net[0],
                    "cumulative discounted net",
                ),
            )
        )
        out.append(
            (
                "Who pays and who benefits (present values)",
                charts.who_benefits(i.matrix, f.agencies),
            )
        )
    if a.programme:
        r = a.programme.result
        out.append(
            (
                "Costs, benefits and cumulative net position (the J-curve)",
                charts.j_curve(r.costs, r.benefits, r.cumulative_net, "cumulative net position"),
            )
        )
    unc = a.intervention or a.programme
    if unc is not None:
        mc = unc.uncertainty.monte_carlo
        if mc is not None:
            p = mc.percentiles()
            out.append(
                (
                    "Distribution of net present value (Monte Carlo)",
                    charts.npv_distribution(mc.npv, p[5], p[95]),
                )
            )
        if unc.uncertainty.bars:
            central = next(s.npv for s in unc.uncertainty.scenarios if s.name == "medium")
            out.append(
                (
                    "What matters most: tornado of NPV",
                    charts.tornado_chart(unc.uncertainty.bars, central),
                )
            )
    if a.portfolio:
        pf = a.portfolio
        pts = [(pt.selection.cvar, pt.selection.expected_npv) for pt in pf.frontier]
        out.append(
            (
                "Risk–return frontier",
                charts.frontier_chart(pts, (pf.selection.cvar, pf.selection.expected_npv)),
            )
        )
    return out


def headline_for(a: Appraisal) -> Headline:
    kind = a.case.settings.kind
    return {
        "intervention": intervention_headline,
        "programme": programme_headline,
        "portfolio": portfolio_headline,
    }[kind](a)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:,.4f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def render_html(a: Appraisal, tables: list[Table], headline: Headline) -> str:
    template_text = (resources.files("upstream.economics.report") / "report.html").read_text(
        "utf-8"
    )
    env = jinja2.Environment(autoescape=True)
    env.filters["fmt"] = fmt
    return env.from_string(template_text).render(
        case=a.case, settings=a.case.settings, headline=headline, charts=chart_svgs(a), tables=tables,
        caveats=a.caveats, manifest=packs.MANIFEST,
    )  # fmt: skip


def write_all(a: Appraisal, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    tables = all_tables(a)
    headline = headline_for(a)
    written = [out / "report.html"]
    written[0].write_text(render_html(a, tables, headline), "utf-8")
    for t in tables:
        path = out / f"{t.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(t.header)
            writer.writerows(t.rows)
        written.append(path)
    written.append(write_json(a, tables, headline, out / "appraisal.json"))
    written.append(write_xlsx(tables, out / "appraisal.xlsx"))
    return written


def write_json(a: Appraisal, tables: list[Table], headline: Headline, path: Path) -> Path:
    doc = {
        "title": a.case.settings.title,
        "kind": a.case.settings.kind,
        "settings": a.case.settings.__dict__,
        "headline": {"sentence": headline.sentence, "figures": dict(headline.figures)},
        "caveats": a.caveats,
        "parameter_packs": packs.MANIFEST,
        "tables": {t.name: [dict(zip(t.header, r, strict=True)) for r in t.rows] for t in tables},
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), "utf-8")
    return path


def write_xlsx(tables: list[Table], path: Path) -> Path:
    book = Workbook()
    book.remove(book.active) if book.active is not None else None
    for t in tables:
        sheet = book.create_sheet(t.name[:31])
        sheet.append(list(t.header))
        for row in t.rows:
            sheet.append(list(row))
    book.save(path)
    return path
