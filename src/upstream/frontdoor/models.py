"""The front door's records: a request for help however it arrives, the identity given for
someone not yet linked, consent (shaped after ISO/IEC TS 27560), safeguarding concerns,
connections to services with their answers, partner organisations' accounts and API keys.

People are the published `person_id`, kept as text like an allocation's: `upstream publish`
replaces the published tables whole and a request must outlive that. Histories (consent,
connections) are append-only rows: a state is changed by adding an event, never by editing one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    WEB = "web", "Online (the person asked on the web)"
    PHONE = "phone", "Phone"
    FACE_TO_FACE = "face_to_face", "Face to face"
    PARTNER = "partner", "Referral from a partner organisation"
    PROACTIVE = "proactive", "We contacted them (proactive)"


class Place(models.TextChoices):
    CONTACT_CENTRE = "contact_centre", "Contact centre"
    COMMUNITY_HUB = "community_hub", "Community hub"
    LIBRARY = "library", "Library"
    GP_SURGERY = "gp_surgery", "GP surgery"
    HOME_VISIT = "home_visit", "Home visit"
    ONLINE = "online", "Online"
    PARTNER_OFFICE = "partner_office", "A partner's office"
    OTHER = "other", "Somewhere else"


class AskedBy(models.TextChoices):
    PERSON = "person", "The person themselves"
    FAMILY_OR_FRIEND = "family_or_friend", "Family member or friend"
    PROFESSIONAL = "professional", "A professional"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (this week)"
    URGENT = "urgent", "Urgent (today)"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class Route(models.TextChoices):
    UNIVERSAL = "universal", "Universal: information, self-help or a community service"
    TARGETED = "targeted", "Targeted: a key worker or team around the person or family"
    STATUTORY = "statutory", "Statutory: children's, adult social care or homelessness"


class RequestStatus(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Waiting for triage"
    WAITING_LIST = "waiting_list", "On a team's waiting list"
    HANDED_OVER = "handed_over", "Handed over to a statutory service"
    CONNECTED = "connected", "Connected to help"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    RequestStatus.AWAITING_TRIAGE,
    RequestStatus.WAITING_LIST,
    RequestStatus.HANDED_OVER,
    RequestStatus.CONNECTED,
)


class ProvisionalPerson(models.Model):
    """Someone the front door does not know yet: the identity as they gave it. The next linkage
    run matches it to a linked person (the front door's extract goes through the same linkage
    as every agency's); until then, and if it never matches, the requests stay with it."""

    reference = models.CharField(max_length=20, unique=True, help_text="e.g. PP-000123.")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    identifier_type = models.CharField(max_length=40, blank=True, help_text="e.g. NHS number.")
    identifier = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField()
    matched_person_id = models.CharField(max_length=16, blank=True, db_index=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    match_run = models.CharField(max_length=40, blank=True, help_text="The linkage run.")

    class Meta:
        ordering: ClassVar = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.reference})"


class Request(models.Model):
    """A request for help, however it arrived: the unit the front door, conversations and
    measures share. Joined contacts (`RequestContact`) are later asks for the same need."""

    reference = models.CharField(max_length=20, unique=True, help_text="e.g. R-2026-000123.")
    person_id = models.CharField(max_length=16, blank=True, db_index=True)
    provisional = models.ForeignKey(
        ProvisionalPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    place = models.CharField(max_length=20, choices=Place.choices, blank=True)
    received_at = models.DateTimeField(db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_recorded",
        help_text="The officer or partner who recorded it (blank for a citizen's web request).",
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_made",
        help_text="The citizen's account that follows it, if any.",
    )
    asked_by = models.CharField(max_length=20, choices=AskedBy.choices)
    asker_name = models.CharField(max_length=200, blank=True)
    asker_relationship = models.CharField(max_length=100, blank=True)
    asker_organisation = models.CharField(max_length=300, blank=True)
    referring_organisation = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    proactive_reason = models.CharField(
        max_length=300, blank=True, help_text="The flag or cohort a proactive contact acted on."
    )
    what_matters = models.TextField(help_text="What matters to the person, in their words.")
    needs = models.JSONField(default=list, help_text="Directory taxonomy slugs.")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices)
    contact_detail = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=60, blank=True, default="English")
    accessibility_needs = models.TextField(blank=True)
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        help_text="An earlier request by the same person within 12 months.",
    )
    status = models.CharField(
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.AWAITING_TRIAGE,
        db_index=True,
    )
    # Triage: the rule's suggestion and the officer's decision (an override needs a reason).
    suggested_route = models.CharField(max_length=10, choices=Route.choices, blank=True)
    suggested_team = models.CharField(max_length=100, blank=True)
    suggested_rule = models.CharField(max_length=80, blank=True)
    suggestion_why = models.TextField(blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    route = models.CharField(max_length=10, choices=Route.choices, blank=True, db_index=True)
    team = models.CharField(max_length=100, blank=True, db_index=True)
    override_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_triaged",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-received_at"]
        indexes: ClassVar = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overridden(self) -> bool:
        return bool(self.route) and (
            self.route != self.suggested_route or self.team != self.suggested_team
        )


