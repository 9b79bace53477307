"""Directory records as Open Referral UK v3 JSON: what export and the API produce.

Optional fields that are empty are left out rather than sent as "" (an empty email or URI is
not valid ORUK). Beyond the UK profile, three HSDS 3.0 fields are kept because Upstream's
users need them and the schemas allow extra properties: a language's `name` and `code`,
a contact's `phones`, and a service's `eligibility_description`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from upstream.directory.models import (
    Address,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# Everything a full service document reads, in a fixed number of queries.
SERVICE_PREFETCH: list[Any] = [
    "schedules",
    "service_areas",
    "languages",
    "funding",
    "cost_options",
    "contacts__phones",
    "organization__identifiers",
    Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            "location__addresses", "location__accessibility"
        ),
    ),
    "attributes__taxonomy_term__taxonomy",
]


def full_services(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    queryset = Service.objects.all() if queryset is None else queryset
    full: QuerySet[Service] = queryset.select_related("organization").prefetch_related(
        *SERVICE_PREFETCH
    )
    return full


def clean(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional values; turn dates, times and decimals into JSON types."""
    return {k: _json_value(v) for k, v in record.items() if v not in (None, "", [])}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "hex") and not isinstance(value, str | bytes | float):  # a UUID
        return str(value)
    return value


def service_core(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service (ORUK's service list item)."""
    return clean(
        {
            "id": service.id,
            "organization_id": service.organization_id,
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date,
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": service.last_modified,
        }
    )


def service_list_item(service: Service) -> dict[str, Any]:
    item = service_core(service)
    if service.organization is not None:
        item["organization"] = organization_document(service.organization, identifiers=False)
    return item


def service_document(service: Service) -> dict[str, Any]:
    """A fully nested service, as ORUK's `/services/{id}` and export give it."""
    document = service_list_item(service)
    if service.organization is not None:
        document["organization"] = organization_document(service.organization)
    document.update(
        clean(
            {
                "schedules": [schedule_document(s) for s in service.schedules.all()],
                "service_areas": [
                    clean(
                        {
                            "id": a.id,
                            "name": a.name,
                            "extent": a.extent,
                            "extent_type": a.extent_type,
                            "uri": a.uri,
                            "service_area": a.service_area,
                        }
                    )
                    for a in service.service_areas.all()
                ],
                "service_at_locations": [
                    clean({"id": sal.id, "location": location_document(sal.location)})
                    for sal in service.service_at_locations.all()
                ],
                "languages": [
                    clean({"id": lang.id, "name": lang.name, "code": lang.code})
                    for lang in service.languages.all()
                ],
                "funding": [clean({"id": f.id, "source": f.source}) for f in service.funding.all()],
                "cost_options": [
                    clean(
                        {
                            "id": c.id,
                            "valid_from": c.valid_from,
                            "valid_to": c.valid_to,
                            "option": c.option,
                            "amount": c.amount,
                            "amount_description": c.amount_description,
                        }
                    )
                    for c in service.cost_options.all()
                ],
                "contacts": [
                    clean(
                        {
                            "id": c.id,
                            "name": c.name,
                            "title": c.title,
                            "phones": [
                                clean(
                                    {"id": p.id, "number": p.number, "description": p.description}
                                )
                                for p in c.phones.all()
                            ],
                        }
                    )
                    for c in service.contacts.all()
                ],
                "attributes": [
                    clean(
                        {
                            "id": a.id,
                            "link_type": a.link_type,
                            "taxonomy_term_id": a.taxonomy_term_id,
                            "taxonomy_term": taxonomy_term_document(a.taxonomy_term),
                        }
                    )
                    for a in service.attributes.all()
                ],
            }
        )
    )
    return document


def schedule_document(schedule: Schedule) -> dict[str, Any]:
    return clean(
        {
            "id": schedule.id,
            "valid_from": schedule.valid_from,
            "valid_to": schedule.valid_to,
            "dtstart": schedule.dtstart,
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "bymonthday": schedule.bymonthday,
            "description": schedule.description,
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "schedule_link": schedule.schedule_link,
            "attending_type": schedule.attending_type,
            "notes": schedule.notes,
        }
    )


def organization_document(org: Organization, *, identifiers: bool = True) -> dict[str, Any]:
    document = clean(
        {
            "id": org.id,
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "uri": org.uri,
            "logo": org.logo,
            "parent_organization_id": org.parent_organization_id,
        }
    )
    if identifiers:
        found = [
            clean(
                {
                    "id": i.id,
                    "identifier_scheme": i.identifier_scheme,
                    "identifier_type": i.identifier_type,
                    "identifier": i.identifier,
                }
            )
            for i in org.identifiers.all()
        ]
        if found:
            document["organization_identifiers"] = found
    return document


def location_document(location: Location, *, nested: bool = True) -> dict[str, Any]:
    document = clean(
        {
            "id": location.id,
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.external_identifier,
            "external_identifier_type": location.external_identifier_type,
        }
    )
    if nested:
        document.update(
            clean(
                {
                    "addresses": [address_document(a) for a in location.addresses.all()],
                    "accessibility": [
                        clean(
                            {
                                "id": a.id,
                                "description": a.description,
                                "details": a.details,
                                "url": a.url,
                                "accessibility": a.description,
                            }
                        )
                        for a in location.accessibility.all()
                    ],
                }
            )
        )
    return document


def address_document(address: Address) -> dict[str, Any]:
    return clean(
        {
            "id": address.id,
            "attention": address.attention,
            "address_1": address.address_1,
            "city": address.city,
            "region": address.region,
            "state_province": address.state_province,
            "postal_code": address.postal_code,
            "country": address.country,
            "address_type": address.address_type,
        }
    )


def service_at_location_list_item(sal: ServiceAtLocation) -> dict[str, Any]:
    return clean(
        {
            "id": sal.id,
            "service_id": sal.service_id,
            "location_id": sal.location_id,
            "location": location_document(sal.location, nested=False),
            "service": service_list_item(sal.service),
        }
    )


def taxonomy_document(taxonomy: Taxonomy) -> dict[str, Any]:
    return clean(
        {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )


def taxonomy_term_document(term: TaxonomyTerm) -> dict[str, Any]:
    return clean(
        {
            "id": term.id,
            "name": term.name,
            "description": term.description,
            "parent_id": term.parent_id,
            "taxonomy": term.taxonomy.name if term.taxonomy else "",
            "taxonomy_id": term.taxonomy_id,
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )
