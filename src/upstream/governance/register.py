"""The dataset register: load the shipped register, and decide which sources a viewer may see.

A view shows only the datasets whose permitted uses cover the viewer's role and purpose.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from upstream import sources
from upstream.accounts.roles import Role
from upstream.errors import InputError
from upstream.governance.models import Dataset, PermittedUse
from upstream.governance.purposes import Purpose


@dataclass(frozen=True)
class DatasetEntry:
    code: str
    name: str
    description: str
    controller: str
    lawful_basis: str
    uses: tuple[tuple[str, str], ...]  # (purpose, role)


def _uses(rows: list[dict[str, Any]], where: str) -> list[tuple[str, str]]:
    pairs = []
    for row in rows:
        purpose = row.get("purpose", "")
        if purpose not in set(Purpose):
            raise InputError(f"unknown purpose {purpose!r}", where=where)
        for role in row.get("roles", []):
            if role not in set(Role):
                raise InputError(f"unknown role {role!r}", where=where)
            pairs.append((purpose, role))
    return pairs


def read_register(text: str | None = None) -> list[DatasetEntry]:
    """Parse the register (the shipped one by default); unknown purposes or roles are errors."""
    if text is None:
        text = sources.register_text()
    data = tomllib.loads(text)
    defaults = _uses(data.get("defaults", {}).get("uses", []), "datasets.toml [defaults]")
    entries = []
    for row in data.get("dataset", []):
        where = f"datasets.toml dataset {row.get('code', '?')}"
        if row.get("code") not in sources.datasets().values():
            raise InputError("not a dataset of any source in the source catalogue", where=where)
        uses = defaults + _uses(row.get("uses", []), where)
        entries.append(
            DatasetEntry(
                code=row["code"],
                name=row["name"],
                description=row.get("description", ""),
                controller=row["controller"],
                lawful_basis=row["lawful_basis"],
                uses=tuple(dict.fromkeys(uses)),
            )
        )
    return entries


@transaction.atomic
def ensure_register(entries: list[DatasetEntry] | None = None) -> int:
    """Add the datasets that are missing (with their uses); returns how many were added."""
    added = 0
    for entry in entries if entries is not None else read_register():
        dataset, created = Dataset.objects.get_or_create(
            code=entry.code,
            defaults={
                "name": entry.name,
                "description": entry.description,
                "controller": entry.controller,
                "lawful_basis": entry.lawful_basis,
            },
        )
        if created:
            added += 1
            clear_register_cache()
            PermittedUse.objects.bulk_create(
                PermittedUse(dataset=dataset, purpose=p, role=r) for p, r in entry.uses
            )
    return added


def ensure_register_after_migrate(**kwargs: Any) -> None:
    ensure_register()


# The register changes rarely (a data protection officer's decision) and is read on every
# page, so each process keeps it for a minute; a change reaches every page within that time.
REGISTER_SECONDS = 60.0
_cache: dict[str, tuple[float, Any]] = {}


def _cached(key: str, load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is None or now - hit[0] > REGISTER_SECONDS:
        hit = (now, load())
        _cache[key] = hit
    return hit[1]


def clear_register_cache() -> None:
    _cache.clear()


def _all_uses() -> frozenset[tuple[str, str, str]]:
    return frozenset(PermittedUse.objects.values_list("role", "purpose", "dataset__code"))


def permitted_sources(role: Role, purpose: Purpose | None) -> frozenset[str]:
    """The codes of the datasets this role may see for this purpose."""
    if purpose is None:
        return frozenset()
    uses = _cached("uses", _all_uses)
    return frozenset(code for r, p, code in uses if r == role.value and p == purpose.value)


def dataset_names() -> dict[str, str]:
    """Every dataset's code and its short name (shown as the agency), in name order."""
    return dict(_cached("names", lambda: list(Dataset.objects.values_list("code", "name"))))


def withheld_datasets(shown: frozenset[str]) -> list[str]:
    """Names of the datasets not shown (named on the page, their contents withheld)."""
    return [name for code, name in dataset_names().items() if code not in shown]


def dataset_code_for(source: str, codes: frozenset[str] | set[str]) -> str | None:
    """The register's dataset for a record's source: the code itself or `code_…` (health_ae)."""
    if source in codes:
        return source
    for code in codes:
        if source.startswith(code + "_"):
            return code
    return None


def source_is_permitted(source: str, permitted: frozenset[str]) -> bool:
    return dataset_code_for(source, permitted) is not None


DATASET_COLUMNS = ("code", "name", "description", "controller", "lawful_basis", "permitted_uses")


def dataset_rows() -> list[dict[str, Any]]:
    """The register as rows (the Datasets page's downloads and the API): each dataset and its
    permitted uses as `purpose:role`."""
    return [
        {
            "code": d.code,
            "name": d.name,
            "description": d.description,
            "controller": d.controller,
            "lawful_basis": d.lawful_basis,
            "permitted_uses": sorted(f"{u.purpose}:{u.role}" for u in d.uses.all()),
        }
        for d in Dataset.objects.prefetch_related("uses")
    ]
