"""Validate documents against the Open Referral UK v3 JSON Schemas (vendored in `schema/`).

The schemas refer to each other by file name ("schedule.json"), so every file is registered in
a `referencing` Registry under the URI the ORUK OpenAPI file uses for it; relative references
then resolve inside the folder, with no network. Formats (uuid, email, date-time) are checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from upstream.errors import InputError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# Where ORUK publishes them (schema/openapi.json refers to the compiled ones by this URI).
BASE_URI = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
MAX_REPORTED = 10

# What a document is → the schema it must satisfy.
SCHEMAS = {
    "service": "service.json",
    "organization": "organization.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
    "service_list_item": "compiled/service_list.json",
    "service_at_location_list_item": "compiled/service_at_location_list.json",
    "page": "openapi.json#/components/schemas/Page",
}


class OrukValidationError(InputError):
    """A document is not valid ORUK; `problems` lists (path, reason) for each finding."""

    def __init__(self, problems: list[tuple[str, str]], *, where: str | None = None) -> None:
        self.problems = problems
        shown = "; ".join(f"{path}: {reason}" for path, reason in problems[:MAX_REPORTED])
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        super().__init__(f"not valid Open Referral UK: {shown}{more}", where=where)


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = BASE_URI + path.relative_to(SCHEMA_DIR).as_posix()
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE_URI + SCHEMAS[kind]}, registry=registry(), format_checker=FormatChecker()
    )


@cache
def page_validator(item_kind: str) -> Draft202012Validator:
    """A paginated listing as the ORUK OpenAPI defines it: the Page envelope, `contents` items."""
    schema = {
        "allOf": [{"$ref": BASE_URI + SCHEMAS["page"]}],
        "required": ["total_items", "total_pages", "page_number", "size", "contents"],
        "properties": {
            "contents": {"type": "array", "items": {"$ref": BASE_URI + SCHEMAS[item_kind]}}
        },
    }
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


def problems_in(document: Any, kind: str) -> list[tuple[str, str]]:
    return _problems(validator(kind).iter_errors(document))


def page_problems(document: Any, item_kind: str) -> list[tuple[str, str]]:
    return _problems(page_validator(item_kind).iter_errors(document))


def check(document: Any, kind: str, *, where: str | None = None) -> None:
    problems = problems_in(document, kind)
    if problems:
        raise OrukValidationError(problems, where=where)


def _problems(errors: Iterable[ValidationError]) -> list[tuple[str, str]]:
    found = sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])
    return [(json_path(e.absolute_path), _short(e.message)) for e in found]


def _short(reason: str, limit: int = 200) -> str:
    """jsonschema quotes the offending value whole ("[[[…]]] is not of type 'object'"): keep
    the start and the end, which say what it was and what was wanted."""
    if len(reason) <= limit:
        return reason
    half = (limit - 1) // 2
    return f"{reason[:half]}…{reason[-half:]}"


def json_path(parts: Iterable[Any]) -> str:
    """["schedules", 0, "id"] → "$.schedules[0].id"."""
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
