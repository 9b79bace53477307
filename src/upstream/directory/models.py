"""The directory's data model, following Open Referral UK v3 (the UK profile of HSDS 3.x).

Table and field names are ORUK's, so import, export and the API are a thin mapping
(schemas in `schema/`, from OpenReferralUK/uk-profile). Identifiers are UUIDs, as ORUK
requires, so a service keeps its id from one council's feed to another. Upstream adds only
what its own work needs: who assured a service (`assurer`), where a record came from
(`source`), a lower-case search text, every field change (`FieldChange`, HSDS 3's `metadata`
table) and the connections made between people and services (`Connection`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

STATUSES = ["active", "inactive", "defunct", "temporarily closed"]
LOCATION_TYPES = ["physical", "postal", "virtual"]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v.capitalize()) for v in values]


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    code = models.CharField(max_length=100, blank=True, help_text="ORUK `term`: the code.")
    term_uri = models.URLField(blank=True)
    # Plain words for the citizen search page, e.g. "Money and debt advice".
    plain_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class TermMapping(models.Model):
    """A term in another taxonomy used by ORUK feeds that means one of Upstream's terms.

    When a feed's service carries the other term, the import adds Upstream's term too, so
    imported services are found by the same needs as our own.
    """

    term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="mappings")
    external_taxonomy = models.CharField(max_length=200)
    external_name = models.CharField(max_length=200)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["external_taxonomy", "external_name", "term"], name="unique_mapping"
            ),
        )


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=300)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    logo = models.CharField(max_length=500, blank=True)
    # Not a foreign key: a feed may name a parent it does not publish.
    parent_organization_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location_type = models.CharField(
        max_length=20, choices=_choices(LOCATION_TYPES), default="physical"
    )
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=300)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=20, choices=_choices(LOCATION_TYPES), default="physical"
    )


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "accessibility"


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=_choices(STATUSES), default="active")
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True, db_index=True)
    assurer_email = models.EmailField(blank=True)
    assurer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assured_services",
    )
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=200, default="upstream", help_text="The feed this record came from."
    )
    # Name, description, organisation and term names in lower case: one LIKE finds them all,
    # the same way on SQLite and PostgreSQL (a few thousand services need nothing cleverer).
    search_text = models.TextField(blank=True, editable=False)
    terms = models.ManyToManyField(TaxonomyTerm, through="Attribute", related_name="services")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A link from a service to a taxonomy term (ORUK `attribute`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE)
    link_type = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["service", "taxonomy_term"], name="unique_attribute"),
        )


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=300, blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    service_area = models.TextField(blank=True)


class Schedule(models.Model):
    """When a service is open: an RFC 5545 recurrence (freq, interval, byday, bymonthday)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    freq = models.CharField(max_length=10, blank=True)  # WEEKLY or MONTHLY
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)  # e.g. "MO,TU,SA" or "1SA"
    bymonthday = models.CharField(max_length=100, blank=True)
    dtstart = models.CharField(max_length=30, blank=True)
    valid_from = models.CharField(max_length=30, blank=True)
    valid_to = models.CharField(max_length=30, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    schedule_link = models.URLField(blank=True)


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=50)
    description = models.CharField(max_length=300, blank=True)


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.CharField(max_length=30, blank=True)
    valid_to = models.CharField(max_length=30, blank=True)
    option = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)


class Language(models.Model):
    """A language the service is delivered in (HSDS 3's name and ISO 639 code)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True)


class Funding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)


class FieldChange(models.Model):
    """One field of one record changed: HSDS 3's `metadata` table, plus who and which service."""

    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=50)  # "service", "location", "schedule"…
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    last_action_date = models.DateTimeField(db_index=True)
    last_action_type = models.CharField(max_length=20)  # "create", "update", "delete"
    field_name = models.CharField(max_length=100)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=200, help_text="A username or a feed name.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ("-last_action_date", "id")


CHANNELS = {
    "face_to_face": "Face to face",
    "phone": "Phone",
    "video": "Video call",
    "web": "Online",
    "letter": "Letter",
}


class Connection(models.Model):
    """A person connected to a service: the recorded event conversation 1 ends with.

    The person is a key from the published person index (owned by insight), not a foreign
    key, so the directory stands alone and the casework app joins the two.
    """

    person_key = models.CharField(max_length=100, db_index=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="connections")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="connections_made"
    )
    connected_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=20, choices=list(CHANNELS.items()))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-connected_at",)
