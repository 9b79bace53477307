"""A small accessible chart of cost of need by financial year: inline SVG bars (no script, no
inline styles, so it passes our Content-Security-Policy) described by a text alternative and
backed by a table with the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from upstream.casework.story import YearCost

WIDTH, HEIGHT, BAR_GAP, LABEL_SPACE = 560, 180, 8, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    current: bool
    label_x: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_y: int
    bars: list[Bar]
    description: str


def money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def cost_chart(years: list[YearCost], this_year: str) -> Chart | None:
    if not years:
        return None
    top = max((y.cost for y in years), default=Decimal(0)) or Decimal(1)
    slot = WIDTH / len(years)
    plot = HEIGHT - 2 * LABEL_SPACE
    bars = []
    for i, year in enumerate(years):
        height = float(year.cost / top) * plot
        x = i * slot + BAR_GAP / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(LABEL_SPACE + plot - height, 1),
                width=round(slot - BAR_GAP, 1),
                height=round(height, 1),
                label=year.financial_year,
                value=money(year.cost),
                current=year.financial_year == this_year,
                label_x=round(x + (slot - BAR_GAP) / 2, 1),
                value_y=round(LABEL_SPACE + plot - height - 6, 1),
            )
        )
    description = "Cost of need by financial year: " + "; ".join(
        f"{y.financial_year} {money(y.cost)}" for y in years
    )
    return Chart(WIDTH, HEIGHT, HEIGHT - 6, bars, description)
