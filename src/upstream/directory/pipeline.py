"""The main job's directory step: load the synthetic directory for the synthetic city.

`upstream demo` calls `load_for_city(city_dir, data_dir)` (see `upstream.demo.PIPELINES`).
It sets Django up and migrates itself, so it runs in any order, and it goes through the ORUK
import, so loading it twice changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from upstream.directory import synthetic
from upstream.errors import InputError

if TYPE_CHECKING:
    from upstream.directory.importer import ImportReport

console = Console()
SOURCE = "synthetic directory"


def city_ward_names(city_dir: Path) -> list[str]:
    """The city's ward names, from its manifest ("wards" if it lists them, else the count
    the synthetic city uses for its size, named as `upstream.synth.places` names them)."""
    manifest_path = city_dir / "manifest.json"
    if not manifest_path.exists():
        raise InputError("no synthetic city here (no manifest.json)", where=str(city_dir))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    wards = manifest.get("wards")
    if isinstance(wards, list) and wards and all(isinstance(w, str) for w in wards):
        return wards
    if isinstance(wards, list) and wards and all(isinstance(w, dict) for w in wards):
        return [str(w.get("name")) for w in wards]
    return ward_names(ward_count(int(manifest.get("people", 20_000))))


def ward_count(people: int) -> int:
    from upstream.synth.places import ward_count as city_ward_count

    return city_ward_count(people)


def ward_names(count: int) -> list[str]:
    # The same rule as upstream.synth.places.build_places: stems in order, numbered after 40.
    from upstream.synth.places import _WARD_STEMS as STEMS

    return [
        f"{STEMS[i % len(STEMS)]}{'' if i < len(STEMS) else ' ' + str(i)}" for i in range(count)
    ]


def load_for_city(city_dir: Path, data_dir: Path) -> None:
    from upstream.web.commands import migrate

    migrate()
    wards = city_ward_names(city_dir)
    report = load_synthetic(wards)
    console.print(report.lines()[0])
    console.print(
        f"Try the citizen journey: /directory/?need=financial-help&postcode="
        f"{journey_postcode()}&age=67&day=SA"
    )


def load_synthetic(
    wards: list[str], *, seed: int = 42, per_item: int = synthetic.SERVICES_PER_ITEM
) -> ImportReport:
    from upstream.directory.importer import import_document
    from upstream.directory.terms import ensure_taxonomy

    ensure_taxonomy()
    documents = synthetic.directory_documents(wards, seed=seed, per_item=per_item)
    return import_document(documents, source=SOURCE, where="synthetic directory")


def journey_postcode() -> str:
    from upstream.directory.models import Address

    address = Address.objects.filter(
        location__service_at_locations__service_id=synthetic.JOURNEY_SERVICE_ID
    ).first()
    return address.postal_code.replace(" ", "+") if address else ""
