"""What the question pages' templates need: each field with its value, its error and its
choices (`bind`), the error summary, and the answers as "check your answers" lists them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from upstream.appraisals import libraries
from upstream.appraisals.builder import (
    REMOVE,
    Field,
    Mode,
    Step,
    fits,
    message,
    number,
    setting_defaults,
    shown,
    table_at,
)
from upstream.appraisals.casefiles import toml_value
from upstream.economics.montecarlo import DISTRIBUTIONS

EXTRA_ROWS = 3  # empty age-group rows offered below the ones given


def _anchors(f: Field) -> list[str]:
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
    usual = setting_defaults()
    defaults = {
        f.key: answer_text(f, number_or_text(usual[f"{step.path}.{f.key}"]))
        for f in step.fields()
        if f"{step.path}.{f.key}" in usual
    }
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
            out.append(_field(item, values, errors, unreadable, defaults))
    return out


def _field(
    f: Field,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    unreadable: Mapping[str, str],
    defaults: Mapping[str, str] = {},
) -> dict[str, Any]:
    anchors = _anchors(f)
    error = next((errors[a] for a in anchors if a in errors), "")
    bound: dict[str, Any] = {"f": f, "id": f.id, "value": values.get(f.id, ""), "error": error}
    bound["default"] = defaults.get(f.key, "")
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
        order += _anchors(f)
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
            default = setting_defaults().get(f"{step.path}.{f.key}")
            rows.append(
                {
                    "label": f.label,
                    "value": answer_text(f, value, default),
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
    return _anchors(f)[0]


def answer_text(f: Field, value: Any, default: str | None = None) -> str:
    """An answer as people read it: a choice by its words, £ as money, a range in full."""
    if value is None and default is not None:
        return f"Not given: {answer_text(f, number_or_text(default))} (the usual)"
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
        return ", ".join(_money_or_shown(f, v) for v in value)
    if f.widget in ("groups", "by_group"):
        return "; ".join(
            f"{k}: {answer_text(Field(f.key, f.label, widget='range'), v)}"
            for k, v in value.items()
        )
    return _money_or_shown(f, value)


def number_or_text(text: str) -> Any:
    value = number(text)
    return text if value is REMOVE else value


def _money_or_shown(f: Field, value: Any) -> str:
    """£1,250 for a field asked in pounds; other values as typed."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return libraries.money(float(value)) if f.prefix == "£" and number else shown(value)


def item_summary(key: str, item: Any) -> str:
    """One line about an outcome or a cost for the list pages, in words."""
    if not isinstance(item, Mapping):
        return ""
    return _outcome_summary(item) if key == "outcome" else _cost_summary(item)


def _pounds(value: Any) -> str:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return libraries.money(float(value)) if number else toml_value(value)


def _per(item: Mapping[str, Any]) -> str:
    per = item.get("unit_cost_per")
    duration = item.get("duration")
    if not per:
        return ""
    span = f" for {_plain(duration)} {per}s" if duration is not None else ""
    return f" a {per}{span}"


def _plain(value: Any) -> str:
    if isinstance(value, Mapping) and "central" in value:
        return shown(value["central"])
    return shown(value) if isinstance(value, int | float) else toml_value(value)


def _outcome_summary(item: Mapping[str, Any]) -> str:
    cost = item.get("unit_cost")
    if isinstance(cost, str):
        saves = f"saves unit cost {cost}{_per(item)}"
    elif cost is not None:
        saves = f"saves {_pounds(cost)}{_per(item)}"
    else:
        saves = "no cost avoided yet"
    if "baseline" in item:
        who = f"{_plain(item['baseline'])} at risk per intake"
    elif "base_rate" in item:
        who = f"a share {_plain(item['base_rate'])} at risk"
    else:
        who = "everyone who starts at risk"
    if "effect_size" in item:
        how = f"effect size {_plain(item['effect_size'])}"
    elif "success" in item:
        how = (
            f"success {_plain(item['success'])}"
            if not _by_group(item["success"])
            else "success by age group"
        )
    else:
        how = "no success rate yet"
    return f"{who}; {how}; {saves}"


def _by_group(value: Any) -> bool:
    return isinstance(value, Mapping) and not (
        set(value) <= {"low", "central", "high", "distribution"}
    )


def _cost_summary(item: Mapping[str, Any]) -> str:
    parts = []
    if isinstance(item.get("per_participant"), list):
        parts.append(", ".join(_pounds(v) for v in item["per_participant"]) + " per person by year")
    if isinstance(item.get("fixed"), list):
        parts.append(", ".join(_pounds(v) for v in item["fixed"]) + " fixed by year")
    if "unit_cost" in item:
        parts.append(f"{_pounds(item['unit_cost'])} per person{_per(item)}")
    return "; ".join(parts) or "no amounts yet"


__all__ = ["answers", "bind", "item_summary", "message", "summary"]
