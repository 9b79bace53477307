"""`upstream publish`: copy the latest linkage run from the insight workspace into the
operational database, replacing the published tables whole in one transaction (so re-publishing
is idempotent and readers never see half a publish). Bulk inserts in batches; the same code runs
on SQLite and PostgreSQL. A publish killed at any point (`kill -9`) is rolled back by the
database, leaving the previous publish in place; re-running it gives one clean publish.

Rows are read from the workspace by column name (`Workspace.reading`), the same way the flags
are published from the identify workspace: each query's column names are the model's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from upstream.errors import InputError
from upstream.insight.faults import fault_point
from upstream.insight.workspace import Reader, Workspace
from upstream.people.models import (
    CostEntry,
    Household,
    HouseholdMembership,
    Person,
    PersonLineage,
    PublishRun,
    ServiceEvent,
    SourceRecord,
)

BATCH = 5_000

QUERIES: dict[type[models.Model], str] = {
    Person: """SELECT person_id, coalesce(given_name, '') given_name, coalesce(family_name, '') family_name,
        left(coalesce(other_names, ''), 500) other_names, date_of_birth, coalesce(sex, '') sex, coalesce(ethnicity, '') ethnicity,
        coalesce(nhs_number, '') nhs_number, coalesce(current_uprn, '') current_uprn, coalesce(current_postcode, '') current_postcode,
        coalesce(ward, '') ward, coalesce(sources, '') sources, record_count, first_seen, last_seen, round(total_cost, 2) total_cost
        FROM person_index ORDER BY person_id""",
    SourceRecord: """SELECT r.record_key, p.person_id, r.source, r.agency, r.record_id source_record_id,
        coalesce(r.forename, r.forename_initial, '') given_name, coalesce(r.surname, r.surname_initial, '') family_name,
        r.dob date_of_birth, coalesce(r.sex, '') sex, coalesce(r.postcode, '') postcode, left(coalesce(r.address, ''), 300) address,
        coalesce(r.uprn, '') uprn, coalesce(r.nhs_number, '') nhs_number, r.event_date recorded_on, r.extract_id,
        coalesce(m.method, 'alone') link_method, m.match_probability
        FROM person_records r JOIN record_person p USING (record_key) JOIN record_identity ri USING (record_key)
        LEFT JOIN (SELECT identity_r identity_id, arg_max(method, match_probability) method, max(match_probability) match_probability
                   FROM edges GROUP BY identity_r) m ON m.identity_id = ri.identity_id ORDER BY r.record_key""",
    Household: """SELECT h.household_id, h.uprn, coalesce(h.address, '') address, coalesce(h.postcode, '') postcode,
        coalesce(h.ward, '') ward, h.start_date, h.end_date, h.member_count,
        coalesce((SELECT round(sum(amount), 2) FROM cost_ledger c WHERE c.household_id = h.household_id), 0) total_cost
        FROM households h ORDER BY household_id""",
    HouseholdMembership: """SELECT household_id, person_id, start_date, end_date FROM household_memberships ORDER BY household_id, person_id""",
    ServiceEvent: """SELECT record_key event_id, person_id, household_id, source, agency, event_type,
        coalesce(u.unit_cost_description, '') description, event_date start_date, NULL end_date, coalesce(ward, '') ward
        FROM service_events LEFT JOIN unit_costs u USING (unit_cost_code) ORDER BY record_key""",
    CostEntry: """SELECT event_id, person_id, household_id, unit_cost_code, left(unit_cost_description, 300) unit_cost_description,
        quantity, unit_cost, amount, price_year, paying_agency, financial_year, coalesce(ward, '') ward FROM cost_ledger ORDER BY event_id""",
    PersonLineage: """SELECT old_person_id, new_person_id, kind, link_run_id FROM person_lineage ORDER BY link_run_id, old_person_id""",
}
# Foreign keys arrive as ids under Django's attname ("person_id", "household_id", "event_id").
MONEY_FIELDS = {"total_cost", "unit_cost", "amount", "quantity"}


# Linkage compares names in capitals; people read them in ordinary case.
NAME_FIELDS = {"given_name", "family_name"}
_NAME_PIECE = re.compile(r"([ '\-])")


def display_case(name: str) -> str:
    """`SMITH-JONES` → `Smith-Jones`, `O'BRIEN` → `O'Brien`, `MCDONALD` → `McDonald`.

    Names already in mixed case are left as recorded.
    """
    if not name.isupper():
        return name
    pieces = [piece.capitalize() for piece in _NAME_PIECE.split(name.lower())]
    return "".join(
        f"Mc{piece[2:].capitalize()}" if piece.startswith("Mc") and len(piece) > 2 else piece
        for piece in pieces
    )


def _instance(model: type[models.Model], row: dict[str, Any]) -> models.Model:
    fields = {}
    for name, value in row.items():
        if name in MONEY_FIELDS and value is not None:
            value = Decimal(str(value))
        elif name in NAME_FIELDS and isinstance(value, str):
            value = display_case(value)
        fields[name] = value
    return model(**fields)


def _copy(read: Reader, model: type[models.Model], progress: Callable[[str], None]) -> int:
    written = 0
    batch: list[models.Model] = []
    for row in read.rows(QUERIES[model]):
        batch.append(_instance(model, row))
        if len(batch) >= BATCH:
            model._default_manager.bulk_create(batch)
            fault_point("publish:batch-written")
            written += len(batch)
            batch = []
    model._default_manager.bulk_create(batch)
    fault_point("publish:batch-written")
    written += len(batch)
    progress(f"{model.__name__}: {written:,} rows")
    return written


def latest_run_id(read: Reader) -> str:
    latest = read.first("SELECT run_id FROM link_runs ORDER BY finished_at DESC LIMIT 1")
    if latest is None:
        raise InputError(
            "no linkage run to publish; run `upstream link` first", where="insight workspace"
        )
    return str(latest["run_id"])


def publish(data_dir: Path, progress: Callable[[str], None] = print) -> dict[str, int]:
    """Replace the published tables with the workspace's latest linkage run."""
    workspace = Workspace.insight(data_dir)
    if not workspace.exists():
        raise InputError(
            "no insight workspace; run `upstream ingest` and `upstream link` first",
            where=str(workspace.path),
        )
    with workspace.reading() as read:
        run_id = latest_run_id(read)
        with transaction.atomic():
            for model in reversed(list(QUERIES)):
                model._default_manager.all().delete()
            fault_point("publish:tables-emptied")
            counts = {model.__name__: _copy(read, model, progress) for model in QUERIES}
            PublishRun.objects.create(
                link_run_id=run_id, workspace=str(workspace.path), counts=counts
            )
            fault_point("publish:run-recorded")
    return counts
