"""The editor's work: create and update services, review them, and the staleness queue.

Every save goes through `history.upsert`, so the change history shows each field an editor
changed, with the old and new value. Marking a service as reviewed sets ORUK's assurance
date and assurer (the reviewer).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from upstream.directory import postcodes, taxonomy
from upstream.directory.history import Changer, delete, refresh_search_text, upsert
from upstream.directory.models import (
    Address,
    Attribute,
    Contact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from upstream.directory.synthetic import LANGUAGES
from upstream.errors import InputError

DEFAULT_STALE_MONTHS = 12  # review at least yearly (an invented default; a setting on the page)
LANGUAGE_CODES = {"English": "en", **dict(LANGUAGES)}
NEED_LINK = "need"


def stale_services(
    months: int = DEFAULT_STALE_MONTHS, *, today: date | None = None
) -> QuerySet[Service]:
    """Services not reviewed in `months` months (or never), the longest unreviewed first."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=round(months * 365.25 / 12))
    return (
        Service.objects.filter(Q(assured_date__lt=cutoff) | Q(assured_date__isnull=True))
        .exclude(status="defunct")
        .select_related("organization", "assurer")
        # Never checked first, on SQLite and PostgreSQL alike (they sort NULLs differently).
        .order_by(F("assured_date").asc(nulls_first=True), "name")
    )


@transaction.atomic
def save_service(data: dict[str, Any], *, user: Any, service: Service | None = None) -> Service:
    """Create or update a service from the editor's form (cleaned data); record every change."""
    changer = Changer(updated_by=user.username, user=user)
    service_id = service.pk if service else uuid.uuid4()
    service, _ = upsert(Service, service_id, _core_values(data, user, service), changer, None)
    _needs(service, data.get("needs", []), changer)
    _schedule(service, data, changer)
    _place(service, data, changer)
    _phone(service, data.get("phone", ""), changer)
    _languages(service, data.get("languages", []), changer)
    if changer.changes:
        service.last_modified = changer.at
        service.save(update_fields=["last_modified"])
    refresh_search_text(service)
    changer.save()
    return service


def _core_values(data: dict[str, Any], user: Any, service: Service | None) -> dict[str, Any]:
    values = {
        "name": data["name"],
        "organization_id": data["organization"].pk,
        "description": data["description"],
        "status": data["status"],
        "minimum_age": data.get("minimum_age"),
        "maximum_age": data.get("maximum_age"),
        "eligibility_description": data.get("eligibility_description", ""),
        "email": data.get("email", ""),
        "url": data.get("url", ""),
        "fees": data.get("fees", ""),
    }
    if data.get("reviewed"):
        values.update(
            assured_date=timezone.localdate(), assurer_id=user.pk, assurer_email=user.email or ""
        )
    elif service is None:
        values["source"] = "upstream"
    return values


def _needs(service: Service, slugs: list[str], changer: Changer) -> None:
    wanted = {taxonomy.term_id(slug) for slug in slugs}
    ours = service.attributes.filter(taxonomy_term__taxonomy_id=taxonomy.TAXONOMY_ID)
    for attribute in ours.exclude(taxonomy_term_id__in=wanted):
        delete(attribute, changer, service)
    held = set(ours.values_list("taxonomy_term_id", flat=True))
    for term_id in wanted - held:
        values = {"service_id": service.pk, "taxonomy_term_id": term_id, "link_type": NEED_LINK}
        upsert(Attribute, uuid.uuid5(service.pk, str(term_id)), values, changer, service)


def _schedule(service: Service, data: dict[str, Any], changer: Changer) -> None:
    existing = service.schedules.order_by("id").first()
    days = [
        code for code in ("MO", "TU", "WE", "TH", "FR", "SA", "SU") if code in data.get("days", [])
    ]
    if not days:
        if existing:
            delete(existing, changer, service)
        return
    values = {
        "service_id": service.pk,
        "freq": "WEEKLY",
        "interval": 1,
        "byday": ",".join(days),
        "opens_at": data.get("opens_at"),
        "closes_at": data.get("closes_at"),
    }
    upsert(Schedule, existing.pk if existing else uuid.uuid4(), values, changer, service)


