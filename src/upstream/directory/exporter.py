"""Export the directory as Open Referral UK v3 JSON: fully nested services, schema-checked."""

from __future__ import annotations

from typing import Any

from upstream.directory import oruk, validation
from upstream.directory.models import Service


def export_services() -> list[dict[str, Any]]:
    """Every service, in id order (stable diffs between exports), each checked against the
    ORUK service schema: an export another council cannot import is a bug, so it fails here."""
    documents = [
        oruk.service_document(s) for s in oruk.full_services(Service.objects.order_by("id"))
    ]
    for index, document in enumerate(documents):
        validation.check(document, "service", where=f"export service {index}")
    return documents