class RequestContact(models.Model):
    """A later ask joined to an open request for the same person and need (not a new request)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    place = models.CharField(max_length=20, choices=Place.choices, blank=True)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what_matters = models.TextField(blank=True)
    needs = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar = ["at"]


class AppendOnlyError(Exception):
    """A history row was about to be changed or removed."""


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class ConsentState(models.TextChoices):
    REQUESTED = "requested", "Asked, no answer yet"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Said so (verbal)"
    WRITTEN = "written", "In writing"
    WEB_FORM = "web_form", "On the web form"
    API = "api", "Recorded by the referring organisation"


class Consent(models.Model):
    """Consent to share, after ISO/IEC TS 27560 (consent record information structure): for a
    purpose, over data categories, to recipients (named organisations or organisation types).
    The state here is the latest `ConsentEvent`'s; the events are the immutable history."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="consents")
    person_id = models.CharField(max_length=16, blank=True, db_index=True)
    purpose = models.CharField(max_length=40, help_text="e.g. connect_to_help.")
    data_categories = models.JSONField(default=list)
    recipient_organisations = models.JSONField(default=list, help_text="Directory org UUIDs.")
    recipient_types = models.JSONField(default=list, help_text="e.g. voluntary, nhs.")
    state = models.CharField(max_length=10, choices=ConsentState.choices)
    given_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["-created_at"]


class ConsentEvent(_AppendOnly):
    """One change of a consent's state: who recorded it, how, and when (never edited)."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="events")
    state = models.CharField(max_length=10, choices=ConsentState.choices)
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, help_text="Username, or 'web' for a citizen.")
    note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]


class SafeguardingTeam(models.TextChoices):
    ADULTS = "adults", "Adult safeguarding"
    CHILDREN = "children", "Children's safeguarding"


class SafeguardingConcern(models.Model):
    """A safeguarding concern raised from a request: on the right team's queue at once, with a
    clock, never closed without a decision (and, for adults, Making Safeguarding Personal)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="concerns")
    person_id = models.CharField(max_length=16, blank=True, db_index=True)
    team = models.CharField(max_length=10, choices=SafeguardingTeam.choices, db_index=True)
    concern = models.TextField()
    lawful_basis = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField()
    decision = models.CharField(max_length=40, blank=True)
    decision_reason = models.TextField(blank=True)
    outcomes_wanted = models.TextField(blank=True, help_text="Adults: in the person's words.")
    outcomes_met = models.CharField(max_length=10, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["due_at"]


class ConnectionStatus(models.TextChoices):
    SENT = "sent", "Sent, waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", "No capacity"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    COULD_NOT_CONTACT = "could_not_contact", "Could not contact the person"
    PERSON_DECLINED = "person_declined", "The person declined"
    WRONG_SERVICE = "wrong_service", "Not the right service"


class Connection(models.Model):
    """A referral of a person to a directory service: what the service needs to know (only
    what consent covers for that recipient and purpose) and the service's answer."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="connections")
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    organisation = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="referrals_received"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True)
    message = models.TextField(help_text="What the service needs to know.")
    shared = models.JSONField(default=dict, help_text="What was shared, as checked at sending.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="connections_sent"
    )
    sent_at = models.DateTimeField(db_index=True)
    answer_due = models.DateTimeField(help_text="5 working days after sending.")
    status = models.CharField(
        max_length=10,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.SENT,
        db_index=True,
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    helped = models.BooleanField(null=True, blank=True, help_text="On completion.")
    answer_note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-sent_at"]
        indexes: ClassVar = [models.Index(fields=["organisation", "status"])]


class ConnectionEvent(_AppendOnly):
    """One step of a connection's closed loop (sent, accepted, declined, completed, chased)."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=10)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]


class PartnerAccount(models.Model):
    """Ties a partner professional's or service provider's account to their organisation in
    the directory: what they refer and receive is their organisation's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner"
    )
    organisation = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="accounts"
    )


class ApiKey(models.Model):
    """A partner organisation's API key: only a hash is kept; the key is shown once."""

    organisation = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class IdempotentResponse(models.Model):
    """The answer to a POST with an `Idempotency-Key`, replayed when the POST is retried."""

    organisation = models.ForeignKey("directory.Organization", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=300)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_answer_per_key")
        ]
