"""Finding services: by words, need (taxonomy), age, day and time, and distance from a postcode.

One query object serves the citizen page and the ORUK API. The database narrows by the cheap
filters (and a bounding box round the postcode); the exact distance, the ordering and the
page are then worked out over (service, location, latitude, longitude) rows in Python, which
for a city's directory (thousands of services) is a few milliseconds.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import time

from django.db.models import Exists, OuterRef, Q, QuerySet

from upstream.directory import postcodes
from upstream.directory.models import Attribute, Schedule, Service, TaxonomyTerm

MAX_PER_PAGE = 100
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ServiceQuery:
    text: str = ""
    need: str = ""  # a term's code (slug) or id; an area includes its items
    taxonomy_id: str = ""
    age: int | None = None  # the person's age: the service must take them
    minimum_age: float | None = None  # ORUK: services whose minimum age is at least this
    maximum_age: float | None = None  # ORUK: services whose maximum age is at most this
    day: str = ""  # an RFC 5545 day code, "SA"
    start_time: time | None = None  # ORUK: opens at or after
    end_time: time | None = None  # ORUK: closes at or before
    postcode: str = ""
    proximity_m: float | None = None
    statuses: tuple[str, ...] = ()  # empty: any status
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    service_id: uuid.UUID
    service_at_location_id: uuid.UUID | None
    distance_m: float | None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    services: dict[uuid.UUID, Service] = field(default_factory=dict)

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def filtered(query: ServiceQuery) -> QuerySet[Service]:
    """Services matching every filter but distance."""
    services = Service.objects.all()
    for word in query.text.lower().split():
        services = services.filter(search_text__contains=word)
    if query.statuses:
        services = services.filter(status__in=query.statuses)
    if query.need:
        services = services.filter(Exists(_attributes_for(_need_terms(query.need))))
    if query.taxonomy_id:
        taxonomy_id = _uuid_or_none(query.taxonomy_id)
        terms = (
            TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_id)
            if taxonomy_id
            else TaxonomyTerm.objects.none()
        )
        services = services.filter(Exists(_attributes_for(terms)))
    return _by_schedule(_by_age(services, query), query)


def _need_terms(need: str) -> QuerySet[TaxonomyTerm]:
    term_id = _uuid_or_none(need)
    match = Q(pk=term_id) if term_id else Q(code=need)
    return TaxonomyTerm.objects.filter(match | Q(parent__in=TaxonomyTerm.objects.filter(match)))


def _attributes_for(terms: QuerySet[TaxonomyTerm]) -> QuerySet[Attribute]:
    return Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=terms)


def _by_age(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
        )
    if query.minimum_age is not None:
        services = services.filter(minimum_age__gte=query.minimum_age)
    if query.maximum_age is not None:
        services = services.filter(maximum_age__lte=query.maximum_age)
    return services


def _by_schedule(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    if not (query.day or query.start_time or query.end_time):
        return services
    # One schedule must satisfy day and times together (open on Saturday, from 10am).
    schedules = Schedule.objects.filter(service=OuterRef("pk"))
    if query.day:
        schedules = schedules.filter(byday__contains=query.day)
    if query.start_time:
        schedules = schedules.filter(opens_at__gte=query.start_time)
    if query.end_time:
        schedules = schedules.filter(closes_at__lte=query.end_time)
    return services.filter(Exists(schedules))


def search(query: ServiceQuery, *, by_location: bool = False) -> SearchResult:
    """A page of services (or of service-at-locations), nearest first if a postcode is given."""
    origin = postcodes.point_for(query.postcode) if query.postcode else None
    rows = filtered(query).values_list(
        "id",
        "name",
        "service_at_locations__id",
        "service_at_locations__location__latitude",
        "service_at_locations__location__longitude",
    )
    if origin is not None and query.proximity_m is not None:
        lat_min, lat_max, lon_min, lon_max = postcodes.bounding_box(origin, query.proximity_m)
        rows = rows.filter(
            service_at_locations__location__latitude__range=(lat_min, lat_max),
            service_at_locations__location__longitude__range=(lon_min, lon_max),
        )
    hits = _hits(list(rows), origin, query.proximity_m, by_location)
    start = (query.page - 1) * query.per_page
    return SearchResult(hits[start : start + query.per_page], len(hits), query.page, query.per_page)


def _hits(
    rows: list[tuple[uuid.UUID, str, uuid.UUID | None, float | None, float | None]],
    origin: postcodes.Point | None,
    proximity_m: float | None,
    by_location: bool,
) -> list[Hit]:
    best: dict[uuid.UUID, tuple[tuple[float, str], Hit]] = {}
    for service_id, name, sal_id, latitude, longitude in rows:
        if by_location and sal_id is None:
            continue
        distance = None
        if origin is not None and latitude is not None and longitude is not None:
            distance = postcodes.distance_m(origin, postcodes.Point(latitude, longitude))
        if proximity_m is not None and (distance is None or distance > proximity_m):
            continue
        key = sal_id if by_location and sal_id else service_id
        rank = (distance if distance is not None else math.inf, name)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, Hit(service_id, sal_id, distance))
    ordered = sorted(best.values(), key=lambda pair: (pair[0], str(pair[1].service_id)))
    return [hit for _, hit in ordered]


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
