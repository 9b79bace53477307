"""Someone we don't know yet: provisional people go through the same linkage as every agency's
records, are matched by the next run, and their requests follow them; nothing is lost if they
never match (issue 12)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from tests.casework.factories import create_person, create_record
from tests.city import TestCity
from tests.test_cli import refused_in_one_line
from upstream.cli import app
from upstream.errors import InputError
from upstream.frontdoor.matching import (
    export_provisional_people,
    extract_path,
    extract_row,
    extract_text,
    front_door_contract,
    match_provisional_people,
)
from upstream.frontdoor.models import (
    AskedBy,
    Channel,
    Consent,
    ConsentState,
    ContactMethod,
    ProvisionalPerson,
    Request,
    SafeguardingConcern,
    SafeguardingTeam,
)
from upstream.governance.audit import Actor
from upstream.governance.models import AuditEntry
from upstream.insight.extracts import extract_csv
from upstream.insight.link import record_person_sql
from upstream.insight.linkage.pipeline import LinkOptions
from upstream.insight.service import run_link
from upstream.insight.workspace import Workspace
from upstream.people.models import Person, PublishRun, SourceRecord
from upstream.people.publish import publish

SYSTEM = Actor(username="system", resource="tests")
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def provisional(reference: str = "PP-TEST0001", **fields: Any) -> ProvisionalPerson:
    identity: dict[str, Any] = {
        "given_name": "Ada",
        "family_name": "Okonkwo",
        "date_of_birth": date(1990, 4, 12),
        "sex": "F",
        "address": "Flat 2,\n14 Elm Road",
        "postcode": "up4 8nn",
        "recorded_at": NOW,
        **fields,
    }
    return ProvisionalPerson(reference=reference, **identity)


def saved(reference: str = "PP-TEST0001", **fields: Any) -> ProvisionalPerson:
    person = provisional(reference, **fields)
    person.save()
    return person


def request_for(person: ProvisionalPerson, reference: str, **fields: Any) -> Request:
    return Request.objects.create(
        reference=reference,
        provisional=person,
        channel=Channel.PHONE,
        received_at=NOW,
        asked_by=AskedBy.PERSON,
        what_matters="Keeping my flat",
        preferred_contact=ContactMethod.PHONE,
        **fields,
    )


def consent_and_concern(request: Request) -> tuple[Consent, SafeguardingConcern]:
    consent = Consent.objects.create(
        request=request, purpose="connect_to_help", state=ConsentState.GIVEN, created_at=NOW
    )
    concern = SafeguardingConcern.objects.create(
        request=request,
        team=SafeguardingTeam.ADULTS,
        concern="Financial abuse by a lodger",
        lawful_basis="Care Act 2014 s.42",
        raised_at=NOW,
        due_at=NOW + timedelta(days=1),
    )
    return consent, concern


def published(person_id: str, *references: str) -> Person:
    """A publish whose linkage joined these provisional people's records to one person."""
    person = create_person(person_id=person_id, index=False)
    for reference in references:
        create_record(person=person, source="front_door", source_record_id=reference)
    PublishRun.objects.create(link_run_id="link-test", workspace="test")
    return person


# The extract: the identity as given, nothing more.


@pytest.mark.core
def test_the_extract_holds_the_identity_as_given_on_one_line() -> None:
    assert extract_row(provisional()) == {
        "Reference": "PP-TEST0001",
        "GivenName": "Ada",
        "FamilyName": "Okonkwo",
        "DateOfBirth": "1990-04-12",
        "Sex": "F",
        "Address": "Flat 2, 14 Elm Road",
        "Postcode": "up4 8nn",  # linkage standardises it, as it does every agency's
        "NHSNumber": "",
    }


@pytest.mark.core
@pytest.mark.parametrize(
    ("kind", "identifier", "exported"),
    [
        ("NHS number", "943 476 5919", "9434765919"),
        ("nhs no.", "9434765919", "9434765919"),
        ("National Insurance number", "QQ123456C", ""),
        ("", "", ""),
    ],
)
def test_only_an_nhs_number_leaves_the_operational_database(
    kind: str, identifier: str, exported: str
) -> None:
    person = provisional(identifier_type=kind, identifier=identifier)
    assert extract_row(person)["NHSNumber"] == exported


