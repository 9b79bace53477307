"""The data protection officer's work: search the audit log, build a subject-access report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from upstream.governance.models import AuditEntry, RecordedReason

AUDIT_COLUMNS = (
    "sequence",
    "at",
    "actor",
    "actor_role",
    "action",
    "outcome",
    "person",
    "household",
    "purpose",
    "reason",
    "resource",
    "ip_address",
)


# Person keys and pseudonyms are letters, digits and `_.:-` (as the API's ID pattern); a "/"
# could never match and would break the links built from it.
PERSON_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# No entry can be older than Upstream or dated beyond this century, and the ends of Python's
# calendar (0001-01-01, 9999-12-31) overflow when a day is added to them.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def person_id_error(person_id: str) -> str:
    """What is wrong with a typed person ID, or "" if it could be one."""
    if person_id and not PERSON_ID.fullmatch(person_id):
        return "Person ID must be letters, digits, dots, colons, hyphens or underscores, for example P00001234"
    return ""


def day_error(day: date | None, label: str) -> str:
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        return f"{label} date must be between {EARLIEST_DAY:%Y-%m-%d} and {LATEST_DAY:%Y-%m-%d}"
    return ""


@dataclass(frozen=True)
class AuditSearch:
    person: str = ""
    actor: str = ""
    action: str = ""
    outcome: str = ""
    start: date | None = None
    end: date | None = None

    def errors(self) -> dict[str, str]:
        """Field errors (person, start, end), empty when the search can run."""
        errors = {
            "person": person_id_error(self.person),
            "start": day_error(self.start, "From"),
            "end": day_error(self.end, "To"),
        }
        if not any(errors.values()) and self.start and self.end and self.end < self.start:
            errors["end"] = "To date must be the same as or after the from date"
        return {name: message for name, message in errors.items() if message}


def search_audit(search: AuditSearch) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if search.person:
        # Entries about the person, and searches or lists that showed them.
        entries = entries.filter(
            Q(person=search.person) | Q(people_shown__contains=f",{search.person},")
        )
    if search.actor:
        entries = entries.filter(actor=search.actor.strip().lower())
    if search.action:
        entries = entries.filter(action=search.action)
    if search.outcome:
        entries = entries.filter(outcome=search.outcome)
    if search.start:
        entries = entries.filter(at__date__gte=search.start)
    if search.end:
        entries = entries.filter(at__date__lte=search.end)
    return entries.order_by("-sequence")


def entry_row(entry: AuditEntry) -> dict[str, Any]:
    row = {c: getattr(entry, c) for c in AUDIT_COLUMNS}
    row["at"] = entry.at.isoformat()
    return row


def who_looked(person_id: str) -> list[dict[str, Any]]:
    return [entry_row(e) for e in search_audit(AuditSearch(person=person_id))]


def reasons_about(person_id: str) -> list[dict[str, Any]]:
    return [
        {
            "at": r.at.isoformat(),
            "by": r.user.username,
            "purpose": r.purpose,
            "reason": r.reason,
            "review": r.review,
        }
        for r in RecordedReason.objects.filter(person=person_id).select_related("user")
    ]
