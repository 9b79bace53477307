"""Every change to a directory record, field by field (HSDS 3's `metadata` table).

Imports and the editor both write through `upsert`, so a field never changes without a
`FieldChange` saying from what, to what, when and by whom (a user or a feed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from upstream.directory.models import FieldChange, Service

M = TypeVar("M", bound=models.Model)


@dataclass
class Changer:
    """Who is changing records, and what they changed so far (for the import report)."""

    updated_by: str
    user: Any = None
    at: datetime = field(default_factory=timezone.now)
    changes: list[FieldChange] = field(default_factory=list)

    def record(
        self,
        record: models.Model,
        service: Service | None,
        action: str,
        field_name: str = "",
        previous: Any = "",
        replacement: Any = "",
    ) -> None:
        change = FieldChange(
            resource_id=record.pk,
            resource_type=record._meta.model_name or "",
            service=service,
            last_action_date=self.at,
            last_action_type=action,
            field_name=field_name,
            previous_value=as_text(previous),
            replacement_value=as_text(replacement),
            updated_by=self.updated_by,
            changed_by=self.user,
        )
        self.changes.append(change)

    def save(self) -> None:
        FieldChange.objects.bulk_create(self.changes)
        self.changes = []


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def upsert(
    model: type[M],
    pk: uuid.UUID,
    values: dict[str, Any],
    changer: Changer,
    service: Service | None,
    *,
    known: dict[Any, M] | None = None,
) -> tuple[M, list[str]]:
    """Create the record or change only the fields that differ; returns it and the changed
    field names (["*"] when created). `known` holds records already read (in one query)."""
    record = known.get(pk) if known is not None else model._default_manager.filter(pk=pk).first()
    if record is None:
        record = model(pk=pk, **values)
        record.save(force_insert=True)
        changer.record(record, service if model is not Service else record, "create", "*")  # type: ignore[arg-type]
        return record, ["*"]
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        changer.record(
            record,
            service if model is not Service else record,  # type: ignore[arg-type]
            "update",
            name,
            getattr(record, name),
            values[name],
        )
        setattr(record, name, values[name])
    if changed:
        record.save(update_fields=changed)
    return record, changed


def delete(record: models.Model, changer: Changer, service: Service | None) -> None:
    changer.record(record, service, "delete", "*", previous=str(record))
    record.delete()


def refresh_search_text(service: Service) -> None:
    """The lower-case text the search matches: name, description, organisation, needs."""
    parts = [service.name, service.description, service.eligibility_description]
    if service.organization_id:
        parts.append(service.organization.name if service.organization else "")
    parts += [t.name for t in service.terms.all()]
    parts += [t.plain_name for t in service.terms.all() if t.plain_name]
    text = " ".join(p for p in parts if p).lower()
    if text != service.search_text:
        Service.objects.filter(pk=service.pk).update(search_text=text)
        service.search_text = text
