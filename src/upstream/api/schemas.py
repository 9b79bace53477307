"""Response and request shapes of the JSON API (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class Problem(Schema):
    """RFC 9457 problem details (`application/problem+json`), as every error answers; `detail`
    is the sentence for the person (the key API clients have always read)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = None  # each field that cannot be used, when there are any


class Message(Schema):
    detail: str


class ResultOut(Schema):
    person_id: str
    name: str
    date_of_birth: str
    postcode: str
    relationship: str


class AccessOut(Schema):
    basis: str
    basis_label: str
    purpose: str | None
    reason: str
    sources: list[str]


class TimelineOut(Schema):
    date: str
    end_date: str | None = None
    person_name: str
    person_id: str | None = None
    agency: str
    event_type: str
    description: str
    cost: str | None = None
    financial_year: str
    event_id: str | None = None


class AgencyOut(Schema):
    name: str
    events: int
    first: str
    last: str
    cost: str


class YearCostOut(Schema):
    financial_year: str
    cost: str


class MemberOut(Schema):
    name: str
    person_id: str | None = None
    age: int | None = None
    start_date: str
    end_date: str | None = None
    household_id: str | None = None


class PersonHeader(Schema):
    person_id: str | None
    name: str
    age: int | None
    date_of_birth: str | None
    address: str
    postcode: str
    household_id: str | None
    flags: list[str]
    key_worker: str
    team: str


class PersonOut(Schema):
    person: PersonHeader
    access: AccessOut
    this_year: str
    cost_this_year: str
    total_cost: str
    withheld_sources: list[str]
    timeline: list[TimelineOut]
    agencies: list[AgencyOut]
    costs: list[YearCostOut]
    household_members: list[MemberOut]


class HouseholdHeader(Schema):
    household_id: str | None
    address: str
    postcode: str
    start_date: str
    end_date: str | None
    combined_cost: str
    members_not_shown: int


class HouseholdOut(Schema):
    household: HouseholdHeader
    access: AccessOut
    members: list[MemberOut]
    timeline: list[TimelineOut]
    agencies: list[AgencyOut]
    costs: list[YearCostOut]


class ReasonIn(Schema):
    purpose: str
    reason: str


class ReasonOut(Schema):
    id: int
    person: str
    purpose: str
    reason: str
    expires_at: str
    review: str


class ReviewIn(Schema):
    outcome: str
    note: str = ""


class CaseloadOut(Schema):
    allocation: int
    person_id: str
    name: str
    date_of_birth: str
    team: str
    worker: str
    allocated_at: str


class AllocationIn(Schema):
    person_id: str
    worker: str = ""


class AuditOut(Schema):
    sequence: int
    at: str
    actor: str
    actor_role: str
    action: str
    outcome: str
    person: str
    household: str
    purpose: str
    reason: str
    resource: str
    ip_address: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    head_hash: str
    broken_at: int | None
    problem: str


class DatasetOut(Schema):
    code: str
    name: str
    description: str
    controller: str
    lawful_basis: str
    permitted_uses: list[str]


class PeriodIn(Schema):
    agency: str = ""
    start: date | None = None
    end: date | None = None
