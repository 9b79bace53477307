"""Need-to-know, for every view and role: who may see what, and that every refusal is audited."""

from __future__ import annotations

import pytest

from tests.casework.factories import allocate
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

CASEWORKERS = [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER]
# Roles that see no one's agency records: partners see only what the front door shares with
# them (their referrals, their organisation's connections), never the published records.
NO_RECORDS = [
    Role.CITIZEN,
    Role.COMMISSIONER,
    Role.ADMINISTRATOR,
    Role.PARTNER_PROFESSIONAL,
    Role.SERVICE_PROVIDER,
]


def denied_and_audited(response, action: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=action, outcome="denied").exists()


@pytest.mark.parametrize("role", NO_RECORDS)
def test_roles_without_a_need_cannot_search_and_are_audited(family, sign_in, role) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    response = client.get("/people/", {"name": "Khan"})
    denied_and_audited(response, "search")
    assert "Sarah" not in response.content.decode()


@pytest.mark.parametrize("role", NO_RECORDS)
def test_roles_without_a_need_cannot_open_a_person_or_household(family, sign_in, role) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    denied_and_audited(client.get(f"/people/{family['mother'].person_id}/"), "view-person")
    denied_and_audited(
        client.get(f"/people/{family['mother'].person_id}/timeline.csv"), "view-person"
    )
    denied_and_audited(client.get(f"/households/{family['home'].household_id}/"), "view-household")


@pytest.mark.parametrize("role", CASEWORKERS)
def test_caseworkers_without_a_working_relationship_are_denied_and_offered_a_reason(
    family, sign_in, role
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    response = client.get(f"/people/{family['mother'].person_id}/")
    denied_and_audited(response, "view-person")
    assert "Sarah Khan" not in response.content.decode()
    assert b"Why do you need to see this record?" in response.content
    denied_and_audited(client.get(f"/households/{family['home'].household_id}/"), "view-household")


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER])
def test_the_teams_caseload_gives_a_working_relationship(family, sign_in, role) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    allocate(person=family["mother"])  # on the team's caseload, no key worker
    response = client.get(f"/people/{family['mother'].person_id}/")
    assert response.status_code == 200
    assert b"On your team&#x27;s caseload" in response.content


def test_another_teams_caseload_gives_no_working_relationship(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], team="Early help — South")
    assert client.get(f"/people/{family['mother'].person_id}/").status_code == 403


