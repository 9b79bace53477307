"""A case file's inputs as rows people read: the label the form asks it by, and its value.

Used to show a version and to compare two side by side. Every value in the file is a row
(a range's low, central and high are one row), so a comparison misses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from upstream.appraisals import builder, libraries
from upstream.appraisals.casefiles import toml_value, within
from upstream.appraisals.forms import answer_text

RANGE_KEYS = {"low", "central", "high", "distribution"}
SECTIONS = {
    "case": "The case",
    "intervention": "The intervention",
    "programme": "The programme",
    "portfolio": "The portfolio",
    "unit_cost_override": "Local unit costs",
}


@dataclass(frozen=True)
class Input:
    path: str
    section: str
    label: str
    value: str


def flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(path, value) for every value: each table of the file ([case], [intervention], each
    [[intervention.outcome]]) is opened; a table inside one (a cohort, a range, an agencies
    split) is one value."""
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and not prefix:
            rows += flatten(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, item in enumerate(value):
                rows += flatten(item, f"{path}[{i}]") if prefix else _opened(item, f"{path}[{i}]")
        else:
            rows.append((path, value))
    return rows


def _opened(table: Mapping[str, Any], path: str) -> list[tuple[str, Any]]:
    return [(f"{path}.{k}", v) for k, v in table.items()]


def fields_by_path(data: Mapping[str, Any]) -> dict[str, tuple[str, builder.Field]]:
    """The form's label and field for each field path of an intervention case (with its
    outcome or cost); of two fields for one key, the one that can show the value."""
    found: dict[str, tuple[str, builder.Field]] = {}
    if data.get("case", {}).get("kind") != "intervention":
        return found
    for step in builder.all_steps(dict(data)):
        caption = _caption(step, data)
        table = builder.table_at(dict(data), step.table) or {}
        for f in step.fields():
            path = f"{step.path}.{f.key}"
            if path not in found or (f.key in table and builder.fits(f, table[f.key])):
                found[path] = (f"{caption}{f.label}", f)
    return found


def _caption(step: builder.Step, data: Mapping[str, Any]) -> str:
    if not step.caption:
        return ""
    table = builder.table_at(dict(data), step.table) or {}
    name = table.get("name")
    named = f" ({libraries.words(name) if isinstance(name, str) else name})" if name else ""
    return f"{step.caption}{named}: "


def rows(data: Mapping[str, Any]) -> list[Input]:
    known = fields_by_path(data)
    out = []
    for path, value in flatten(data):
        label, f = _label(path, known)
        shown = answer_text(f, value) if f is not None else _shown(value)
        out.append(Input(path, _section(path), label, shown))
    return out


def _section(path: str) -> str:
    return SECTIONS.get(path.split(".")[0].split("[")[0], "Other")


def _label(
    path: str, known: Mapping[str, tuple[str, builder.Field]]
) -> tuple[str, builder.Field | None]:
    if path in known:
        return known[path]
    for field_path in sorted(known, key=len, reverse=True):
        if within(path, field_path):
            rest = path[len(field_path) :].lstrip(".")
            return f"{known[field_path][0]}, {rest}", None
    words = re.sub(r"\[(\d+)\]", lambda m: f" {int(m.group(1)) + 1}", path.split(".", 1)[-1])
    return libraries.words(words.replace(".", ": ")), None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and set(value) <= RANGE_KEYS:
        low, central, high = (builder.shown(value.get(k)) for k in ("low", "central", "high"))
        spread = (
            f"{low} to {high}" if "central" not in value else f"{central} (from {low} to {high})"
        )
        return spread + (f", {value['distribution']}" if "distribution" in value else "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return builder.shown(value)
    return toml_value(value)


@dataclass(frozen=True)
class Difference:
    section: str
    label: str
    path: str
    a: str
    b: str

    @property
    def changed(self) -> bool:
        return self.a != self.b


def compare(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[Difference]:
    """Every input of either version, side by side, in the order the versions give them."""
    first, second = rows(a), rows(b)
    by_path_a = {r.path: r for r in first}
    by_path_b = {r.path: r for r in second}
    order = list(dict.fromkeys([r.path for r in first] + [r.path for r in second]))
    out = []
    for path in order:
        ra, rb = by_path_a.get(path), by_path_b.get(path)
        shown = ra or rb
        assert shown is not None
        out.append(
            Difference(
                shown.section, shown.label, path, ra.value if ra else "", rb.value if rb else ""
            )
        )
    return out
