"""The partner API's request and response shapes (they make its part of the OpenAPI document).

Every input has limits (lengths, counts, the values a field may take), so what cannot be used
is refused with a 4xx before any service reads it; the services check again (`intake`,
`consent`, `connecting`), as they do for the pages. Limits follow the models' columns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from upstream.frontdoor.models import ContactMethod, DeclineReason, Urgency

# The names consent.CATEGORIES, consent.RECIPIENT_TYPES and consent.PURPOSES give (a test
# holds these to them, so the OpenAPI document lists what the services accept).
Category = Literal["contact", "what_matters", "needs", "access", "date_of_birth"]
RecipientType = Literal["voluntary", "council", "nhs", "any_directory"]
Purpose = Literal["connect_to_help", "team_around"]


class Problem(Schema):
    """RFC 9457 problem details (`application/problem+json`), as every error answers."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = None


class IdentityIn(Schema):
    """Who the referral is for, as the partner knows them."""

    given_name: str = Field(..., min_length=1, max_length=100)
    family_name: str = Field(..., min_length=1, max_length=100)
    date_of_birth: date | None = None
    sex: Literal["F", "M", ""] = ""
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    identifier_type: str = Field("", max_length=40, description="e.g. NHS number")
    identifier: str = Field("", max_length=40)


class ConsentIn(Schema):
    """Consent the person gave the referring organisation (ISO/IEC TS 27560 shape)."""

    purpose: Purpose = "connect_to_help"
    categories: list[Category] = Field(..., min_length=1, max_length=5)
    organisations: list[UUID] = Field(
        [], max_length=50, description="Directory organisations it may be shared with."
    )
    types: list[RecipientType] = Field([], max_length=4)
    state: Literal["requested", "given", "refused"] = "given"
    note: str = Field("", max_length=2000)


class RequestIn(Schema):
    """A partner's referral: who, what matters, what they need, how to reach them."""

    person: IdentityIn
    referrer_name: str = Field(..., min_length=1, max_length=200)
    referrer_role: str = Field("", max_length=100, description="e.g. Housing support worker")
    what_matters: str = Field(..., min_length=1, max_length=4000)
    needs: list[str] = Field(
        ...,
        min_length=1,
        max_length=12,
        description="Directory taxonomy slugs (GET /directory/api/taxonomy_terms).",
    )
    urgency: Urgency = Urgency.ROUTINE
    preferred_contact: ContactMethod
    contact_detail: str = Field("", max_length=200)
    language: str = Field("English", max_length=60)
    accessibility_needs: str = Field("", max_length=4000)
    consent: ConsentIn | None = None


class ConsentEventOut(Schema):
    state: str
    method: str
    at: datetime


class ConsentOut(Schema):
    id: int
    purpose: str
    categories: list[str]
    organisations: list[str]
    types: list[str]
    state: str
    given_at: datetime | None
    expires_at: datetime | None
    history: list[ConsentEventOut]


class SentConnectionOut(Schema):
    """A connection made for a partner's referral, as the referrer sees it."""

    service: str
    organisation: str
    status: str
    status_label: str
    decline_reason: str
    helped: bool | None
    sent_at: datetime
    answered_at: datetime | None


class RequestSummaryOut(Schema):
    reference: str
    status: str
    status_label: str
    received_at: datetime
    needs: list[str]
    connections: int


class RequestOut(Schema):
    reference: str
    status: str
    status_label: str
    received_at: datetime
    needs: list[str]
    urgency: str
    joined: bool = Field(False, description="Added to an open request for the same need.")
    consents: list[ConsentOut]
    connections: list[SentConnectionOut]


class RequestPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RequestSummaryOut]


class ServiceOut(Schema):
    id: UUID
    name: str


class ConnectionOut(Schema):
    """A connection to the key's organisation: only what consent allowed to be shared."""

    id: int
    service: ServiceOut
    sent_at: datetime
    answer_due: datetime
    status: str
    status_label: str
    decline_reason: str
    helped: bool | None
    answered_at: datetime | None
    message: str
    shared: dict[str, Any]


class ConnectionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ConnectionOut]


class AnswerIn(Schema):
    """Accepted or declined (with a reason) when sent; completed (helped or not) or declined
    once accepted."""

    status: Literal["accepted", "declined", "completed"]
    decline_reason: DeclineReason | None = None
    helped: bool | None = None
    note: str = Field("", max_length=4000)


class SuggestionOut(Schema):
    route: str
    team: str
    rule: str
    why: str
    rules_version: str


class DecisionOut(Schema):
    route: str
    team: str
    override_reason: str
    overridden: bool
    triaged_at: datetime | None


class TriageOut(Schema):
    reference: str
    suggestion: SuggestionOut
    decision: DecisionOut | None
