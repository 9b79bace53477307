"""Someone we don't know yet: provisional people matched by the next linkage run (issue 12).

The front door is a data source like any agency (`front_door` in the source catalogue), so its
provisional people are matched by the same linkage as every agency's records, not by a matcher
of their own:

1. `export_provisional_people` writes every provisional person's identity as given into the
   front door's extract and imports it into the insight workspace exactly as `upstream ingest`
   imports an agency's file; the next `upstream link` links it with everything else. Matched
   people are exported too, so the record of what they told the front door stays in their
   linked data at every later run (it would drop out otherwise).
2. Linkage joins a provisional record to a person another source knows, and makes no person of
   it alone (`insight.link.record_person_sql`); `upstream publish` then publishes it as one of
   that person's source records.
3. `match_provisional_people` reads those published records: each provisional person found
   there is matched to its person, and its requests, consents and safeguarding concerns follow
   them. Someone never matched keeps everything with the provisional person.

Both steps are audited (a batch job's actor, `SYSTEM_ACTOR` in the jobs), since both read and
write personal data.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from upstream import sources
from upstream.errors import InputError
from upstream.frontdoor.models import Consent, ProvisionalPerson, Request, SafeguardingConcern
from upstream.governance.audit import Actor, Event, record
from upstream.governance.purposes import Purpose
from upstream.insight.contract import Contract, bundled_contracts_dir, load_contract
from upstream.insight.extracts import extract_csv
from upstream.insight.ingest import ImportReport, file_sha256
from upstream.insight.workspace import Workspace, scalar
from upstream.people.models import PublishRun, SourceRecord

SOURCE = "front_door"  # the source catalogue's code for the front door's extract
# The one folder the extract is written to and imported from (a folder of its own: ingest
# imports every file in a folder and refuses files no contract claims).
EXTRACT_FOLDER = Path("frontdoor") / "extract"
# Matching serves the front door's purpose: taking the request the person made.
PURPOSE = Purpose.TRIAGE.value


@dataclass(frozen=True)
class Export:
    """What `export_provisional_people` did."""

    exported: int  # provisional people in the extract
    already_matched: int  # of them, matched by an earlier run (kept in the linked data)
    status: str  # imported, already imported (the same people as last time), nothing to export
    extract_id: str = ""
    rejected: int = 0  # rows ingest refused (each with its reason in the workspace's `problems`)


@dataclass(frozen=True)
class Matches:
    """What `match_provisional_people` did."""

    matched: int  # provisional people matched now
    requests_moved: int  # their requests that now name the person
    still_unmatched: int  # provisional people no linked person holds yet
    already_matched: int  # matched by an earlier run
    link_run: str  # the published linkage run they were matched in


def front_door_contract() -> Contract:
    """The extract's contract (insight/contracts/front_door.toml): its columns, file name and
    encoding are the ones ingest reads it with."""
    return load_contract(bundled_contracts_dir() / sources.source(SOURCE).contract)


def extract_path(data_dir: Path) -> Path:
    return data_dir / EXTRACT_FOLDER / front_door_contract().files[0]


def nhs_number(person: ProvisionalPerson) -> str:
    """The identifier when it is an NHS number (the only one linkage compares across sources;
    others stay in the operational database: data minimisation, UK GDPR Art 5(1)(c))."""
    kind = "".join(c for c in person.identifier_type.lower() if c.isalpha())
    if not kind.startswith("nhs"):
        return ""
    return "".join(c for c in person.identifier if c.isdigit())


def extract_row(person: ProvisionalPerson) -> dict[str, str]:
    """One provisional person as the extract holds them (by the contract's column names): the
    identity as given."""
    return {
        "Reference": person.reference,
        "GivenName": person.given_name.strip(),
        "FamilyName": person.family_name.strip(),
        "DateOfBirth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "Sex": person.sex.strip().upper(),
        "Address": " ".join(person.address.split()),  # one line, whatever the form's breaks
        "Postcode": person.postcode.strip(),
        "NHSNumber": nhs_number(person),
    }


def extract_text(people: Iterable[ProvisionalPerson]) -> str:
    """The extract's CSV, sorted by reference: the same people give the same text, so ingest
    (which knows a file by its SHA-256) imports it once."""
    contract = front_door_contract()
    rows = (extract_row(p) for p in sorted(people, key=lambda p: p.reference))
    return extract_csv(contract, (tuple(row[c] for c in contract.column_names) for row in rows))


def _write(path: Path, text: str) -> None:
    """Replace the file whole, so ingest never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding=front_door_contract().encoding)
    os.replace(partial, path)


