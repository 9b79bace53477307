"""The published person index, households, service-event timeline and cost ledger.

These tables are written only by `upstream publish` (a whole-table replace, so re-publishing is
idempotent) and read by the casework pages; nothing else should write to them. Identifiers are
the insight workspace's persistent ones, so a person's `person_id` survives re-linking (merges
and splits are recorded in :class:`PersonLineage`). Field meanings: docs/published-tables.md.
"""

from __future__ import annotations

from django.db import models


class PublishRun(models.Model):
    """One `upstream publish`: which linkage run the tables came from, and row counts."""

    published_at = models.DateTimeField(auto_now_add=True)
    link_run_id = models.CharField(max_length=40, help_text="The insight linkage run published.")
    workspace = models.CharField(max_length=500, help_text="The DuckDB workspace read.")
    counts = models.JSONField(default=dict, help_text="Rows written per table.")

    class Meta:
        ordering = ("-published_at",)


class Person(models.Model):
    """A person as linked across agencies; the best-known identity from their source records."""

    person_id = models.CharField(
        max_length=16, primary_key=True, help_text="Persistent, e.g. P00001234."
    )
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.CharField(
        max_length=500, blank=True, help_text="Other names seen in records, '; '-separated."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True, help_text="M, F or blank when unknown.")
    ethnicity = models.CharField(max_length=40, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    current_uprn = models.CharField(max_length=12, blank=True, help_text="Latest address seen.")
    current_postcode = models.CharField(max_length=8, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    sources = models.CharField(
        max_length=300, blank=True, help_text="Agencies holding a record, comma-separated."
    )
    record_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    total_cost = models.DecimalField(
        default=0, max_digits=14, decimal_places=2, help_text="Sum of the cost ledger, GBP."
    )

    class Meta:
        ordering = (
            "family_name",
            "given_name",
            "person_id",
        )
        indexes = (
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["nhs_number"]),
            models.Index(fields=["current_uprn"]),
        )

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.person_id})"


class SourceRecord(models.Model):
    """One accepted row of an agency extract, and the person it was linked to (and how)."""

    record_key = models.CharField(max_length=80, primary_key=True, help_text="SOURCE:record id.")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="source_records")
    source = models.CharField(max_length=40, help_text="The extract, e.g. health_ae.")
    agency = models.CharField(max_length=40, help_text="The agency holding it, e.g. health.")
    source_record_id = models.CharField(max_length=60)
    given_name = models.CharField(max_length=100, blank=True, help_text="As recorded.")
    family_name = models.CharField(max_length=100, blank=True, help_text="As recorded.")
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    address = models.CharField(max_length=300, blank=True)
    uprn = models.CharField(max_length=12, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    recorded_on = models.DateField(
        null=True, blank=True, help_text="Date of the record's event or registration."
    )
    extract_id = models.CharField(max_length=40, help_text="The imported file it came from.")
    link_method = models.CharField(
        max_length=20,
        help_text="source_reference, nhs_number, uprn_dob (rules), probabilistic, earlier_run or alone.",
    )
    match_probability = models.FloatField(
        null=True, blank=True, help_text="Best link's Splink probability."
    )

    class Meta:
        ordering = (
            "person_id",
            "recorded_on",
        )
        indexes = (models.Index(fields=["source", "source_record_id"]),)


class Household(models.Model):
    """People living at one property (UPRN) over one dated interval."""

    household_id = models.CharField(
        max_length=40, primary_key=True, help_text="H-UPRN-YYYYMMDD (start)."
    )
    uprn = models.CharField(max_length=12)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Blank while still living there.")
    member_count = models.PositiveIntegerField(default=0)
    total_cost = models.DecimalField(
        default=0,
        max_digits=14,
        decimal_places=2,
        help_text="Cost ledger while members lived here.",
    )

    class Meta:
        ordering = (
            "uprn",
            "start_date",
        )
        indexes = (models.Index(fields=["uprn"]),)


class HouseholdMembership(models.Model):
    """A person living in a household from one date to another."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = (
            "household_id",
            "start_date",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["household", "person", "start_date"], name="one_membership_per_start"
            ),
        )


class StatedRelationship(models.Model):
    """A relationship a source system recorded (never inferred, e.g. from a shared surname)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    related_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(
        max_length=40, help_text="What related_person is to person, e.g. mother."
    )
    source = models.CharField(max_length=40)
    source_record_id = models.CharField(max_length=60)

    class Meta:
        ordering = (
            "person_id",
            "relationship",
        )


class ServiceEvent(models.Model):
    """Something an agency did or recorded for a person: the timeline across agencies."""

    event_id = models.CharField(max_length=80, primary_key=True, help_text="SOURCE:record id.")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    source = models.CharField(max_length=40)
    agency = models.CharField(max_length=40)
    event_type = models.CharField(
        max_length=60, help_text="The source's event kind, e.g. ae_attendance."
    )
    description = models.CharField(max_length=300, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    ward = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = (
            "person_id",
            "start_date",
        )
        indexes = (
            models.Index(fields=["person", "start_date"]),
            models.Index(fields=["household"]),
        )


class CostEntry(models.Model):
    """The cost ledger: one line per costed service event, priced from the unit-cost library."""

    event = models.OneToOneField(ServiceEvent, on_delete=models.CASCADE, related_name="cost")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="costs")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="costs"
    )
    unit_cost_code = models.CharField(max_length=20, help_text="GMCA Unit Cost Database v1.4 code.")
    unit_cost_description = models.CharField(max_length=300)
    quantity = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="Units (e.g. nights, weeks)."
    )
    unit_cost = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="GBP per unit at price_year."
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="quantity x unit_cost, GBP."
    )
    price_year = models.CharField(
        max_length=7, help_text="Prices uprated to this financial year, e.g. 2024/25."
    )
    paying_agency = models.CharField(max_length=40)
    financial_year = models.CharField(
        max_length=7, help_text="When the event happened, e.g. 2023/24."
    )
    ward = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = (
            "person_id",
            "financial_year",
        )
        indexes = (
            models.Index(fields=["paying_agency", "financial_year"]),
            models.Index(fields=["ward"]),
        )


class PersonLineage(models.Model):
    """When re-linking merged two person IDs or split one: where an old ID went."""

    old_person_id = models.CharField(max_length=16, db_index=True)
    new_person_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=10, help_text="merge or split.")
    link_run_id = models.CharField(max_length=40)

    class Meta:
        ordering = ("old_person_id",)
