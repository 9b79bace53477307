"""What a person reads about a service: plain words for ages, times, costs and distance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from upstream.directory.models import FieldChange, Service, ServiceAtLocation
from upstream.directory.postcodes import miles
from upstream.directory.schedules import Opening, describe

CARD_PREFETCH: list[Any] = [
    "schedules",
    "languages",
    "cost_options",
    "contacts__phones",
    Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            "location__addresses", "location__accessibility"
        ),
    ),
    "attributes__taxonomy_term",
]


def cards_for(services: list[Service]) -> list[Service]:
    return list(
        Service.objects.filter(pk__in=[s.pk for s in services])
        .select_related("organization", "assurer")
        .prefetch_related(*CARD_PREFETCH)
    )


@dataclass
class ServiceCard:
    service: Service
    distance: str
    when: list[str]
    ages: str
    cost: str
    languages: str
    address: str
    accessibility: list[str]
    phones: list[str]
    needs: list[str]


def card(service: Service, distance_m: float | None = None) -> ServiceCard:
    return ServiceCard(
        service=service,
        distance=distance_text(distance_m),
        when=[
            describe(Opening(s.freq, s.interval, s.byday, s.opens_at, s.closes_at))
            for s in service.schedules.all()
        ]
        or ["Ask for times"],
        ages=ages_text(service.minimum_age, service.maximum_age),
        cost=cost_text(service),
        languages=", ".join(lang.name for lang in service.languages.all() if lang.name)
        or "English",
        address=address_text(service),
        accessibility=[
            a.description
            for sal in service.service_at_locations.all()
            for a in sal.location.accessibility.all()
        ],
        phones=[p.number for c in service.contacts.all() for p in c.phones.all()],
        needs=[
            a.taxonomy_term.plain_name or a.taxonomy_term.name for a in service.attributes.all()
        ],
    )


def distance_text(distance_m: float | None) -> str:
    if distance_m is None:
        return ""
    distance = miles(distance_m)
    if distance < 0.1:
        return "Less than 0.1 miles away"
    return f"{distance:.1f} miles away"


def ages_text(minimum: int | None, maximum: int | None) -> str:
    if minimum and maximum:
        return f"{minimum} to {maximum}"
    if minimum:
        return f"{minimum} and over"
    if maximum is not None:
        return f"Up to {maximum}"
    return "All ages"


def cost_text(service: Service) -> str:
    options = list(service.cost_options.all())
    if not options:
        return service.fees or "Ask about costs"
    if all((o.amount or Decimal(0)) == 0 for o in options):
        return "Free"
    return "; ".join(o.amount_description or f"£{o.amount:.2f}" for o in options)


def address_text(service: Service) -> str:
    for sal in service.service_at_locations.all():
        for address in sal.location.addresses.all():
            parts = [sal.location.name, address.address_1, address.city, address.postal_code]
            return ", ".join(p for p in parts if p)
    return ""


# Plain labels for the change history; a field not listed shows its ORUK name.
FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "minimum_age": "Youngest age",
    "maximum_age": "Oldest age",
    "eligibility_description": "Who can use it",
    "assured_date": "Last checked",
    "assurer_id": "Checked by",
    "assurer_email": "Checker's email",
    "byday": "Days",
    "opens_at": "Opens at",
    "closes_at": "Closes at",
    "postal_code": "Postcode",
    "address_1": "Address",
    "number": "Phone",
    "organization_id": "Organisation",
    "taxonomy_term_id": "Need",
}
RECORD_LABELS = {
    "serviceatlocation": "place",
    "costoption": "cost",
    "servicearea": "area served",
}


@dataclass
class ChangeRow:
    when: object
    who: str
    what: str
    was: str
    now: str


def change_row(change: FieldChange) -> ChangeRow:
    """One line of a service's change history, in words an editor reads."""
    record = RECORD_LABELS.get(change.resource_type, change.resource_type)
    who = change.updated_by
    if change.changed_by is not None:
        who = change.changed_by.get_full_name() or change.changed_by.username
    if change.last_action_type == "create":
        what = f"Added {record}"
    elif change.last_action_type == "delete":
        what = f"Removed {record}"
    else:
        what = f"{record.capitalize()}: {FIELD_LABELS.get(change.field_name, change.field_name)}"
    was, now = change.previous_value, change.replacement_value
    if change.field_name == "assurer_id":
        was, now = _username(was), _username(now)
    return ChangeRow(change.last_action_date, who, what, was, now)


def _username(user_id: str) -> str:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
    return (user.get_full_name() or user.get_username()) if user else user_id
