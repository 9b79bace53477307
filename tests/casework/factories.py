"""Factories over the published tables (people app) and casework's own, with keyword-only
defaults: build the people, households and events a test needs. Never mock storage."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from upstream.accounts.models import User
from upstream.casework.search import index_people
from upstream.governance.models import Allocation
from upstream.people.models import (
    CostEntry,
    Household,
    HouseholdMembership,
    Person,
    ServiceEvent,
    SourceRecord,
)

_ids = itertools.count(1)


def create_person(
    *,
    given_name: str = "Alex",
    family_name: str = "Morgan",
    date_of_birth: date | None = date(1985, 6, 1),
    postcode: str = "M14 5AB",
    nhs_number: str = "",
    other_names: str = "",
    index: bool = True,
    **fields: Any,
) -> Person:
    person = Person.objects.create(
        person_id=fields.pop("person_id", f"P{next(_ids):08d}"),
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        current_postcode=postcode,
        nhs_number=nhs_number,
        other_names=other_names,
        **fields,
    )
    if index:
        index_people([person.person_id])
    return person


def create_record(
    *, person: Person, source: str = "housing", source_record_id: str = "", **fields: Any
) -> SourceRecord:
    record_id = source_record_id or f"R{next(_ids)}"
    record = SourceRecord.objects.create(
        record_key=f"{source}:{record_id}",
        person=person,
        source=source,
        agency=fields.pop("agency", source),
        source_record_id=record_id,
        given_name=fields.pop("given_name", person.given_name),
        family_name=fields.pop("family_name", person.family_name),
        date_of_birth=person.date_of_birth,
        postcode=fields.pop("postcode", person.current_postcode),
        extract_id="test",
        link_method="alone",
        **fields,
    )
    index_people([person.person_id])
    return record


def create_household(
    *,
    members: list[Person],
    address: str = "12 Canal Street",
    postcode: str = "M14 5AB",
    uprn: str = "100012345678",
    start_date: date = date(2019, 4, 1),
    end_date: date | None = None,
) -> Household:
    household = Household.objects.create(
        household_id=f"H-{uprn}-{start_date:%Y%m%d}",
        uprn=uprn,
        address=address,
        postcode=postcode,
        start_date=start_date,
        end_date=end_date,
        member_count=len(members),
    )
    for person in members:
        HouseholdMembership.objects.create(
            household=household, person=person, start_date=start_date, end_date=end_date
        )
    return household


def create_event(
    *,
    person: Person,
    source: str = "housing",
    on: date = date(2024, 5, 1),
    description: str = "Homelessness application decided",
    cost: Decimal | str | None = "1200.00",
    household: Household | None = None,
    event_type: str = "HAPP",
) -> ServiceEvent:
    event = ServiceEvent.objects.create(
        event_id=f"{source}:E{next(_ids)}",
        person=person,
        household=household,
        source=source,
        agency=source,
        event_type=event_type,
        description=description,
        start_date=on,
    )
    if cost is not None:
        start = on.year if on.month >= 4 else on.year - 1
        CostEntry.objects.create(
            event=event,
            person=person,
            household=household,
            unit_cost_code="X1",
            unit_cost_description=description,
            quantity=Decimal("1"),
            unit_cost=Decimal(cost),
            amount=Decimal(cost),
            price_year="2024/25",
            paying_agency=source,
            financial_year=f"{start}/{(start + 1) % 100:02d}",
        )
    return event


def allocate(
    *,
    person: Person,
    team: str = "Early help — North",
    worker: User | None = None,
    by: User | None = None,
) -> Allocation:
    from django.utils import timezone

    manager = (
        by
        or worker
        or User.objects.create_user(
            username=f"manager-{next(_ids)}", role="team_manager", team=team
        )
    )
    return Allocation.objects.create(
        person_id=person.person_id,
        team=team,
        worker=worker,
        allocated_by=manager,
        allocated_at=timezone.now(),
    )
