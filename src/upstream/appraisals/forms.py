"""What the question pages' templates need: each field with its value, its error and its
choices (`bind`), the error summary, and the answers as "check your answers" lists them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from upstream.appraisals import libraries
from upstream.appraisals.builder import (
    Field,
    Mode,
    Step,
    fits,
    message,
    shown,
    table_at,
)
from upstream.appraisals.casefiles import toml_value
from upstream.economics.montecarlo import DISTRIBUTIONS

EXTRA_ROWS = 3  # empty age-group rows offered below the ones given


def _anchors(f: Field, values: Mapping[str, str]) -> list[str]:
    if f.widget == "range":
        return [f"{f.id}-{k}" for k in ("central", "low", "high", "distribution")]
    if f.widget == "groups":
        return [f"{f.id}-{k}-{i}" for i in range(40) for k in ("name", "count")]
    if f.widget == "by_group":
        return [f"{f.id}-{g}-{k}" for g in f.groups for k in ("central", "low", "high")]
    return [f.id]


def bind(
    step: Step, values: Mapping[str, str], errors: Mapping[str, str], unreadable: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The page's items ready to show: fields, and modes with their options' fields."""
    out = []
    for item in step.items:
        if isinstance(item, Mode):
            chosen = values.get(item.id) or item.options[0].value
            out.append(
                {
                    "mode": item,
                    "chosen": chosen,
                    "options": [
                        {
                            "option": o,
                            "checked": o.value == chosen,
                            "fields": [_field(f, values, errors, unreadable) for f in o.fields],
                        }
                        for o in item.options
                    ],
                }
            )
        else:
            out.append(_field(item, values, errors, unreadable))
    return out


def _field(
    f: Field, values: Mapping[str, str], errors: Mapping[str, str], unreadable: Mapping[str, str]
) -> dict[str, Any]:
    anchors = _anchors(f, values)
    error = next((errors[a] for a in anchors if a in errors), "")
    bound: dict[str, Any] = {"f": f, "id": f.id, "value": values.get(f.id, ""), "error": error}
    if f.key in unreadable:
        bound["unreadable"] = unreadable[f.key]
        return bound
    if f.widget == "range":
        parts = {
            k: values.get(f"{f.id}-{k}", "") for k in ("central", "low", "high", "distribution")
        }
        bound |= parts
        bound["open"] = bool(
            parts["low"]
            or parts["high"]
            or parts["distribution"]
            or (error and "central" not in error)
        )
        bound["distributions"] = DISTRIBUTIONS
    elif f.widget == "groups":
        given = sum(
            1
            for i in range(40)
            if values.get(f"{f.id}-name-{i}") or values.get(f"{f.id}-count-{i}")
        )
        bound["rows"] = [
            {
                "i": i,
                "name": values.get(f"{f.id}-name-{i}", ""),
                "count": values.get(f"{f.id}-count-{i}", ""),
                "error": errors.get(f"{f.id}-name-{i}", "") or errors.get(f"{f.id}-count-{i}", ""),
            }
            for i in range(given + EXTRA_ROWS)
        ]
    elif f.widget == "by_group":
        bound["rows"] = [
            {
                "group": g,
                **{k: values.get(f"{f.id}-{g}-{k}", "") for k in ("central", "low", "high")},
            }
            for g in f.groups
        ]
    elif f.widget in ("radios", "select"):
        current = values.get(f.id, "")
        bound["choices"] = [
            {"value": v, "label": label, "selected": v == current} for v, label in f.choices
        ]
        if f.widget == "select" and current and current not in {v for v, _ in f.choices}:
            bound["choices"].insert(0, {"value": current, "label": current, "selected": True})
    return bound


def summary(step: Step, errors: Mapping[str, str]) -> dict[str, str]:
    """anchor -> message, in the order the page asks (the GOV.UK error summary's order)."""
    order: list[str] = []
    for f in step.fields():
        order += _anchors(f, {})
    ranked = sorted(errors, key=lambda a: order.index(a) if a in order else len(order))
    return {a: errors[a] for a in ranked}


def answers(
    steps: list[Step], data: dict[str, Any], url: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Every page's answers for "check your answers": the label, the value, where to change it."""
    sections = []
    for step in steps:
        table = table_at(dict(data), step.table) or {}
        rows = []
        for f in _answered_fields(step, table):
            value = table.get(f.key)
            rows.append(
                {
                    "label": f.label,
                    "value": _answer(f, value),
                    "url": url(step.slug) + f"?then=check#{_first_anchor(f)}",
                    "id": f.id,
                }
            )
        sections.append(
            {
                "title": f"{step.caption}: {step.title}" if step.caption else step.title,
                "rows": rows,
                "slug": step.slug,
            }
        )
    return sections


def _answered_fields(step: Step, table: Mapping[str, Any]) -> list[Field]:
    fields: list[Field] = []
    for item in step.items:
        if isinstance(item, Mode):
            chosen = item.chosen(table)
            fields += [f for o in item.options if o.value == chosen for f in o.fields]
        else:
            fields.append(item)
    return fields


def _first_anchor(f: Field) -> str:
    return _anchors(f, {})[0]


def _answer(f: Field, value: Any) -> str:
    if value is None:
        return "Not given"
    if not fits(f, value):
        return toml_value(value)
    if f.widget in ("radios", "select"):
        return dict(f.choices).get(str(value), str(value))
    if f.widget == "range" and isinstance(value, Mapping):
        text = f"{shown(value.get('central'))} (from {shown(value.get('low'))} to {shown(value.get('high'))}"
        return text + (f", {value['distribution']})" if "distribution" in value else ")")
    if f.widget == "numbers":
        return ", ".join(shown(v) for v in value)
    if f.widget in ("groups", "by_group"):
        return "; ".join(
            f"{k}: {_answer(Field(f.key, f.label, widget='range'), v)}" for k, v in value.items()
        )
    return shown(value)


def item_summary(key: str, item: Any) -> str:
    """One line about an outcome or a cost for the list pages."""
    if not isinstance(item, Mapping):
        return ""
    if key == "outcome":
        cost = item.get("unit_cost")
        cost_text = (
            f"unit cost {cost}"
            if isinstance(cost, str)
            else (
                f"unit cost {libraries.money(float(cost))}"
                if isinstance(cost, int | float)
                else "no unit cost yet"
            )
        )
        per = f" a {item['unit_cost_per']}" if "unit_cost_per" in item else ""
        success = item.get("success", item.get("effect_size"))
        success_text = (
            f", success {toml_value(success)}" if success is not None else ", no success rate yet"
        )
        return f"{cost_text}{per}{success_text}"
    parts = []
    for field, words in (
        ("per_participant", "per person"),
        ("fixed", "fixed"),
        ("unit_cost", "per person per period"),
    ):
        if field in item:
            parts.append(f"{words} {toml_value(item[field])}")
    return ", ".join(parts) or "no amounts yet"


__all__ = ["answers", "bind", "item_summary", "message", "summary"]
