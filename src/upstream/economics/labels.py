"""Words for a reader: parameter paths, outcome and agency names, financial years, numbers.

Used by the report writers and by the caveats `appraise` writes.

`outcomes.entry_to_care_avoided.success.3-5` → "Entry to care avoided — success, ages 3–5";
`local_authority` → "Local authority"; year 6 with year 0 = 2025/26 → "year 6 (2031/32)".
"""

from __future__ import annotations

import math
import re

from upstream.economics.discounting import parse_price_year

SETTINGS = {
    "attrition": "Attrition (share who do not complete)",
    "deadweight": "Deadweight",
    "displacement": "Displacement",
    "attribution": "Attribution",
    "optimism_bias": "Optimism bias",
    "cost_multiplier": "Cost multiplier",
    "realisation": "Benefits realised (share of planned)",
}
OUTCOME_INPUTS = {
    "unit_cost": "unit cost",
    "quantity": "units a year",
    "drop_off": "drop-off a year",
    "success": "success",
    "effect_size": "effect size",
    "base_rate": "share at risk",
    "baseline": "people at risk",
    "duration": "duration",
}
# Words written in capitals (or otherwise) wherever they appear in a name.
WORDS = {"nhs": "NHS", "dwp": "DWP", "hmrc": "HMRC", "ae": "A&E", "mdt": "MDT", "gp": "GP"}
AGE_GROUP = re.compile(r"^\d+(-\d+)?\+?$")


def words(name: str) -> str:
    """A snake_case key as words: 'ae_attendances_avoided' → 'A&E attendances avoided'."""
    parts = [WORDS.get(w.lower(), w) for w in name.replace("_", " ").split()]
    if not parts:
        return name
    first = parts[0]
    parts[0] = first if first in WORDS.values() else first[:1].upper() + first[1:]
    return " ".join(parts)


def group(name: str) -> str:
    """'3-5' → 'ages 3–5', '18+' → 'ages 18+', anything else → 'group NAME'."""
    return f"ages {name.replace('-', '–')}" if AGE_GROUP.match(name) else f"group {name}"


def parameter(path: str) -> str:
    """The label of an uncertain input's path."""
    if path in SETTINGS:
        return SETTINGS[path]
    parts = path.split(".")
    if parts[0] == "outcomes" and len(parts) >= 3:
        outcome, leaf = words(parts[1]), OUTCOME_INPUTS.get(parts[2], words(parts[2]))
        detail = f", {group('.'.join(parts[3:]))}" if len(parts) > 3 else ""
        return f"{outcome} — {leaf}{detail}"
    return words(path)


def year_labels(year_zero: str, horizon: int) -> tuple[str, ...]:
    """'2025/26', '2026/27', … (or '2025', '2026', … for a calendar year zero)."""
    first = parse_price_year(year_zero)
    return tuple(
        f"{first.first + t}/{(first.first + t + 1) % 100:02d}" if first.financial
        else str(first.first + t)
        for t in range(horizon)
    )  # fmt: skip


# --- numbers ---------------------------------------------------------------------------------


def money(value: float) -> str:
    """£1,234 or −£1,234 (whole pounds)."""
    if not math.isfinite(value):
        return "–"
    sign = "−" if round(value) < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def share(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:.1%}" if 0 < abs(value) < 0.1 else f"{value:.0%}"


def ratio(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.2f}"


def year(value: float, labels: tuple[str, ...] = ()) -> str:
    """'year 6 (2031/32)'; a payback never reached is 'not within the horizon'."""
    if not math.isfinite(value):
        return "not within the horizon"
    t = int(value)
    return f"year {t} ({labels[t]})" if 0 <= t < len(labels) else f"year {t}"


def number(value: float) -> str:
    """1,234 for large values; three significant figures for small ones (0.35, 12.5)."""
    if not math.isfinite(value):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}".replace("-", "−")
