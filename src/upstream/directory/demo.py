"""The synthetic directory, loaded for a city's wards through the ORUK import (so loading it
twice changes nothing). The demo job (`upstream.jobs.directory`) calls it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from upstream.directory import synthetic

if TYPE_CHECKING:
    from upstream.directory.importer import ImportReport

SOURCE = "synthetic directory"


def load_synthetic(
    wards: list[str], *, seed: int = 42, per_item: int = synthetic.SERVICES_PER_ITEM
) -> ImportReport:
    from upstream.directory.importer import import_document
    from upstream.directory.terms import ensure_taxonomy

    ensure_taxonomy()
    documents = synthetic.directory_documents(wards, seed=seed, per_item=per_item)
    return import_document(documents, source=SOURCE, where="synthetic directory")


def journey_postcode() -> str:
    """A postcode near the service the citizen journey finds (for the demo's hint)."""
    from upstream.directory.models import Address

    address = Address.objects.filter(
        location__service_at_locations__service_id=synthetic.JOURNEY_SERVICE_ID
    ).first()
    return address.postal_code.replace(" ", "+") if address else ""
