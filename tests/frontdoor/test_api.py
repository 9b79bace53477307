"""The partner API (/api/frontdoor/): API keys, referrals scoped to their organisation,
connections answered by their provider, Idempotency-Key, problems for bad input, and audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import create_user
from tests.frontdoor.provider_factories import (
    TEST_ACTOR,
    api_key,
    connected,
    create_organisation,
    create_service,
    need,
    take,
)
from upstream.accounts.roles import Role
from upstream.frontdoor.apikeys import authenticate, revoke_key
from upstream.frontdoor.models import (
    ApiKey,
    Channel,
    Connection,
    ConnectionStatus,
    ConsentEvent,
    IdempotentResponse,
    ProvisionalPerson,
    Request,
)
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

API = "/api/frontdoor"


def referral(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": {
            "given_name": "Priya",
            "family_name": "Shah",
            "date_of_birth": "1979-05-21",
            "postcode": "M14 5AB",
        },
        "referrer_name": "Jo Bloggs",
        "referrer_role": "Housing support worker",
        "what_matters": "Priya wants to stay in her flat and sort out the arrears.",
        "needs": [need()],
        "urgency": "soon",
        "preferred_contact": "phone",
        "contact_detail": "07700 900456",
        "consent": {"categories": ["contact", "needs"], "types": ["any_directory"]},
    }
    body.update(changes)
    return body


class Partner:
    """An API client with an organisation's key."""

    def __init__(self, organisation: Any, key: str) -> None:
        self.organisation = organisation
        self.key = key
        self.client = Client(REMOTE_ADDR="198.51.100.7")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, HTTP_X_API_KEY=self.key)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            API + path,
            json.dumps(body),
            content_type="application/json",
            HTTP_X_API_KEY=self.key,
            **headers,
        )


def partner(name: str = "") -> Partner:
    organisation = create_organisation(name=name)
    return Partner(organisation, api_key(organisation))


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


# --- keys ------------------------------------------------------------------------------------


def test_only_a_hash_of_a_key_is_kept_and_the_key_finds_its_organisation() -> None:
    organisation = create_organisation()
    key = api_key(organisation)
    stored = ApiKey.objects.get(organisation=organisation)
    assert key.startswith(f"ufd_{stored.prefix}_")
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    found = authenticate(key)
    assert found is not None and found.organisation == organisation
    assert authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_a_revoked_key_is_refused_with_401() -> None:
    client = partner()
    assert client.get("/requests").status_code == 200
    revoke_key(TEST_ACTOR, client.key[:12])
    body = problem(client.get("/requests"), 401)
    assert "revoked" in body["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_API_KEY": "ufd_abcdefgh_" + "x" * 43},
        {"HTTP_X_API_KEY": "not a key"},
        {"HTTP_AUTHORIZATION": "Bearer nonsense"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    ],
)
def test_calls_without_a_valid_key_are_refused_with_a_401_problem(headers: dict[str, str]) -> None:
    response = Client().get(f"{API}/requests", **headers)
    body = problem(response, 401)
    assert "API key" in body["detail"]