@pytest.mark.core
def test_the_same_people_give_the_same_extract_whatever_their_order() -> None:
    first, second = provisional("PP-B"), provisional("PP-A", given_name="Bo")
    text = extract_text([first, second])
    assert text == extract_text([second, first])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Reference"] for r in rows] == ["PP-A", "PP-B"]
    assert list(rows[0]) == front_door_contract().column_names


@pytest.mark.core
def test_an_extract_is_written_as_its_contract_reads_it() -> None:
    contract = replace(front_door_contract(), delimiter="|")
    row = tuple(extract_row(provisional()).values())
    assert extract_csv(contract, [row]).splitlines()[1].startswith("PP-TEST0001|Ada|Okonkwo|")
    with pytest.raises(InputError, match="a row has 2 fields, not 8"):
        extract_csv(contract, [("PP-A", "Ada")])
    with pytest.raises(InputError, match="only a CSV extract"):
        extract_csv(replace(contract, format="parquet"), [])


@pytest.mark.core
def test_a_provisional_record_alone_is_nobody_yet_but_joins_someone_an_agency_knows() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE identities AS SELECT * FROM (VALUES "
        "(1, 'housing'), (2, 'front_door'), (3, 'front_door'), (4, 'front_door')) t(identity_id, source)"
    )
    con.execute(
        "CREATE TABLE identity_person AS SELECT * FROM (VALUES "
        "(1, 'P1'), (2, 'P1'), (3, 'P2'), (4, 'P2')) t(identity_id, person_id)"
    )
    con.execute(
        "CREATE TABLE record_identity AS SELECT * FROM (VALUES "
        "('housing:1', 1), ('front_door:PP-A', 2), ('front_door:PP-B', 3), ('front_door:PP-C', 4)) "
        "t(record_key, identity_id)"
    )
    con.execute(record_person_sql(["front_door"]))
    rows = con.execute("SELECT * FROM record_person ORDER BY record_key").fetchall()
    # PP-B and PP-C are one person by their own records only: no one known yet.
    assert rows == [("front_door:PP-A", "P1"), ("housing:1", "P1")]
    con.execute(record_person_sql([]))
    assert con.execute("SELECT count(*) FROM record_person").fetchall() == [(4,)]


# Matching what a published linkage run joined.


@pytest.mark.django_db
def test_a_matched_person_takes_their_requests_consents_and_concerns() -> None:
    waiting = saved()
    first, second = request_for(waiting, "R-1"), request_for(waiting, "R-2")
    consent, concern = consent_and_concern(first)
    published("P00000042", waiting.reference)

    matches = match_provisional_people(SYSTEM)

    assert (matches.matched, matches.requests_moved, matches.still_unmatched) == (1, 2, 0)
    waiting.refresh_from_db()
    assert waiting.matched_person_id == "P00000042"
    assert waiting.match_run == "link-test" and waiting.matched_at is not None
    for row in (first, second, consent, concern):
        row.refresh_from_db()
        assert row.person_id == "P00000042"
    first.refresh_from_db()
    assert first.provisional == waiting  # the identity as given stays with the request


@pytest.mark.django_db
def test_a_request_an_officer_already_gave_a_person_keeps_theirs() -> None:
    waiting = saved()
    found_by_officer = request_for(waiting, "R-1", person_id="P00000007")
    consent, _ = consent_and_concern(found_by_officer)
    published("P00000042", waiting.reference)

    assert match_provisional_people(SYSTEM).requests_moved == 0
    found_by_officer.refresh_from_db()
    consent.refresh_from_db()
    assert found_by_officer.person_id == "P00000007"
    assert consent.person_id == ""  # it follows its request, not the match


@pytest.mark.django_db
def test_someone_never_matched_keeps_their_requests() -> None:
    unknown = saved("PP-NOBODY1")
    kept = request_for(unknown, "R-1")
    _, concern = consent_and_concern(kept)
    published("P00000042")  # a publish that joined nobody to them

    matches = match_provisional_people(SYSTEM)

    assert (matches.matched, matches.still_unmatched) == (0, 1)
    unknown.refresh_from_db()
    kept.refresh_from_db()
    concern.refresh_from_db()
    assert unknown.matched_person_id == "" and unknown.matched_at is None
    assert list(unknown.requests.all()) == [kept]
    assert kept.person_id == concern.person_id == ""


