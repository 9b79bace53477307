"""A subject-access report (UK GDPR Art 15): what Upstream holds about a person, where it came
from, and who saw it and why. The data protection officer's page and the API both build it
here, through the person page's access decision, so they show and audit the same."""

from __future__ import annotations

from typing import Any

from upstream.accounts.models import User
from upstream.casework.services import view_person
from upstream.casework.story import Period, PersonStory
from upstream.casework.tables import person_json
from upstream.edge.twins import plain
from upstream.governance.audit import Actor, Event, record
from upstream.governance.services import reasons_about, who_looked
from upstream.people.models import SourceRecord

SOURCE_RECORD_FIELDS = (
    "source",
    "agency",
    "source_record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "address",
    "nhs_number",
    "recorded_on",
    "link_method",
)


def subject_access_report(
    actor: Actor, user: User, person_id: str, *, view: str, fmt: str
) -> tuple[PersonStory, dict[str, Any]]:
    """The person's story and the report (the story as JSON, their source records, the
    reasons recorded to see them and every audit entry about them), audited as a report."""
    story = view_person(actor, user, person_id, Period(), view=view)
    report: dict[str, Any] = {
        **person_json(story),
        "source_records": source_records(person_id),
        "recorded_reasons": reasons_about(person_id),
        "who_looked": who_looked(person_id),
    }
    record(
        actor,
        Event(
            action="subject-access-report",
            person=person_id,
            purpose="subject_access",
            detail={"format": fmt},
        ),
    )
    return story, report


def source_records(person_id: str) -> list[dict[str, Any]]:
    return [
        plain({f: getattr(r, f) for f in SOURCE_RECORD_FIELDS})
        for r in SourceRecord.objects.filter(person_id=person_id)
    ]
