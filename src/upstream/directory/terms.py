"""Upstream's taxonomy in the database: created once, idempotently, from `taxonomy.py`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from upstream.directory import taxonomy as capability
from upstream.directory.models import Taxonomy, TaxonomyTerm, TermMapping


@transaction.atomic
def ensure_taxonomy() -> Taxonomy:
    """Create or refresh Upstream's taxonomy, its terms and their synonym mappings."""
    taxonomy, _ = Taxonomy.objects.update_or_create(
        pk=capability.TAXONOMY_ID,
        defaults={
            "name": capability.TAXONOMY_NAME,
            "description": capability.TAXONOMY_DESCRIPTION,
            "version": capability.TAXONOMY_VERSION,
        },
    )
    for area in capability.AREAS:
        parent = _term(taxonomy, area.slug, area.name, area.plain_name, None, area.tier)
        for item in area.items:
            term = _term(taxonomy, item.slug, item.name, item.plain_name, parent, area.name)
            for synonym in item.synonyms:
                TermMapping.objects.get_or_create(
                    term=term, external_taxonomy=capability.ANY_TAXONOMY, external_name=synonym
                )
    return taxonomy


def _term(
    taxonomy: Taxonomy,
    slug: str,
    name: str,
    plain_name: str,
    parent: TaxonomyTerm | None,
    context: str,
) -> TaxonomyTerm:
    description = (
        f"{name}: a capability area ({context} support)"
        if parent is None
        else f"{name}, in {context}"
    )
    term, _ = TaxonomyTerm.objects.update_or_create(
        pk=capability.term_id(slug),
        defaults={
            "taxonomy": taxonomy,
            "parent": parent,
            "name": name,
            "plain_name": plain_name,
            "description": description,
            "code": slug,
        },
    )
    return term


@dataclass(frozen=True)
class NeedGroup:
    """A capability area and its items, for the citizen's "What do you need help with?"."""

    label: str
    options: list[tuple[str, str]]  # (item slug, plain name)


def need_groups() -> list[NeedGroup]:
    return [
        NeedGroup(area.plain_name, [(item.slug, item.plain_name) for item in area.items])
        for area in capability.AREAS
    ]
