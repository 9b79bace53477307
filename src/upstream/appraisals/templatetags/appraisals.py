"""Filters for the appraisal pages: money and agencies as people read them."""

from __future__ import annotations

from django import template

from upstream.appraisals import libraries

register = template.Library()


@register.filter
def money(value: float | int | None) -> str:
    """£1,344 (pence below £100)."""
    return "" if value is None else libraries.money(float(value))


@register.filter
def agency(code: str) -> str:
    """local_authority -> Local authority."""
    return libraries.agency_label(code)


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    """A value from a dictionary by a key held in a variable."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