@pytest.mark.django_db
def test_matching_again_changes_nothing_and_is_audited_once() -> None:
    waiting = saved()
    request_for(waiting, "R-1")
    published("P00000042", waiting.reference)

    match_provisional_people(SYSTEM)
    again = match_provisional_people(SYSTEM)

    assert (again.matched, again.already_matched, again.still_unmatched) == (0, 1, 0)
    entries = AuditEntry.objects.filter(action="match-provisional-person")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.actor, entry.person, entry.purpose) == ("system", "P00000042", "triage")
    assert entry.detail["provisional_person"] == waiting.reference
    assert entry.detail["requests"] == ["R-1"]


@pytest.mark.django_db
def test_matching_before_anything_is_published_says_what_to_run() -> None:
    saved()
    with pytest.raises(InputError, match="upstream publish"):
        match_provisional_people(SYSTEM)


# Exporting into the insight workspace, as `upstream ingest` imports an agency's extract.


def front_door_rows(data_dir: Path) -> list[tuple[Any, ...]]:
    with Workspace.insight(data_dir).open(read_only=True) as con:
        return con.execute(
            "SELECT r.Reference, r.Postcode FROM records_front_door r "
            "JOIN extracts e ON e.extract_id = r._extract_id WHERE e.status = 'current' "
            "ORDER BY 1"
        ).fetchall()


@pytest.mark.django_db
def test_nothing_is_written_while_the_front_door_knows_nobody_new(tmp_path: Path) -> None:
    assert export_provisional_people(tmp_path, SYSTEM).status == "nothing to export"
    assert not extract_path(tmp_path).exists()
    assert not Workspace.insight(tmp_path).exists()


@pytest.mark.django_db
def test_the_same_people_are_imported_once_and_a_new_one_replaces_the_extract(
    tmp_path: Path,
) -> None:
    saved("PP-A")
    first = export_provisional_people(tmp_path, SYSTEM)
    again = export_provisional_people(tmp_path, SYSTEM)
    saved("PP-B", postcode="NO FIXED")
    later = export_provisional_people(tmp_path, SYSTEM)

    assert (first.status, again.status, later.status) == (
        "imported",
        "already imported",
        "imported",
    )
    assert first.extract_id == again.extract_id != later.extract_id
    # The extract's own rules apply: a postcode that is none is blanked, not the person lost.
    assert front_door_rows(tmp_path) == [("PP-A", "up4 8nn"), ("PP-B", None)]
    audit = AuditEntry.objects.filter(action="export-provisional-people")
    assert audit.count() == 3
    assert audit.order_by("sequence").last().detail == {  # type: ignore[union-attr]
        "extract": later.extract_id,
        "provisional_people": 2,
    }


