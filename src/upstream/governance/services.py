"""The data protection officer's work: search the audit log, build a subject-access report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
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


@dataclass(frozen=True)
class AuditSearch:
    person: str = ""
    actor: str = ""
    action: str = ""
    outcome: str = ""
    start: date | None = None
    end: date | None = None


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
        entries = entries.filter(at__date__lt=search.end + timedelta(days=1))
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
