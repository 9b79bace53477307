"""Web addresses the directory shows as links: one rule, for the editor's form and the import.

A service's website, an organisation's website and logo, a schedule's link and the like end up
in a page's `href` or `src`. Only http:// and https:// addresses may (Django's URL check with
those two schemes), so neither an editor nor a feed can plant `javascript:`, `data:` or
`vbscript:` where a citizen clicks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from upstream.directory.validation import json_path

SCHEMES = ("http", "https")
validate_web_address = URLValidator(schemes=list(SCHEMES))

# The ORUK fields (in any record, at any depth) that hold a web address.
LINK_FIELDS = frozenset({"url", "website", "logo", "uri", "term_uri", "schedule_link"})


def web_address_problem(value: str) -> str | None:
    """Why `value` cannot be a link, or None if it can."""
    try:
        validate_web_address(value)
    except ValidationError:
        return f"{value!r} is not a web address starting http:// or https://"
    return None


def problems_in(document: Any) -> list[tuple[str, str]]:
    """(JSON path, reason) for every web address in an ORUK document that cannot be a link."""
    found = []
    for parts, value in _link_values(document, []):
        problem = web_address_problem(value)
        if problem:
            found.append((json_path(parts), problem))
    return found


def _link_values(value: Any, parts: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key in LINK_FIELDS and isinstance(child, str) and child:
                yield [*parts, key], child
            else:
                yield from _link_values(child, [*parts, key])
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _link_values(child, [*parts, index])