def _place(service: Service, data: dict[str, Any], changer: Changer) -> None:
    if not data.get("postcode"):
        return
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    location_id = sal.location_id if sal else uuid.uuid4()
    point = _point_or_none(data["postcode"])
    location_values = {
        "location_type": "physical",
        "name": data.get("location_name", ""),
        "latitude": point.latitude if point else None,
        "longitude": point.longitude if point else None,
    }
    upsert(Location, location_id, location_values, changer, service)
    address = Address.objects.filter(location_id=location_id).order_by("id").first()
    address_values = {
        "location_id": location_id,
        "address_1": data["address_1"],
        "postal_code": data["postcode"],
        "city": address.city if address else "Upstream",
        "state_province": address.state_province if address else "West Midlands",
        "country": "GB",
    }
    upsert(Address, address.pk if address else uuid.uuid4(), address_values, changer, service)
    if sal is None:
        values = {"service_id": service.pk, "location_id": location_id}
        upsert(ServiceAtLocation, uuid.uuid4(), values, changer, service)


def _point_or_none(postcode: str) -> postcodes.Point | None:
    # A postcode outside the synthetic city is kept, without coordinates.
    try:
        return postcodes.point_for(postcode)
    except InputError:
        return None


def _phone(service: Service, number: str, changer: Changer) -> None:
    contact = service.contacts.order_by("id").first()
    phone = Phone.objects.filter(contact=contact).order_by("id").first() if contact else None
    if not number:
        if phone:
            delete(phone, changer, service)
        return
    if contact is None:
        contact, _ = upsert(
            Contact, uuid.uuid4(), {"service_id": service.pk, "name": "Reception"}, changer, service
        )
    values = {"contact_id": contact.pk, "number": number}
    upsert(Phone, phone.pk if phone else uuid.uuid4(), values, changer, service)


def _languages(service: Service, names: list[str], changer: Changer) -> None:
    for language in service.languages.exclude(name__in=names):
        delete(language, changer, service)
    held = set(service.languages.values_list("name", flat=True))
    for name in names:
        if name not in held:
            values = {"service_id": service.pk, "name": name, "code": LANGUAGE_CODES.get(name, "")}
            upsert(Language, uuid.uuid4(), values, changer, service)


def initial_for(service: Service) -> dict[str, Any]:
    """The editor form's starting values for an existing service."""
    schedule = service.schedules.order_by("id").first()
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    address = sal.location.addresses.order_by("id").first() if sal else None
    contact = service.contacts.order_by("id").first()
    phone = contact.phones.order_by("id").first() if contact else None
    ours = service.attributes.filter(taxonomy_term__taxonomy_id=taxonomy.TAXONOMY_ID)
    return {
        "name": service.name,
        "organization": service.organization_id,
        "description": service.description,
        "status": service.status,
        "needs": [a.taxonomy_term.code for a in ours.select_related("taxonomy_term")],
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility_description": service.eligibility_description,
        "days": sorted(_day_codes(schedule.byday)) if schedule else [],
        "opens_at": schedule.opens_at.strftime("%H:%M") if schedule and schedule.opens_at else "",
        "closes_at": schedule.closes_at.strftime("%H:%M")
        if schedule and schedule.closes_at
        else "",
        "location_name": sal.location.name if sal else "",
        "address_1": address.address_1 if address else "",
        "postcode": address.postal_code if address else "",
        "phone": phone.number if phone else "",
        "email": service.email,
        "url": service.url,
        "fees": service.fees,
        "languages": list(service.languages.values_list("name", flat=True)),
    }


def _day_codes(byday: str) -> set[str]:
    from upstream.directory.schedules import day_codes

    return day_codes(byday)
