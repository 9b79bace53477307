"""Publish: the linked city lands in the operational database, whole, and again the same."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from upstream.people.models import (
    CostEntry,
    Household,
    HouseholdMembership,
    Person,
    PublishRun,
    ServiceEvent,
    SourceRecord,
)
from upstream.people.publish import publish

pytestmark = pytest.mark.django_db


def _publish(linked_city: dict[str, object]) -> dict[str, int]:
    return publish(Path(str(linked_city["data_dir"])), progress=lambda _line: None)


def test_publish_writes_every_person_record_event_and_cost(linked_city: dict[str, object]) -> None:
    counts = _publish(linked_city)
    records = linked_city["counts"]["records"]  # type: ignore[index]
    assert (
        SourceRecord.objects.count()
        == ServiceEvent.objects.count()
        == CostEntry.objects.count()
        == records
    )
    assert Person.objects.count() == counts["Person"] > 0
    assert Household.objects.count() == counts["Household"] > 0
    assert HouseholdMembership.objects.count() == counts["HouseholdMembership"]
    assert PublishRun.objects.count() == 1


def test_a_persons_story_reads_across_agencies_with_costs(linked_city: dict[str, object]) -> None:
    _publish(linked_city)
    person = Person.objects.order_by("-record_count").first()
    assert person is not None
    events = person.events.select_related("cost").order_by("start_date")
    assert events.count() == person.record_count
    total = CostEntry.objects.filter(person=person).aggregate(total=Sum("amount"))["total"]
    assert total == person.total_cost > Decimal(0)
    assert len(person.sources.split(",")) >= 1


def test_publishing_again_gives_the_same_rows(linked_city: dict[str, object]) -> None:
    first = _publish(linked_city)
    people = list(
        Person.objects.order_by("person_id").values_list("person_id", "family_name", "total_cost")[
            :50
        ]
    )
    second = _publish(linked_city)
    assert first == second
    assert (
        list(
            Person.objects.order_by("person_id").values_list(
                "person_id", "family_name", "total_cost"
            )[:50]
        )
        == people
    )
    assert CostEntry.objects.count() == first["CostEntry"]
