"""Directory factories with keyword-only defaults: make what a test needs, nothing more."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

from upstream.directory import synthetic
from upstream.directory.importer import ImportReport, import_document
from upstream.directory.models import Service
from upstream.directory.terms import ensure_taxonomy

OFFICIAL = Path("/work/shared/data/oruk")
EXAMPLES = OFFICIAL / "examples"
WARDS = ["Ashfield", "Brookvale", "Copperhill", "Dovecote"]


def official_example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def load_directory(
    *, per_item: int = 1, wards: list[str] | None = None, seed: int = 42
) -> ImportReport:
    """The synthetic directory (per_item services for each of the 46 needs, plus the journey
    service), through the real import."""
    ensure_taxonomy()
    documents = synthetic.directory_documents(wards or WARDS, seed=seed, per_item=per_item)
    return import_document(documents, source="synthetic directory")


def service_document(**changes: Any) -> dict[str, Any]:
    """One synthetic ORUK service document (the journey service), with changes applied."""
    document = copy.deepcopy(synthetic.journey_service(WARDS))
    document.update(changes)
    return document


def create_service(**changes: Any) -> Service:
    ensure_taxonomy()
    document = service_document(id=str(uuid.uuid4()), **changes)
    import_document(document, source="test")
    return Service.objects.get(pk=document["id"])


def journey_service() -> Service:
    return Service.objects.get(pk=synthetic.JOURNEY_SERVICE_ID)
