"""Governance records: the dataset register, the audit log, recorded reasons for access,
working relationships (allocations), pseudonyms and failed sign-ins.

The audit log is append-only: entries cannot be changed or deleted through the ORM, nor (by
database triggers, on SQLite and PostgreSQL) through SQL, and the chain head can be neither
deleted nor moved back. Each entry's hash covers the previous entry's hash and its own canonical
content, so a changed, removed or reordered entry is found by `upstream audit verify`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from upstream.accounts.roles import ROLE_LABELS
from upstream.governance.purposes import PURPOSE_LABELS

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]
PURPOSE_CHOICES = [(purpose.value, label) for purpose, label in PURPOSE_LABELS.items()]


class Dataset(models.Model):
    """An agency source whose records Upstream holds, with the lawful basis for holding them."""

    # Matches a record's `source` equal to the code or starting with "code_" (health_ae).
    code = models.SlugField(max_length=40, unique=True, help_text="The source code in records.")
    name = models.CharField(max_length=120, help_text="Short name shown as the agency.")
    description = models.CharField(max_length=300, blank=True)
    controller = models.CharField(max_length=120, help_text="Who controls the data.")
    lawful_basis = models.TextField()

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class PermittedUse(models.Model):
    """A dataset may be used for this purpose by people in this role."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="uses")
    purpose = models.CharField(max_length=32, choices=PURPOSE_CHOICES)
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["dataset", "purpose", "role"], name="one_use_per_row")
        ]


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One read or write of personal data (or an attempt): who, what, when, why, from where."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, db_index=True, help_text="Username, kept as text.")
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    outcome = models.CharField(max_length=10, default="allowed")
    person = models.CharField(max_length=64, blank=True, db_index=True)
    household = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    people_shown = models.TextField(
        blank=True, help_text="Person keys shown (e.g. in search results), comma-wrapped."
    )
    resource = models.CharField(max_length=300, blank=True, help_text="The page or API path.")
    ip_address = models.CharField(max_length=45, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-sequence"]
        verbose_name_plural = "audit entries"

    @property
    def actor_role_label(self) -> str:
        return dict(ROLE_CHOICES).get(self.actor_role, self.actor_role)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"audit entry {self.sequence} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"audit entry {self.sequence} cannot be deleted")


class AuditChainHead(models.Model):
    """One row: the last entry's sequence and hash. Locking it serialises appends, so the chain
    has no forks, and comparing it with the last entry finds entries removed from the end."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)


class RecordedReason(models.Model):
    """Access to a person outside a working relationship, with the reason given ("break
    glass"); time-limited and queued for the data protection officer's review."""

    class Review(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        APPROPRIATE = "appropriate", "Appropriate"
        INAPPROPRIATE = "inappropriate", "Not appropriate"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    person = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=32, choices=PURPOSE_CHOICES)
    reason = models.TextField()
    at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=16, choices=Review.choices, default=Review.WAITING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-at"]
        indexes: ClassVar = [models.Index(fields=["user", "person", "expires_at"])]


class SignInFailure(models.Model):
    """A failed sign-in, counted per username and address, per address, and across the
    service to lock out guessing (governance/throttle.py)."""

    username = models.CharField(max_length=150)
    ip_address = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["username", "ip_address", "at"]),
            models.Index(fields=["ip_address", "at"], name="signin_failure_address_at"),
        ]


class Pseudonym(models.Model):
    """The pseudonym analysts see for a person (a keyed hash of the person's key), kept so an
    analyst can find a pseudonymised record again without ever seeing who it is."""

    token = models.CharField(max_length=20, unique=True)
    person = models.CharField(max_length=64, unique=True)


class Allocation(models.Model):
    """A person on a team's caseload, optionally allocated to one practitioner (their key
    worker): a working relationship, which the access decision rests on. Ending an allocation
    keeps the row: who worked with whom, and when, is history.

    The table is casework's by name (it began there; the model moved here without touching the
    database). The person is the published `person_id`, kept as text like a recorded reason's:
    `upstream publish` replaces the published tables whole, and an allocation must outlive that
    (person IDs are persistent, docs/published-tables.md).
    """

    person_id = models.CharField(max_length=16, db_index=True)
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
        # The front door works with the person while it takes and triages their request for
        # help (upstream.frontdoor): ended when the request leaves the front door.
        REQUEST = "request", "Request for help being taken"

    # Why the team may work with this person: an allocation opens the record to the whole
    # team, so it rests on something the data protection officer can review.
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.CASELOAD)
    recorded_reason = models.ForeignKey(
        RecordedReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )

    class Meta:
        db_table = "casework_allocation"
        ordering: ClassVar = ["-allocated_at"]
        indexes: ClassVar = [
            models.Index(fields=["person_id", "ended_at"], name="casework_al_person__aa45ca_idx"),
            models.Index(fields=["team", "ended_at"], name="casework_al_team_4cfd77_idx"),
            models.Index(fields=["worker", "ended_at"], name="casework_al_worker__b52ddc_idx"),
        ]