def _extract_is_current(data_dir: Path) -> bool:
    """Whether the workspace links a front-door extract (to be replaced even by an empty one,
    so people no longer in the operational database leave the linked data)."""
    workspace = Workspace.insight(data_dir)
    if not workspace.exists():
        return False
    with workspace.open(read_only=True) as con:
        current = scalar(
            con,
            "SELECT count(*) FROM extracts WHERE source = ? AND status = 'current'",
            [SOURCE],
        )
    return bool(current)


def export_provisional_people(data_dir: Path, actor: Actor) -> Export:
    """Write every provisional person into the front door's extract and import it into the
    insight workspace, as `upstream ingest` imports an agency's extract, for the next link."""
    people = list(ProvisionalPerson.objects.order_by("reference"))
    if not people and not _extract_is_current(data_dir):
        return Export(0, 0, "nothing to export")
    path = extract_path(data_dir)
    _write(path, extract_text(people))
    matched = sorted({p.matched_person_id for p in people if p.matched_person_id})
    extract_id = f"{SOURCE}-{file_sha256(path)[:12]}"
    # Audited before the import: an export that cannot be audited does not reach the workspace.
    record(
        actor,
        Event(
            action="export-provisional-people",
            purpose=PURPOSE,
            people_shown=tuple(matched),
            detail={"extract": extract_id, "provisional_people": len(people)},
        ),
    )
    report = _import(path, data_dir)
    return Export(
        exported=len(people),
        already_matched=sum(1 for p in people if p.matched_person_id),
        status=report.status,
        extract_id=report.extract_id,
        rejected=report.rejected,
    )


def _import(path: Path, data_dir: Path) -> ImportReport:
    # Here, not at the top: the insight service brings Splink, which matching never needs.
    from upstream.insight.service import run_ingest

    reports, _ = run_ingest(path.parent, data_dir)
    report = next((r for r in reports if r.source == SOURCE), None)
    if report is None or report.status == "failed":
        why = "; ".join(report.warnings) if report else "no contract claimed it"
        raise InputError(f"the front door's extract was not imported: {why}", where=str(path))
    return report


def published_matches() -> dict[str, str]:
    """Provisional person's reference -> the person the published linkage run joined it to."""
    return dict(
        SourceRecord.objects.filter(source=SOURCE).values_list("source_record_id", "person_id")
    )


def match_provisional_people(actor: Actor) -> Matches:
    """Match every waiting provisional person the published linkage run joined to a person;
    their requests (and the requests' consents and safeguarding concerns) follow them."""
    run = PublishRun.objects.order_by("-published_at", "-pk").first()
    if run is None:
        raise InputError(
            "nothing published yet; run `upstream link` and `upstream publish` first",
            where="operational database",
        )
    found = published_matches()
    waiting = ProvisionalPerson.objects.filter(matched_person_id="").order_by("reference")
    matched = moved = unmatched = 0
    for provisional in waiting.iterator():
        person_id = found.get(provisional.reference)
        if person_id is None:
            unmatched += 1
            continue
        moved += match(actor, provisional, person_id, run.link_run_id)
        matched += 1
    already = ProvisionalPerson.objects.exclude(matched_person_id="").count() - matched
    return Matches(matched, moved, unmatched, already, run.link_run_id)


@transaction.atomic
def match(actor: Actor, provisional: ProvisionalPerson, person_id: str, link_run: str) -> int:
    """Match one provisional person to a person, and move what waited for them: requests,
    consents and safeguarding concerns that name nobody yet (one an officer has since given a
    person keeps theirs). Audited in the same transaction: unaudited, nothing changes.
    Returns the requests moved."""
    provisional.matched_person_id = person_id
    provisional.matched_at = timezone.now()
    provisional.match_run = link_run
    provisional.save(update_fields=["matched_person_id", "matched_at", "match_run"])
    waiting = Request.objects.filter(provisional=provisional, person_id="")
    ids = list(waiting.values_list("pk", flat=True))
    references = sorted(waiting.values_list("reference", flat=True))
    for model in (Consent, SafeguardingConcern):
        model.objects.filter(request__in=ids, person_id="").update(person_id=person_id)
    Request.objects.filter(pk__in=ids).update(person_id=person_id)
    record(
        actor,
        Event(
            action="match-provisional-person",
            person=person_id,
            purpose=PURPOSE,
            detail={
                "provisional_person": provisional.reference,
                "link_run": link_run,
                "requests": references,
            },
        ),
    )
    return len(references)
