"""A person's flags go through the person record's access decision: relationship or recorded
reason, sources limited by purpose, other people's records only for those the viewer may open,
and every view and refusal audited with everyone it showed (issue 10, items 1 and 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.factories import create_user
from tests.flags.test_flags import allocate_to, allocated, evidence, household_flag_person
from upstream.accounts.roles import Role
from upstream.flags.models import Override
from upstream.governance.models import AuditEntry, RecordedReason

pytestmark = pytest.mark.django_db

CASEWORKERS = [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", CASEWORKERS)
@pytest.mark.parametrize("suffix", ["", "?format=json"])
def test_the_flags_page_refuses_a_caseworker_without_a_working_relationship_and_audits_it(
    published: Path, role: Role, suffix: str
) -> None:
    flag, person_id = household_flag_person(police=True)
    response = client_for(create_user(role=role)).get(f"/flags/person/{person_id}/{suffix}")
    assert response.status_code == 403
    body = response.content.decode()
    assert flag.label not in body and "Police" not in body
    assert AuditEntry.objects.filter(action="flag_view", outcome="denied", person=person_id)
    assert not AuditEntry.objects.filter(action="flag_view", outcome="allowed").exists()


def test_the_flags_page_offers_to_record_a_reason_and_opens_once_one_is_recorded(
    published: Path,
) -> None:
    flag, person_id = household_flag_person(police=True)
    client = client_for(create_user(role=Role.PRACTITIONER))
    assert (
        b"Why do you need to see this record?" in client.get(f"/flags/person/{person_id}/").content
    )
    client.post(
        f"/people/{person_id}/reason/",
        {"purpose": "safeguarding", "reason": "Police raised a concern about the children"},
    )
    response = client.get(f"/flags/person/{person_id}/?format=json")
    assert response.status_code == 200
    assert flag.flag_id in {f["flag_id"] for f in response.json()["flags"]}
    assert RecordedReason.objects.filter(person=person_id, review="waiting").exists()


def test_flags_resting_on_sources_the_purpose_does_not_cover_are_withheld(
    published: Path,
) -> None:
    flag, person_id = household_flag_person(police=True)
    viewer = allocated(person_id)  # direct support does not cover police records
    data = client_for(viewer).get(f"/flags/person/{person_id}/?format=json").json()
    assert flag.flag_id not in {f["flag_id"] for f in data["flags"]}
    assert data["flags_withheld"] >= 1
    shown = [e for f in data["flags"] for need in f["needs"] for e in need["evidence"]]
    assert all(e["agency"] != "Police" for e in shown)


def test_evidence_about_other_household_members_shows_only_for_those_the_viewer_may_open(
    published: Path,
) -> None:
    flag, person_id = household_flag_person(police=False, others=True)
    others = {e["person_id"] for e in evidence(flag)} - {person_id}
    viewer = allocated(person_id)
    client = client_for(viewer)
    card = next(
        f
        for f in client.get(f"/flags/person/{person_id}/?format=json").json()["flags"]
        if f["flag_id"] == flag.flag_id
    )
    shown = {e["person_id"] for need in card["needs"] for e in need["evidence"]}
    assert shown == {person_id}
    assert card["records_about_others_withheld"] == sum(
        e["person_id"] in others for e in evidence(flag)
    )
    page = client.get(f"/flags/person/{person_id}/").content.decode()
    assert "about other household members" in page
    assert not any(other in page for other in others)


def test_a_flag_view_names_everyone_whose_records_it_showed(published: Path) -> None:
    flag, person_id = household_flag_person(police=False, others=True)
    everyone = {e["person_id"] for e in evidence(flag)}
    viewer = allocated(person_id)
    for other in everyone - {person_id}:  # the whole family is on the viewer's caseload
        allocate_to(viewer, other)
    client_for(viewer).get(f"/flags/person/{person_id}/")
    entry = AuditEntry.objects.filter(action="flag_view", actor=viewer.get_username()).get()
    assert everyone <= set(entry.people_shown.strip(",").split(","))
    who_looked = client_for(create_user(role=Role.DATA_PROTECTION_OFFICER)).get(
        "/governance/audit/", {"person": sorted(everyone - {person_id})[0]}
    )
    assert viewer.get_username() in who_looked.content.decode()


@pytest.mark.parametrize("role", [*CASEWORKERS, Role.DATA_PROTECTION_OFFICER, Role.ANALYST])
def test_overriding_a_flag_needs_the_same_access_as_seeing_it(published: Path, role: Role) -> None:
    flag, person_id = household_flag_person()
    response = client_for(create_user(role=role)).post(
        f"/flags/flag/{flag.flag_id}/override/",
        {"person_id": person_id, "kind": "disagree", "reason": "Not this family"},
    )
    assert response.status_code == 403
    assert not Override.objects.exists()
    assert AuditEntry.objects.filter(action="flag_override", outcome="denied").exists()


def test_the_override_form_never_redirects_to_another_site(published: Path) -> None:
    flag, person_id = household_flag_person()
    response = client_for(allocated(person_id)).post(
        f"/flags/flag/{flag.flag_id}/override/",
        {
            "person_id": person_id,
            "kind": "disagree",
            "reason": "Not this family",
            "next": "https://attacker.example/phish",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/flags/person/{person_id}/"
