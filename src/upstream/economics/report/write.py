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

from upstream.economics import labels, packs
from upstream.economics.appraise import Appraisal
from upstream.economics.montecarlo import MonteCarloResult
from upstream.economics.report import charts
from upstream.economics.report.tables import Table, all_tables


@dataclass(frozen=True)
class Headline:
    sentence: str
    figures: list[tuple[str, str]]


def pct(x: float) -> str:
    return f"{x:.0%}"


def fy_labels(a: Appraisal) -> tuple[str, ...]:
    return labels.year_labels(a.case.settings.year_zero, a.case.settings.horizon)


def year(x: float, fy: tuple[str, ...] = ()) -> str:
    return labels.year(x, fy)


def monte_carlo_figures(mc: MonteCarloResult | None) -> tuple[list[tuple[str, str]], str]:
    if mc is None:
        return [], ""
    p = mc.percentiles()
    figures = [
        ("Chance NPV is positive", pct(mc.p_npv_positive)),
        ("Chance fiscal return ≥ £1 per £1", pct(mc.p_fiscal_roi_at_least_1)),
        (f"Chance of payback within {mc.payback_within} years", pct(mc.p_payback_within)),
        ("Median NPV (Monte Carlo)", charts.money(p[50])),
        ("NPV range (5th–95th percentile)", f"{charts.money(p[5])} to {charts.money(p[95])}"),
    ]
    return (
        figures,
        f" In {mc.draws:,} simulations it pays back {pct(mc.p_npv_positive)} of the time.",
    )


def intervention_headline(a: Appraisal) -> Headline:
    i = a.intervention
    assert i is not None
    s, persp, fy = i.summary, a.case.settings.perspective, fy_labels(a)
    npv = float(s.npv[persp][0])
    verdict = "pays back" if npv > 0 else "does not pay back"
    figures = [
        (f"Net present value ({persp})", charts.money(npv)),
        ("Net benefit, undiscounted (real terms)", charts.money(float(s.net_undiscounted[0]))),
        ("Present value of costs", charts.money(float(s.pv_costs[0]))),
        ("Present value of fiscal benefits", charts.money(float(s.pv_benefits["fiscal"][0]))),
        ("of which cashable", charts.money(float(s.pv_cashable[0]))),
        ("Payback (discounted)", year(float(s.payback_year[0]), fy)),
        ("Payback (undiscounted)", year(float(s.payback_year_undiscounted[0]), fy)),
        ("NPV with the lower discount schedule", charts.money(i.npv_lower_discount)),
    ]
    bcr = float(s.bcr[0])
    if np.isfinite(bcr):
        flag = " (unstable: very small cost denominator)" if s.bcr_unstable[0] else ""
        figures.append(("Benefit-cost ratio", f"{bcr:.2f}{flag}"))
    else:
        figures.append(("Benefit-cost ratio", "not shown: present value of costs is not positive"))
    extra_figures, extra = monte_carlo_figures(i.uncertainty.monte_carlo)
    sentence = f"{i.model.name} {verdict} over {a.case.settings.horizon} years: net present value {charts.money(npv)}.{extra}"
    return Headline(sentence, figures + extra_figures)


def programme_headline(a: Appraisal) -> Headline:
    p = a.programme
    assert p is not None
    r, fy = p.result, fy_labels(a)
    trough_year, trough = r.trough
    roi = float(r.cumulative_roi[-1])
    figures = [
        ("Net present value (discounted)", charts.money(r.npv)),
        ("Net benefit, undiscounted (real terms)", charts.money(float(r.net.sum()))),
        ("Total costs (real terms)", charts.money(float(r.costs.sum()))),
        ("Total benefits", charts.money(float(r.benefits.sum()))),
        ("of which cashable", charts.money(float(r.cashable.sum()))),
        (
            "Deepest cumulative position (trough)",
            f"{charts.money(trough)} in {year(trough_year, fy)}",
        ),
        ("Payback (cumulative net, undiscounted)", year(r.payback_year, fy)),
        ("Payback (discounted)", year(r.payback_year_discounted, fy)),
        ("Cumulative ROI at the end", f"£{roi:.2f} back per £1" if np.isfinite(roi) else "–"),
    ]
    for once in r.counted_once:
        figures.append((
            f"Counted once: {once.baseline}",
            f"{charts.money(once.counted)} (not {charts.money(once.stated)})",
        ))  # fmt: skip
    mc_figures, _ = monte_carlo_figures(p.uncertainty.monte_carlo)
    figures += [f for f in mc_figures if not f[0].startswith("Chance fiscal")]
    name = a.case.programme.name if a.case.programme else ""
    sentence = (
        f"{name}: cumulative net position bottoms out at {charts.money(trough)} in "
        f"{year(trough_year, fy)} and pays back in {year(r.payback_year, fy)}; NPV {charts.money(r.npv)}."
    )
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
    if sel.counted_once:
        taken = sum(v.npv for v in sel.counted_once)
        figures.append(("Savings counted once (taken off)", charts.money(taken)))
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
                    fy_labels(a),
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
                charts.j_curve(
                    r.costs, r.benefits, r.cumulative_net, "cumulative net position", fy_labels(a)
                ),
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


def cell(value: Any, kind: str = "text", fy: tuple[str, ...] = ()) -> str:
    """One table cell as a reader sees it: £1,234, 45%, 1.79, year 6, 7.2."""
    if value is None:
        return "not within the horizon" if kind == "year" else "–"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    v = float(value)
    if kind == "money":
        return labels.money(v)
    if kind == "share":
        return labels.share(v)
    if kind == "ratio":
        return labels.ratio(v)
    if kind == "factor":
        return f"{v:.4f}"
    if kind == "year":
        return labels.year(v, fy)
    if kind == "index":
        return f"{int(v)}"
    if kind == "count":
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    return labels.number(v)


def render_html(a: Appraisal, tables: list[Table], headline: Headline) -> str:
    template_text = (resources.files("upstream.economics.report") / "report.html").read_text(
        "utf-8"
    )
    env = jinja2.Environment(autoescape=True)
    fy = fy_labels(a)
    env.filters["cell"] = lambda value, kind: cell(value, kind, fy)
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
        "financial_years": list(fy_labels(a)),
        "kind": a.case.settings.kind,
        "settings": a.case.settings.__dict__,
        "headline": {"sentence": headline.sentence, "figures": dict(headline.figures)},
        "caveats": a.caveats,
        "parameter_packs": packs.MANIFEST,
        "tables": {t.name: [dict(zip(t.header, r, strict=True)) for r in t.rows] for t in tables},
        "columns": {t.name: {c.key: c.label for c in t.columns} for t in tables},
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