def test_an_ended_allocation_no_longer_gives_access(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    user, client = sign_in(Role.PRACTITIONER)
    allocation = allocate(person=family["mother"], worker=user)
    allocation.ended_at = timezone.now()
    allocation.save()
    assert client.get(f"/people/{family['mother'].person_id}/").status_code == 403


def test_recording_a_reason_opens_the_record_and_queues_it_for_review(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.FRONT_DOOR_OFFICER)
    person_id = family["mother"].person_id
    response = client.post(
        f"/people/{person_id}/reason/",
        {"purpose": "triage", "reason": "Phone call asking for help with rent arrears"},
    )
    assert response.status_code == 302
    assert client.get(f"/people/{person_id}/").status_code == 200
    entry = AuditEntry.objects.filter(action="record-reason").get()
    assert (entry.actor, entry.person, entry.purpose) == (user.username, person_id, "triage")
    from upstream.governance.models import RecordedReason

    assert RecordedReason.objects.get().review == "waiting"


@pytest.mark.parametrize(
    ("purpose", "reason"),
    [
        ("triage", "short"),
        ("analysis", "I would like to analyse this person"),
        ("", "A reason that is long enough"),
    ],
)
def test_a_reason_must_be_given_for_a_purpose_the_role_may_use(
    family, sign_in, purpose, reason
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    person_id = family["mother"].person_id
    response = client.post(f"/people/{person_id}/reason/", {"purpose": purpose, "reason": reason})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert client.get(f"/people/{person_id}/").status_code == 403


def test_an_expired_reason_no_longer_gives_access(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from upstream.governance.models import RecordedReason

    _, client = sign_in(Role.PRACTITIONER)
    person_id = family["mother"].person_id
    client.post(
        f"/people/{person_id}/reason/",
        {"purpose": "safeguarding", "reason": "Concern raised by the school today"},
    )
    grant = RecordedReason.objects.get()
    RecordedReason.objects.filter(pk=grant.pk).update(expires_at=grant.at - timedelta(seconds=1))
    assert client.get(f"/people/{person_id}/").status_code == 403


def test_analysts_see_a_pseudonymised_record_without_name_address_or_identifiers(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.pseudonyms import pseudonym_for

    _, client = sign_in(Role.ANALYST)
    token = pseudonym_for(family["mother"].person_id)
    body = client.get(f"/people/{token}/").content.decode()
    for identifying in ("Sarah", "Khan", "Canal Street", "M14 5AB", "1988", "HSG-4471"):
        assert identifying not in body
    assert "PS-" in body and "M14" in body
    timeline = client.get(f"/people/{token}/timeline.json").json()["rows"]
    assert timeline and all("event_id" not in row and "person_id" not in row for row in timeline)


def test_analysts_never_see_a_real_person_id_or_an_address_based_household_id(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.pseudonyms import pseudonym_for

    _, client = sign_in(Role.ANALYST)
    token = pseudonym_for(family["mother"].person_id)
    real_ids = {family[m].person_id for m in ("mother", "son", "partner")}
    uprn = family["home"].uprn
    found = client.get("/people/", {"identifier": token}).content.decode()
    page = client.get(f"/people/{token}/").content.decode()
    members = client.get(f"/people/{token}/household-members.csv").content.decode()
    api = client.get(f"/api/people/{token}").content.decode()
    for shown in (found, page, members, api):
        assert not any(real in shown for real in real_ids)
        assert uprn not in shown
    assert "HS-" in members and "PS-" in members


def test_analysts_cannot_open_records_by_real_id_whether_or_not_the_person_exists(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.ANALYST)
    real = client.get(f"/people/{family['mother'].person_id}/")
    missing = client.get("/people/P99999999/")
    assert real.status_code == missing.status_code == 403
    assert client.get(f"/api/people/{family['mother'].person_id}").status_code == 403
    assert AuditEntry.objects.filter(action="view-person", outcome="denied").count() == 3


@pytest.mark.parametrize("role", CASEWORKERS)
def test_a_caseworker_cannot_tell_whether_a_person_or_household_exists(
    family, sign_in, role
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    existing = client.get(f"/people/{family['mother'].person_id}/")
    missing = client.get("/people/P99999999/")
    assert existing.status_code == missing.status_code == 403
    home = client.get(f"/households/{family['home'].household_id}/")
    nowhere = client.get("/households/H-999999999999-20190401/")
    assert home.status_code == nowhere.status_code == 403


def test_analysts_cannot_search_by_name_but_can_by_pseudonym(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.pseudonyms import pseudonym_for

    _, client = sign_in(Role.ANALYST)
    assert client.get("/people/", {"name": "Khan"}).status_code == 403
    token = pseudonym_for(family["mother"].person_id)
    response = client.get("/people/", {"identifier": token})
    assert token in response.content.decode() and "Khan" not in response.content.decode()


def test_analysts_cannot_open_household_pages(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.ANALYST)
    denied_and_audited(client.get(f"/households/{family['home'].household_id}/"), "view-household")


@pytest.mark.parametrize(
    "role", [*NO_RECORDS, Role.FRONT_DOOR_OFFICER, Role.ANALYST, Role.DATA_PROTECTION_OFFICER]
)
def test_caseloads_are_for_practitioners_and_team_managers(sign_in, role) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(role)
    denied_and_audited(client.get("/caseload/"), "view-caseload")


def test_practitioners_cannot_allocate(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.PRACTITIONER)
    denied_and_audited(
        client.post("/caseload/allocate/", {"person_id": family["mother"].person_id}), "allocate"
    )


def test_allocation_posts_need_the_csrf_token(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from tests.factories import DEFAULT_PASSWORD

    manager, _ = sign_in(Role.TEAM_MANAGER)
    client = Client(enforce_csrf_checks=True)
    client.login(username=manager.username, password=DEFAULT_PASSWORD)
    assert (
        client.post("/caseload/allocate/", {"person_id": family["mother"].person_id}).status_code
        == 403
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_shown_only_the_sources_its_purpose_covers(family, sign_in, role) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.pseudonyms import pseudonym_for
    from upstream.governance.purposes import default_purpose
    from upstream.governance.register import permitted_sources

    user, client = sign_in(role)
    allocate(person=family["mother"], worker=user)
    person_id = family["mother"].person_id
    key = pseudonym_for(person_id) if role == Role.ANALYST else person_id
    response = client.get(f"/people/{key}/timeline.json")
    if response.status_code == 403:
        assert role in NO_RECORDS
        return
    shown = {row["agency"] for row in response.json()["rows"]}
    expected = permitted_sources(role, default_purpose(role))
    assert ("Police" in shown) == ("police" in expected)
    assert ("NHS" in shown) == ("health" in expected)


def test_a_team_manager_cannot_allocate_a_stranger_without_recording_why(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.models import Allocation

    _, manager = sign_in(Role.TEAM_MANAGER)
    person_id = family["mother"].person_id
    denied_and_audited(manager.post("/caseload/allocate/", {"person_id": person_id}), "allocate")
    assert not Allocation.objects.exists()
    assert manager.get(f"/people/{person_id}/").status_code == 403


def test_an_allocation_on_a_recorded_reason_names_it_for_the_data_protection_officer(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.models import Allocation, RecordedReason

    _, manager = sign_in(Role.TEAM_MANAGER)
    person_id = family["mother"].person_id
    manager.post(
        f"/people/{person_id}/reason/",
        {"purpose": "direct_support", "reason": "Referred to early help by the school"},
    )
    assert manager.post("/caseload/allocate/", {"person_id": person_id}).status_code == 302
    grant = RecordedReason.objects.get(person=person_id)
    allocation = Allocation.objects.get(person_id=person_id)
    assert allocation.basis == "reason" and allocation.recorded_reason == grant
    entry = AuditEntry.objects.get(action="allocate", outcome="allowed")
    assert entry.detail["recorded_reason"] == grant.pk and entry.reason == grant.reason
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    queue = dpo.get("/governance/reasons/").content.decode()
    assert "Used to allocate to Early help" in queue


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DATA_PROTECTION_OFFICER])
def test_analysts_and_the_dpo_cannot_record_a_break_glass_reason_through_the_page(
    family, sign_in, role
) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.models import RecordedReason

    _, client = sign_in(role)
    person_id = family["mother"].person_id
    purpose = "analysis" if role == Role.ANALYST else "subject_access"
    response = client.post(
        f"/people/{person_id}/reason/", {"purpose": purpose, "reason": "I would like to look"}
    )
    denied_and_audited(response, "record-reason")
    assert not RecordedReason.objects.exists()


def test_household_members_shown_on_a_person_page_are_in_the_audit_entry(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    client.get(f"/people/{family['mother'].person_id}/")
    client.get(f"/people/{family['mother'].person_id}/household-members.csv")
    members = {family[m].person_id for m in ("mother", "son", "partner")}
    entries = AuditEntry.objects.filter(action="view-person", outcome="allowed")
    assert entries.count() == 2
    for entry in entries:
        assert members <= set(entry.people_shown.strip(",").split(","))
