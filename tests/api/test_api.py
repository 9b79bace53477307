"""The JSON API: the twin of every page, with the same permissions and the same audit."""

from __future__ import annotations

import pytest

from tests.casework.factories import allocate
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_api_needs_a_signed_in_session(client, family) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/people", {"name": "Khan"}).status_code == 401
    assert client.get(f"/api/people/{family['mother'].person_id}").status_code == 401


def test_openapi_describes_every_operation(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/people",
        "/api/people/{person_id}",
        "/api/households/{household_id}",
        "/api/caseload",
        "/api/governance/audit",
        "/api/governance/audit/verify",
    } <= set(paths)


def test_find_a_person_in_the_api_matches_the_page(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.PRACTITIONER)
    results = client.get("/api/people", {"name": "Sara Kahn"}).json()
    assert results[0]["name"] == "Sarah Khan" and results[0]["relationship"] == ""
    assert AuditEntry.objects.filter(action="search", detail__name="Sara Kahn").count() == 1


def test_the_person_json_twin_has_the_header_and_every_table_of_the_page(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    data = client.get(f"/api/people/{family['mother'].person_id}").json()
    assert data["person"]["name"] == "Sarah Khan"
    assert data["person"]["address"] == "12 Canal Street"
    assert data["access"]["basis"] == "allocated"
    assert [e["description"] for e in data["timeline"]] == [
        "Homelessness application decided",
        "A&E attendance",
    ]
    assert data["withheld_sources"] == ["Police"]
    assert [m["name"] for m in data["household_members"]] == [
        "Sarah Khan",
        "Adam Khan",
        "Liam Doyle",
    ]
    assert data["costs"] == [
        {"financial_year": "2023/24", "cost": "180.00"},
        {"financial_year": "2024/25", "cost": "1200.00"},
    ]
    assert AuditEntry.objects.filter(action="view-person", detail__view="api person").exists()


def test_the_person_api_filters_by_agency_and_period(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    url = f"/api/people/{family['mother'].person_id}"
    assert [e["agency"] for e in client.get(url, {"agency": "health"}).json()["timeline"]] == [
        "NHS"
    ]
    assert (
        len(client.get(url, {"start": "2024-04-01", "end": "2025-03-31"}).json()["timeline"]) == 1
    )


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.FRONT_DOOR_OFFICER, Role.CITIZEN, Role.COMMISSIONER]
)
def test_the_api_denies_and_audits_what_the_page_denies(family, sign_in, role) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(role)
    response = client.get(f"/api/people/{family['mother'].person_id}")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert AuditEntry.objects.filter(
        actor=user.username, action="view-person", outcome="denied"
    ).exists()
    assert client.get(f"/api/households/{family['home'].household_id}").status_code == 403


def test_recording_a_reason_through_the_api_needs_csrf_and_then_opens_the_record(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from tests.factories import DEFAULT_PASSWORD

    user, _ = sign_in(Role.FRONT_DOOR_OFFICER)
    client = Client(enforce_csrf_checks=True)
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    url = f"/api/people/{family['mother'].person_id}/reasons"
    body = {"purpose": "triage", "reason": "Walk-in request for help with housing"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.get("/people/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert response.json()["review"] == "waiting"
    assert client.get(f"/api/people/{family['mother'].person_id}").status_code == 200


def test_household_api_matches_the_page(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    for member in ("mother", "son", "partner"):
        allocate(person=family[member], worker=user)
    data = client.get(f"/api/households/{family['home'].household_id}").json()
    assert data["household"]["combined_cost"] == "1690.00"
    assert {m["name"] for m in data["members"]} >= {
        "Sarah Khan",
        "Adam Khan",
        "Liam Doyle",
        "Old Tenant",
    }


def test_caseload_api_lists_the_caseload(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    assert [r["name"] for r in client.get("/api/caseload").json()] == ["Sarah Khan"]


def test_governance_api_is_for_the_dpo_only(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _, practitioner = sign_in(Role.PRACTITIONER)
    assert practitioner.get("/api/governance/audit").status_code == 403
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    practitioner.get(f"/api/people/{family['mother'].person_id}")
    entries = dpo.get("/api/governance/audit", {"person": family["mother"].person_id}).json()
    assert any(e["outcome"] == "denied" for e in entries)
    assert dpo.get("/api/governance/audit/verify").json()["ok"] is True
    report = dpo.get(f"/api/governance/subject-access/{family['mother'].person_id}").json()
    assert report["source_records"][0]["source_record_id"] == "HSG-4471"


def test_the_dpo_reviews_a_reason_and_a_manager_ends_an_allocation_through_the_api(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from upstream.governance.models import Allocation

    _, pat = sign_in(Role.PRACTITIONER)
    pat.post(
        f"/people/{family['mother'].person_id}/reason/",
        {"purpose": "safeguarding", "reason": "Police notification this morning"},
    )
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    reason = dpo.get("/api/governance/reasons").json()[0]
    reviewed = dpo.post(
        f"/api/governance/reasons/{reason['id']}/review",
        {"outcome": "appropriate"},
        content_type="application/json",
    )
    assert reviewed.status_code == 200, reviewed.content[:300]
    assert reviewed.json()["review"] == "appropriate"
    assert (
        pat.post(
            f"/api/governance/reasons/{reason['id']}/review",
            {"outcome": "appropriate"},
            content_type="application/json",
        ).status_code
        == 403
    )
    _, manager = sign_in(Role.TEAM_MANAGER)
    allocation = allocate(person=family["son"])
    assert manager.post(f"/api/caseload/allocations/{allocation.pk}/end").status_code == 200
    assert Allocation.objects.get(pk=allocation.pk).ended_at is not None
