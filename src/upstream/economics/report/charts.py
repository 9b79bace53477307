"""Charts as inline SVG (matplotlib, Agg backend), so the HTML report is one self-contained file."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from upstream.economics.discounting import FloatArray
from upstream.economics.labels import parameter, words
from upstream.economics.montecarlo import TornadoBar

BLUE, GREEN, RED, GREY = "#1d70b8", "#00703c", "#d4351c", "#505a5f"


def money(value: float, _pos: object = None) -> str:
    sign = "−" if value < 0 else ""
    v = abs(value)
    if v >= 1e6:
        return f"{sign}£{v / 1e6:.1f}m"
    if v >= 1e3:
        return f"{sign}£{v / 1e3:.0f}k"
    return f"{sign}£{v:.0f}"


def fine_money(value: float, _pos: object = None) -> str:
    """£109.5k: one decimal more than `money`, for axes whose ticks are close together."""
    sign, v = ("−" if value < 0 else ""), abs(value)
    if v >= 1e6:
        return f"{sign}£{v / 1e6:.2f}m"
    if v >= 1e3:
        return f"{sign}£{v / 1e3:.1f}k"
    return f"{sign}£{v:.0f}"


def to_svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _figure(width: float = 7.5, height: float = 3.6) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def j_curve(
    costs: FloatArray,
    benefits: FloatArray,
    cumulative: FloatArray,
    title: str,
    years: Sequence[str] = (),
) -> str:
    """Bars of benefits and costs by year, the cumulative line; x labelled by financial year."""
    fig, ax = _figure()
    x = np.arange(costs.size)
    ax.bar(x, benefits, color=GREEN, alpha=0.7, label="benefits")
    ax.bar(x, -costs, color=RED, alpha=0.7, label="costs")
    ax.plot(x, cumulative, color=BLUE, marker="o", lw=2, label=title)
    ax.axhline(0, color=GREY, lw=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(money))
    crowded = costs.size > 8
    if len(years) == costs.size:
        ax.set_xticks(x, list(years))
        if crowded:
            plt.setp(ax.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")
        ax.set_xlabel("financial year")
    else:
        ax.set_xticks(x)
        ax.set_xlabel("year (0 = first year)")
    below = -0.38 if crowded else -0.25
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, below), ncol=3)
    return to_svg(fig)


def who_benefits(matrix: FloatArray, agencies: Sequence[str]) -> str:
    payers = [i for i in range(len(agencies)) if matrix[i].sum() > 0]
    fig, ax = _figure(7.5, 1.2 + 0.5 * max(1, len(payers)))
    data = matrix[payers] if payers else np.zeros((1, len(agencies)))
    ax.imshow(data, cmap="Greens", aspect="auto")
    labels = [words(a) for a in agencies]
    ax.set_xticks(range(len(agencies)), labels, rotation=20, ha="right")
    ax.set_yticks(range(len(payers)), [labels[i] for i in payers])
    ax.set_xlabel("who benefits")
    ax.set_ylabel("who pays")
    for (r, c), v in np.ndenumerate(data):
        ax.text(
            c,
            r,
            money(float(v)),
            ha="center",
            va="center",
            color="black" if v < data.max() * 0.6 else "white",
        )
    return to_svg(fig)


def npv_distribution(npv: FloatArray, p5: float, p95: float) -> str:
    fig, ax = _figure()
    ax.hist(npv, bins=50, color=BLUE, alpha=0.8)
    ax.axvline(0, color=RED, lw=1.5, label="break-even")
    for x, name in ((p5, "5th percentile"), (p95, "95th percentile")):
        ax.axvline(x, color=GREY, ls="--", lw=1)
        ax.text(
            x, ax.get_ylim()[1] * 0.95, f" {name}", color=GREY, fontsize=8, rotation=90, va="top"
        )
    ax.xaxis.set_major_formatter(FuncFormatter(money))
    ax.set_xlabel("net present value")
    ax.set_ylabel("draws")
    ax.legend(frameon=False)
    return to_svg(fig)


def tornado_chart(bars: list[TornadoBar], central_npv: float, top: int = 10) -> str:
    shown = bars[:top][::-1]
    fig, ax = _figure(7.5, 0.9 + 0.4 * max(1, len(shown)))
    for i, b in enumerate(shown):
        lo, hi = sorted((b.npv_at_low, b.npv_at_high))
        ax.barh(
            i,
            hi - central_npv,
            left=central_npv,
            color=GREEN if b.npv_at_high >= b.npv_at_low else RED,
            alpha=0.7,
        )
        ax.barh(
            i,
            lo - central_npv,
            left=central_npv,
            color=RED if b.npv_at_high >= b.npv_at_low else GREEN,
            alpha=0.7,
        )
    ax.set_yticks(range(len(shown)), [parameter(b.path) for b in shown], fontsize=8)
    ax.axvline(central_npv, color=GREY, lw=1)
    ax.axvline(0, color=RED, lw=0.8, ls=":")
    ax.xaxis.set_major_formatter(FuncFormatter(money))
    ax.set_xlabel("NPV with the input at its low (red if it lowers NPV) and high end")
    return to_svg(fig)


def frontier_chart(points: list[tuple[float, float]], chosen: tuple[float, float]) -> str:
    fig, ax = _figure()
    if len(set(points)) > 1:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", color=BLUE, label="efficient portfolios")
    else:
        # One point: no portfolio trades return for safety, so there is no line to draw.
        ax.annotate(
            "the best-return portfolio is also the safest", chosen, xytext=(12, -4),
            textcoords="offset points", color=GREY,
        )  # fmt: skip
    ax.scatter([chosen[0]], [chosen[1]], color=GREEN, s=80, zorder=3, label="recommended")
    ax.xaxis.set_major_formatter(FuncFormatter(fine_money))
    ax.yaxis.set_major_formatter(FuncFormatter(fine_money))
    ax.set_xlabel("downside: mean NPV of the worst 10% of scenarios (CVaR)")
    ax.set_ylabel("expected NPV")
    ax.legend(frameon=False)
    return to_svg(fig)