def test_the_key_may_be_sent_as_a_bearer_token() -> None:
    client = partner()
    response = Client().get(f"{API}/requests", HTTP_AUTHORIZATION=f"Bearer {client.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_signed_in_session_is_not_a_key(sign_in: Any) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    problem(client.get(f"{API}/requests"), 401)


# --- referrals -------------------------------------------------------------------------------


def test_a_referral_is_taken_as_a_partner_request_with_its_consent() -> None:
    client = partner("Northside Housing Association")
    response = client.post("/requests", referral())
    assert response.status_code == 201, response.content
    body = response.json()
    request = Request.objects.get(reference=body["reference"])
    assert request.channel == Channel.PARTNER
    assert request.referring_organisation == client.organisation
    assert request.asker_organisation == "Northside Housing Association"
    assert request.asker_name == "Jo Bloggs"
    assert request.provisional is not None and request.provisional.family_name == "Shah"
    assert body["status"] == "awaiting_triage"
    [consent] = body["consents"]
    assert consent["state"] == "given" and consent["history"][0]["method"] == "api"
    actors = set(AuditEntry.objects.values_list("actor", flat=True))
    assert "api:Northside Housing Association" in actors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"needs": ["not-a-need"]}, "needs"),
        ({"preferred_contact": "email", "contact_detail": ""}, "contact_detail"),
        (
            {"person": {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"}},
            "person.date_of_birth",
        ),
        (
            {
                "consent": {
                    "categories": ["contact"],
                    "organisations": ["00000000-0000-4000-8000-000000000000"],
                }
            },
            "consent.organisations",
        ),
        ({"consent": {"categories": ["contact"]}}, "consent.recipients"),
    ],
)
def test_a_referral_the_services_refuse_names_the_field_and_saves_nothing(
    changes: dict[str, Any], field: str
) -> None:
    client = partner()
    body = problem(client.post("/requests", referral(**changes)), 400)
    assert field in body["errors"], body
    assert not Request.objects.exists() and not ProvisionalPerson.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"what_matters": "x" * 4001}, "what_matters"),
        ({"needs": []}, "needs"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"person": {"given_name": "", "family_name": "Shah"}}, "person.given_name"),
        (
            {"consent": {"categories": ["medical_history"], "types": ["nhs"]}},
            "consent.categories.0",
        ),
    ],
)
def test_a_referral_outside_the_schema_is_a_422_problem_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    client = partner()
    body = problem(client.post("/requests", referral(**changes)), 422)
    assert field in body["errors"], body
    assert not Request.objects.exists()


def test_a_body_that_is_not_json_is_a_4xx_problem() -> None:
    client = partner()
    response = client.client.post(
        f"{API}/requests", "{not json", content_type="application/json", HTTP_X_API_KEY=client.key
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_an_organisation_sees_only_its_own_referrals() -> None:
    ours, theirs = partner(), partner()
    mine = ours.post("/requests", referral()).json()["reference"]
    other = theirs.post("/requests", referral()).json()["reference"]
    listed = ours.get("/requests").json()
    assert [r["reference"] for r in listed["results"]] == [mine]
    assert ours.get(f"/requests/{mine}").status_code == 200
    not_ours = problem(ours.get(f"/requests/{other}"), 404)
    missing = problem(ours.get("/requests/R-NOSUCH99"), 404)
    assert not_ours == missing, "another organisation's request looks like no request at all"
    refused = AuditEntry.objects.filter(outcome="denied", action="frontdoor.api.request")
    assert refused.count() == 2


def test_a_request_the_front_door_took_is_not_a_partners() -> None:
    client = partner()
    request = take()
    problem(client.get(f"/requests/{request.reference}"), 404)


def test_the_referrer_sees_the_answer_to_a_connection_but_not_the_providers_note() -> None:
    client = partner()
    reference = client.post("/requests", referral()).json()["reference"]
    service = create_service()
    connection = connected(service, request=Request.objects.get(reference=reference))
    provider = Partner(service.organization, api_key(service.organization))
    provider.post(
        f"/connections/{connection.pk}/answer",
        {"status": "declined", "decline_reason": "no_capacity", "note": "Full until March"},
    )
    [sent] = client.get(f"/requests/{reference}").json()["connections"]
    assert sent["status"] == "declined" and sent["decline_reason"] == "no_capacity"
    assert "Full until March" not in json.dumps(sent)


def test_referrals_are_paginated() -> None:
    client = partner()
    for _ in range(3):
        take(referring_organisation=client.organisation)
    body = client.get("/requests", page=1).json()
    assert body["count"] == 3 and body["pages"] == 1 and len(body["results"]) == 3
    assert client.get("/requests", page=2).json()["results"] == []
    assert "page" in problem(client.get("/requests", page=0), 422)["errors"]


@pytest.mark.parametrize("reference", ["R-" + "X" * 30, "R%00X", "../etc", "R X"])
def test_a_reference_that_cannot_be_one_is_refused_without_a_server_error(reference: str) -> None:
    client = partner()
    response = client.get(f"/requests/{reference}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_consent_is_recorded_on_an_organisations_own_referral_only() -> None:
    ours, theirs = partner(), partner()
    reference = ours.post("/requests", referral(consent=None)).json()["reference"]
    consent = {"categories": ["contact"], "types": ["voluntary"], "state": "refused"}
    problem(theirs.post(f"/requests/{reference}/consents", consent), 404)
    response = ours.post(f"/requests/{reference}/consents", consent)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "refused"
    assert ConsentEvent.objects.get().recorded_by == f"api:{ours.organisation.name}"


# --- idempotency -----------------------------------------------------------------------------


def test_a_retried_referral_with_the_same_idempotency_key_is_taken_once() -> None:
    client = partner()
    first = client.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="referral-0001")
    retry = client.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="referral-0001")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Request.objects.count() == 1 and ProvisionalPerson.objects.count() == 1
    assert IdempotentResponse.objects.count() == 1


