"""Casework's own tables: allocations (working relationships) and the person search index.

People are referred to by the published `person_id` through foreign keys without a database
constraint: `upstream publish` replaces the published tables whole, and an allocation must
outlive that (person IDs are persistent, docs/published-tables.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


def _person_link() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class Allocation(models.Model):
    """A person on a team's caseload, optionally allocated to one practitioner (their key
    worker). Ending an allocation keeps the row: who worked with whom, and when, is history."""

    person = _person_link()
    team = models.CharField(max_length=100)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Basis(models.TextChoices):
        CASELOAD = "caseload", "Already on the team's caseload"
        REASON = "reason", "Reason recorded by the team manager"
        DEMO = "demo", "Demo caseload"

    # Why the team may work with this person: an allocation opens the record to the whole
    # team, so it rests on something the data protection officer can review.
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.CASELOAD)
    recorded_reason = models.ForeignKey(
        "governance.RecordedReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )

    class Meta:
        ordering: ClassVar = ["-allocated_at"]
        indexes: ClassVar = [
            models.Index(fields=["person", "ended_at"]),
            models.Index(fields=["team", "ended_at"]),
            models.Index(fields=["worker", "ended_at"]),
        ]


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