@pytest.mark.django_db
def test_people_gone_from_the_front_door_leave_the_linked_data(tmp_path: Path) -> None:
    gone = saved("PP-A")
    export_provisional_people(tmp_path, SYSTEM)
    gone.delete()
    assert export_provisional_people(tmp_path, SYSTEM).status == "imported"
    assert front_door_rows(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_the_commands_print_their_counts_and_refuse_to_match_before_a_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_DATA_DIR", str(tmp_path))
    saved("PP-A")
    exported = CliRunner().invoke(app, ["frontdoor", "export"])
    assert exported.exit_code == 0, exported.output
    assert "Exported 1 provisional person (0 already matched)" in exported.output
    line = refused_in_one_line(["frontdoor", "match"])
    assert "nothing published yet" in line


# The whole path over the test city: export → link → publish → match.


@pytest.mark.core
def test_the_main_job_exports_before_the_link_and_matches_after_the_publish(
    test_city: TestCity,
) -> None:
    log = test_city.log
    order = [
        log.index("frontdoor export:"),
        log.index("\nlink:"),
        log.index("\npublish:"),
        log.index("frontdoor match:"),
    ]
    assert order == sorted(order)
    # The test city's front door has asked about nobody before its first link.
    assert "No provisional people: nothing to export." in log
    assert "Matched 0 provisional people" in log


def a_linked_identity(data_dir: Path) -> dict[str, Any]:
    """A source record of someone several agencies know, with a name, date of birth, sex and
    postcode that no one else in the city shares."""
    with Workspace.insight(data_dir).reading() as read:
        row = read.first(
            """
            WITH r AS (SELECT * FROM person_records JOIN record_person USING (record_key)),
            known AS (SELECT person_id FROM r GROUP BY person_id HAVING count(DISTINCT source) >= 2),
            unique_names AS (SELECT forename, surname, dob FROM r GROUP BY ALL
                             HAVING count(DISTINCT person_id) = 1)
            SELECT r.record_key, r.forename, r.surname, r.dob, r.sex, r.postcode
            FROM r JOIN known USING (person_id) JOIN unique_names USING (forename, surname, dob)
            WHERE r.sex IN ('M', 'F') AND r.postcode IS NOT NULL AND length(r.surname) >= 6
              AND r.surname NOT LIKE '%-%' AND r.surname NOT LIKE '% %'
            ORDER BY r.record_key LIMIT 1
            """
        )
    assert row is not None, "the test city has someone several agencies know"
    return row


def with_a_typo(surname: str) -> str:
    """Two letters in the middle swapped (as a phone call mishears), in ordinary case."""
    letters = list(surname.capitalize())
    letters[2], letters[3] = letters[3], letters[2]
    return "".join(letters)


def relink_and_publish(data_dir: Path) -> None:
    """The next linkage run, with the model the test city's run trained (`--incremental`:
    training again would add most of a minute and change nothing this test looks at), then
    the publish."""
    run_link(data_dir, incremental=True, options=LinkOptions(threads=2, memory_limit="2GB"))
    publish(data_dir, progress=lambda _line: None)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_next_linkage_run_matches_someone_known_and_keeps_someone_invented(
    test_city: TestCity, tmp_path: Path
) -> None:
    data_dir = test_city.writable_copy(tmp_path / "data")
    identity = a_linked_identity(data_dir)
    known = saved(
        "PP-KNOWN01",
        given_name=identity["forename"].capitalize(),
        family_name=with_a_typo(identity["surname"]),
        date_of_birth=identity["dob"],
        sex=identity["sex"],
        address="flat 3 the old mill",
        postcode=identity["postcode"].replace(" ", "").lower(),
    )
    invented = saved(
        "PP-INVENT1",
        given_name="Zephyrine",
        family_name="Quillfeather",
        date_of_birth=date(1979, 11, 23),
        postcode="ZZ9 9ZZ",
    )
    known_request, invented_request = request_for(known, "R-K"), request_for(invented, "R-I")

    assert export_provisional_people(data_dir, SYSTEM).exported == 2
    relink_and_publish(data_dir)
    matches = match_provisional_people(SYSTEM)

    holder = SourceRecord.objects.get(record_key=identity["record_key"]).person_id
    known.refresh_from_db()
    invented.refresh_from_db()
    known_request.refresh_from_db()
    invented_request.refresh_from_db()
    assert (matches.matched, matches.still_unmatched) == (1, 1)
    assert known.matched_person_id == known_request.person_id == holder
    # No rule could join them (no NHS number, no UPRN): insight's own Splink model did.
    record = SourceRecord.objects.get(source_record_id="PP-KNOWN01")
    assert record.link_method == "probabilistic"
    assert invented.matched_person_id == invented_request.person_id == ""
    assert invented_request.provisional == invented
    # Alone, the invented person is no one: not published, and no new person made of them.
    assert not SourceRecord.objects.filter(source_record_id="PP-INVENT1").exists()
    assert not Person.objects.filter(family_name="Quillfeather").exists()

    # The next run: the same people, the same extract, the matched one still in their
    # person's linked data; nothing matched twice.
    assert export_provisional_people(data_dir, SYSTEM).status == "already imported"
    relink_and_publish(data_dir)
    again = match_provisional_people(SYSTEM)
    assert (again.matched, again.already_matched, again.still_unmatched) == (0, 1, 1)
    known.refresh_from_db()
    assert known.matched_person_id == holder
    assert SourceRecord.objects.get(source_record_id="PP-KNOWN01").person_id == holder
