"""CSV downloads never hand a spreadsheet a formula to run (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from upstream.accounts.roles import Role
from upstream.csv_cells import safe_cell
from upstream.edge.twins import Table, csv_response, download
from upstream.governance.audit import Actor, Event, record

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def cells(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.core
@pytest.mark.parametrize("typed", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_in_front(typed: str) -> None:
    assert safe_cell(typed) == "'" + typed


@pytest.mark.core
@pytest.mark.parametrize(
    "value", ["Sarah Khan", "-12.50", "-3", "", 5, -5, None, "a=b", "2024-05-01"]
)
def test_ordinary_cells_and_plain_numbers_are_left_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.core
def test_every_table_download_is_neutralised() -> None:
    rows = [{"name": formula, "cost": "-12.50"} for formula in FORMULAS]
    written = cells(csv_response(Table("people", rows, ("name", "cost"))))
    assert [r["name"] for r in written] == ["'" + f for f in FORMULAS]
    assert {r["cost"] for r in written} == {"-12.50"}


@pytest.mark.core
def test_the_json_twin_keeps_the_text_as_typed() -> None:
    rows = [{"name": "=1+1"}]
    assert b'"=1+1"' in download("json", table=Table("people", rows, ("name",))).content


@pytest.mark.django_db
def test_the_audit_log_csv_has_no_formula_cells(sign_in) -> None:  # type: ignore[no-untyped-def]
    attacker = Actor(username="@evil", ip_address="203.0.113.9", resource="=cmd|' /C calc'!A0")
    record(attacker, Event(action="search", reason='=HYPERLINK("http://x","click")'))
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    row = next(r for r in cells(dpo.get("/governance/audit.csv")) if r["action"] == "search")
    assert row["actor"] == "'@evil"
    assert row["reason"].startswith("'=HYPERLINK")
    assert row["resource"].startswith("'=cmd")


@pytest.mark.django_db
def test_the_subject_access_csv_has_no_formula_cells(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    person_id = family["mother"].person_id
    record(
        Actor(username="pat", role="practitioner"),
        Event(action="view-person", person=person_id, reason="+44 20 7946 0000 rang"),
    )
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    response = dpo.get(f"/governance/subject-access/{person_id}/report.csv")
    reasons = [r["reason"] for r in cells(response) if r["actor"] == "pat"]
    assert reasons == ["'+44 20 7946 0000 rang"]
