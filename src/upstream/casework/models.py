"""Casework's own table: the person search index.

People are referred to by the published `person_id` through a foreign key without a database
constraint: `upstream publish` replaces the published tables whole. Allocations (working
relationships) are governance's (`upstream.governance.models.Allocation`): the access decision
rests on them.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models


def _person_link() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class SearchKey(models.Model):
    """One way to find a person: a phonetic name code, a postcode or an agency identifier.
    Rebuilt from the published tables after each publish (`upstream casework index`)."""

    class Kind(models.TextChoices):
        NAME = "n", "Name (phonetic)"
        IDENTIFIER = "i", "Agency identifier"
        POSTCODE = "p", "Postcode (any recorded)"

    person = _person_link()
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.CharField(max_length=80)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["kind", "key", "person"])]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "key", "person"], name="one_search_key")
        ]
