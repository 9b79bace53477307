"""The data protection officer's pages: who looked and why, subject access, reasons to review."""

from __future__ import annotations

import json

import pytest

from tests.casework.conftest import page
from tests.casework.factories import allocate
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry, RecordedReason

pytestmark = pytest.mark.django_db

DPO_PAGES = [
    "/governance/audit/",
    "/governance/audit.csv",
    "/governance/reasons/",
    "/governance/subject-access/",
]


def test_the_dpo_sees_exactly_who_looked_at_a_person_and_why(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, pat = sign_in(Role.PRACTITIONER, username="pat")
    person_id = family["mother"].person_id
    pat.post(
        f"/people/{person_id}/reason/",
        {"purpose": "safeguarding", "reason": "School raised a concern this morning"},
    )
    pat.get(f"/people/{person_id}/")
    _, front_door = sign_in(Role.FRONT_DOOR_OFFICER, username="fran")
    front_door.get(f"/people/{person_id}/")  # denied: no relationship, no reason
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    html = page(dpo.get("/governance/audit/", {"person": person_id}))
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in html.select("tbody tr")
    ]
    rows = [r for r in rows if not r[1].startswith("data_protection_officer")]  # the search itself
    who_what = [(r[1].split()[0], r[2].split()[0], "Denied" in r[2]) for r in rows]
    assert who_what == [
        ("fran", "view-person", True),
        ("pat", "view-person", False),
        ("pat", "record-reason", False),
    ]
    assert "School raised a concern this morning" in rows[1][4]
    assert "203.0.113.9" in rows[0][5]


def test_searches_that_showed_a_person_are_part_of_who_looked(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, pat = sign_in(Role.PRACTITIONER, username="pat")
    pat.get("/people/", {"name": "Khan"})
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    rows = dpo.get("/governance/audit.json", {"person": family["son"].person_id}).json()["rows"]
    assert [(r["actor"], r["action"]) for r in rows if r["actor"] == "pat"] == [("pat", "search")]


def test_subject_access_report_has_the_records_events_and_who_looked(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    practitioner, pat = sign_in(Role.PRACTITIONER, username="pat")
    allocate(person=family["mother"], worker=practitioner)
    pat.get(f"/people/{family['mother'].person_id}/")
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    person_id = family["mother"].person_id
    html = page(dpo.get(f"/governance/subject-access/{person_id}/"))
    assert html.select_one("h1").text.strip() == "Sarah Khan"
    assert "HSG-4471" in html.text
    response = dpo.get(f"/governance/subject-access/{person_id}/report.json")
    report = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert {e["agency"] for e in report["timeline"]} == {
        "Housing",
        "Police",
        "NHS",
    }  # everything held
    assert any(e["actor"] == "pat" and e["action"] == "view-person" for e in report["who_looked"])
    assert AuditEntry.objects.filter(action="subject-access-report", person=person_id).exists()


def test_the_dpo_reviews_a_recorded_reason(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, pat = sign_in(Role.PRACTITIONER, username="pat")
    pat.post(
        f"/people/{family['mother'].person_id}/reason/",
        {"purpose": "safeguarding", "reason": "Police notification received today"},
    )
    dpo_user, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    html = page(dpo.get("/governance/reasons/"))
    assert "Police notification received today" in html.select_one("tbody").text
    grant = RecordedReason.objects.get()
    dpo.post(
        f"/governance/reasons/{grant.pk}/review/",
        {"outcome": "appropriate", "note": "Checked with the team manager"},
    )
    grant.refresh_from_db()
    assert (grant.review, grant.reviewed_by) == ("appropriate", dpo_user)
    assert "Nothing is waiting for review" in page(dpo.get("/governance/reasons/")).text


def test_the_dataset_register_shows_lawful_basis_and_permitted_uses(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    html = page(dpo.get("/governance/datasets/"))
    police = html.find("h2", string="Police").find_next("dl").text
    assert "Crime and Disorder Act 1998 s.115" in police
    assert "Safeguarding" in police and "Supporting a person" not in police
    rows = dpo.get("/governance/datasets.json").json()["rows"]
    assert len(rows) == 11  # the ten agencies' and the front door's


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize("url", DPO_PAGES)
def test_dpo_pages_are_denied_to_every_other_role_and_audited(sign_in, role, url) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(role)
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(outcome="denied", actor=user.username).exists()


def test_citizens_cannot_read_the_dataset_register(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.CITIZEN)
    assert client.get("/governance/datasets/").status_code == 403