def test_the_same_idempotency_key_with_a_different_body_is_a_422() -> None:
    client = partner()
    client.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="referral-0002")
    changed = referral(what_matters="Something else entirely.")
    body = problem(client.post("/requests", changed, HTTP_IDEMPOTENCY_KEY="referral-0002"), 422)
    assert "Idempotency-Key" in body["detail"]
    assert Request.objects.count() == 1


def test_idempotency_keys_belong_to_their_organisation() -> None:
    ours, theirs = partner(), partner()
    a = ours.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="same-key")
    b = theirs.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="same-key")
    assert a.status_code == b.status_code == 201
    assert a.json()["reference"] != b.json()["reference"]


def test_a_refused_post_is_not_remembered_so_a_corrected_retry_is_taken() -> None:
    client = partner()
    bad = client.post("/requests", referral(needs=["not-a-need"]), HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    good = client.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def test_an_idempotency_key_that_is_not_visible_ascii_is_a_422() -> None:
    client = partner()
    response = client.post("/requests", referral(), HTTP_IDEMPOTENCY_KEY="x" * 201)
    problem(response, 422)


# --- connections -----------------------------------------------------------------------------


def provider_with_connection(**fields: Any) -> tuple[Partner, Connection]:
    service = create_service()
    connection = connected(service, **fields)
    return Partner(service.organization, api_key(service.organization)), connection


def test_a_provider_sees_only_what_consent_shared_with_it() -> None:
    provider, connection = provider_with_connection(categories=("contact",))
    [listed] = provider.get("/connections").json()["results"]
    assert listed["id"] == connection.pk
    assert set(listed["shared"]) == {"name", "preferred_contact", "contact_detail"}
    assert "what_matters" not in json.dumps(listed)
    assert listed["message"] == connection.message
    shown = AuditEntry.objects.get(action="frontdoor.api.connections")
    assert shown.actor == f"api:{provider.organisation.name}"


def test_a_provider_cannot_see_or_answer_another_organisations_connection() -> None:
    _, connection = provider_with_connection()
    stranger = partner()
    assert stranger.get("/connections").json()["count"] == 0
    problem(stranger.get(f"/connections/{connection.pk}"), 404)
    problem(stranger.post(f"/connections/{connection.pk}/answer", {"status": "accepted"}), 404)
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.SENT


def test_a_provider_accepts_then_completes_a_connection() -> None:
    provider, connection = provider_with_connection()
    accepted = provider.post(f"/connections/{connection.pk}/answer", {"status": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = provider.post(
        f"/connections/{connection.pk}/answer", {"status": "completed", "helped": True}
    )
    assert done.json()["status"] == "completed" and done.json()["helped"] is True
    connection.refresh_from_db()
    assert connection.answered_by is None, "no person answers through the API"
    steps = list(connection.events.values_list("status", "by"))
    assert steps[1:] == [
        ("accepted", f"api:{provider.organisation.name}"),
        ("completed", f"api:{provider.organisation.name}"),
    ]


@pytest.mark.parametrize(
    ("first", "then", "status"),
    [
        (None, {"status": "completed", "helped": True}, 409),
        ({"status": "declined", "decline_reason": "not_eligible"}, {"status": "accepted"}, 409),
        ({"status": "accepted"}, {"status": "accepted"}, 409),
        (None, {"status": "declined"}, 400),
        ({"status": "accepted"}, {"status": "completed"}, 400),
        (None, {"status": "declined", "decline_reason": "bored"}, 422),
        (None, {"status": "withdrawn"}, 422),
    ],
)
def test_an_answer_the_connection_cannot_take_is_refused_and_changes_nothing(
    first: dict[str, Any] | None, then: dict[str, Any], status: int
) -> None:
    provider, connection = provider_with_connection()
    if first:
        assert provider.post(f"/connections/{connection.pk}/answer", first).status_code == 200
    before = Connection.objects.get(pk=connection.pk).status
    problem(provider.post(f"/connections/{connection.pk}/answer", then), status)
    assert Connection.objects.get(pk=connection.pk).status == before


def test_a_retried_answer_is_replayed_not_refused_as_already_answered() -> None:
    provider, connection = provider_with_connection()
    body = {"status": "accepted"}
    first = provider.post(f"/connections/{connection.pk}/answer", body, HTTP_IDEMPOTENCY_KEY="a1")
    retry = provider.post(f"/connections/{connection.pk}/answer", body, HTTP_IDEMPOTENCY_KEY="a1")
    assert first.status_code == retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert connection.events.filter(status="accepted").count() == 1


def test_connections_filter_by_status() -> None:
    provider, _ = provider_with_connection()
    assert provider.get("/connections", status="sent").json()["count"] == 1
    assert provider.get("/connections", status="accepted").json()["count"] == 0
    problem(provider.get("/connections", status="lost"), 422)


# --- triage, for staff -----------------------------------------------------------------------


def test_staff_who_may_see_a_request_read_its_triage_suggestion(sign_in: Any) -> None:
    officer, client = sign_in(Role.FRONT_DOOR_OFFICER)
    request = take(officer=officer)
    response = client.get(f"{API}/requests/{request.reference}/triage")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suggestion"]["rule"] and body["suggestion"]["why"]
    assert body["decision"] is None
    assert AuditEntry.objects.filter(action="frontdoor.api.triage", outcome="allowed").exists()


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.SERVICE_PROVIDER, Role.ANALYST])
def test_roles_without_triage_are_refused_the_suggestion(sign_in: Any, role: Role) -> None:
    _, client = sign_in(role)
    request = take()
    problem(client.get(f"{API}/requests/{request.reference}/triage"), 403)


def test_a_partners_key_does_not_open_triage() -> None:
    client = partner()
    request = take(referring_organisation=client.organisation)
    response = client.get(f"/requests/{request.reference}/triage")
    problem(response, 401)


def test_a_practitioner_outside_the_requests_team_is_refused_its_triage(sign_in: Any) -> None:
    _, client = sign_in(Role.PRACTITIONER)
    request = take(officer=create_user(role=Role.FRONT_DOOR_OFFICER))
    problem(client.get(f"{API}/requests/{request.reference}/triage"), 403)


def test_the_schemas_allow_exactly_the_consent_values_the_services_accept() -> None:
    from typing import get_args

    from upstream.frontdoor import api_schemas, consent

    assert set(get_args(api_schemas.Category)) == set(consent.CATEGORIES)
    assert set(get_args(api_schemas.RecipientType)) == set(consent.RECIPIENT_TYPES)
    assert set(get_args(api_schemas.Purpose)) == set(consent.PURPOSES)
