"""The front-door officer's journey through the pages: find a known person, see what is already
known, take a phone request, triage it (an override needs a reason), record consent, connect
them to a service, raise a safeguarding concern; and the team manager's queues."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import TEAM, page
from tests.frontdoor.conftest import NEED
from upstream.accounts.roles import Role
from upstream.frontdoor.models import (
    Connection,
    Request,
    RequestContact,
    RequestStatus,
    SafeguardingConcern,
)
from upstream.governance.models import Allocation, AuditEntry

pytestmark = pytest.mark.django_db

ASK = {
    "channel": "phone",
    "place": "contact_centre",
    "asked_by": "person",
    "what_matters": "I can't keep up with the rent and the bills since I lost my job.",
    "needs": [NEED],
    "urgency": "soon",
    "preferred_contact": "phone",
    "contact_detail": "07700 900123",
    "language": "English",
}


def _ask(**changes: Any) -> dict[str, Any]:
    return {**ASK, **changes}


def _take(client: Any, person_id: str, **changes: Any) -> Any:
    client.post(f"/front-door/new/{person_id}/start/")
    return client.post(f"/front-door/new/{person_id}/", _ask(**changes))


def test_an_officer_takes_a_request_for_a_known_person_seeing_what_is_known_first(
    family: dict[str, Any], sign_in: Any
) -> None:
    officer, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    refused = client.get(f"/front-door/new/{mother}/")
    assert refused.status_code == 403, "no working relationship before the contact starts"
    assert client.post(f"/front-door/new/{mother}/start/").status_code == 302
    assert Allocation.objects.filter(person_id=mother, worker=officer, basis="request").exists()
    form = client.get(f"/front-door/new/{mother}/")
    assert form.status_code == 200
    assert "What we already know" in form.content.decode()
    response = client.post(f"/front-door/new/{mother}/", _ask())
    assert response.status_code == 302
    request = Request.objects.get(person_id=mother)
    assert (request.channel, request.place, request.recorded_by) == (
        "phone",
        "contact_centre",
        officer,
    )
    assert AuditEntry.objects.filter(action="frontdoor.request.take", person=mother).exists()
    assert AuditEntry.objects.filter(action="frontdoor.story", person=mother).exists()


def test_a_second_request_for_the_same_need_is_joined_and_a_later_one_is_a_repeat(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(client, mother)
    _take(client, mother, channel="face_to_face", place="library")
    assert Request.objects.filter(person_id=mother).count() == 1
    assert RequestContact.objects.filter(request__person_id=mother).count() == 1
    first = Request.objects.get(person_id=mother)
    first.status = RequestStatus.CLOSED
    first.save()
    _take(client, mother)
    latest = Request.objects.filter(person_id=mother).order_by("-received_at").first()
    assert latest is not None and latest.repeat_of == first


def test_a_request_form_with_problems_saves_nothing_and_says_what_is_wrong(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    response = _take(
        client, mother, what_matters="", needs=[], preferred_contact="email", contact_detail=""
    )
    assert response.status_code == 400
    summary = page(response).select(".govuk-error-summary__list a")
    targets = {a["href"] for a in summary}
    assert {"#what_matters", "#needs", "#contact_detail"} <= targets
    assert not Request.objects.exists()


def test_a_request_for_someone_unknown_keeps_the_identity_as_given(sign_in: Any) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    form = {
        **_ask(),
        "given_name": "Jo",
        "family_name": "Bloggs",
        "dob_day": "3",
        "dob_month": "4",
        "dob_year": "1979",
        "postcode": "ab1 2cd",
    }
    assert client.post("/front-door/new-person/", form).status_code == 302
    request = Request.objects.get()
    assert request.person_id == ""
    assert request.provisional is not None
    assert (request.provisional.family_name, request.provisional.postcode) == ("Bloggs", "AB1 2CD")
    bad = client.post("/front-door/new-person/", {**form, "dob_month": "13", "given_name": ""})
    assert bad.status_code == 400
    assert Request.objects.count() == 1


def test_triage_follows_the_suggestion_or_needs_a_reason_to_differ(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(client, mother)
    request = Request.objects.get()
    shown = client.get(f"/front-door/requests/{request.reference}/")
    assert shown.status_code == 200
    request.refresh_from_db()
    assert request.suggested_rule, "the suggestion is kept as shown"
    other = "targeted" if request.suggested_route != "targeted" else "universal"
    team = "Early help — North" if other == "targeted" else ""
    refused = client.post(
        f"/front-door/requests/{request.reference}/triage/", {"route": other, "team": team}
    )
    assert refused.status_code == 400
    assert "Say why you chose differently" in refused.content.decode()
    done = client.post(
        f"/front-door/requests/{request.reference}/triage/",
        {"route": other, "team": team, "override_reason": "She asked for a key worker."},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.route == other and request.overridden
    assert request.override_reason == "She asked for a key worker."


def test_consent_refused_means_nothing_is_shared_and_the_page_says_why(
    family: dict[str, Any], sign_in: Any, service: Any
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(client, mother)
    ref = Request.objects.get().reference
    client.post(
        f"/front-door/requests/{ref}/consent/",
        {
            "purpose": "connect_to_help",
            "categories": ["contact", "needs"],
            "types": ["voluntary"],
            "state": "refused",
            "method": "verbal",
        },
    )
    refused = client.post(
        f"/front-door/requests/{ref}/connect/",
        {"service": str(service.id), "message": "Please call her."},
    )
    assert refused.status_code == 400
    assert "refused consent" in refused.content.decode()
    assert not Connection.objects.exists()


def test_a_connection_shares_only_what_consent_covers(
    family: dict[str, Any], sign_in: Any, service: Any
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(client, mother)
    ref = Request.objects.get().reference
    client.post(
        f"/front-door/requests/{ref}/consent/",
        {
            "purpose": "connect_to_help",
            "categories": ["contact", "needs"],
            "types": ["voluntary"],
            "state": "given",
            "method": "verbal",
        },
    )
    assert (
        client.post(
            f"/front-door/requests/{ref}/connect/",
            {"service": str(service.id), "message": "Please call her this week."},
        ).status_code
        == 302
    )
    connection = Connection.objects.get()
    assert set(connection.shared) == {"name", "preferred_contact", "contact_detail", "needs"}
    assert "what_matters" not in connection.shared
    assert connection.answer_due > connection.sent_at


def test_a_safeguarding_concern_reaches_the_team_managers_queue_at_once(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(officer, mother)
    ref = Request.objects.get().reference
    assert (
        officer.post(f"/front-door/requests/{ref}/safeguarding/", {"team": "adults"}).status_code
        == 400
    )
    raised = officer.post(
        f"/front-door/requests/{ref}/safeguarding/",
        {"team": "adults", "concern": "She said her partner takes her money and hits her."},
    )
    assert raised.status_code == 302
    concern = SafeguardingConcern.objects.get()
    assert concern.due_at > concern.raised_at
    _, manager = sign_in(Role.TEAM_MANAGER)
    queue = manager.get("/front-door/safeguarding/")
    assert ref in queue.content.decode()
    assert officer.get("/front-door/safeguarding/").status_code == 403
    no_msp = manager.post(
        f"/front-door/safeguarding/{concern.pk}/",
        {"decision": "section_42_enquiry", "decision_reason": "Risk of harm."},
    )
    assert no_msp.status_code == 400, "adults: Making Safeguarding Personal outcomes are required"
    decided = manager.post(
        f"/front-door/safeguarding/{concern.pk}/",
        {
            "decision": "section_42_enquiry",
            "decision_reason": "Risk of harm.",
            "outcomes_wanted": "To feel safe at home.",
            "outcomes_met": "partly",
        },
    )
    assert decided.status_code == 302
    assert AuditEntry.objects.filter(action="frontdoor.safeguarding.decide").exists()


def test_a_targeted_request_goes_onto_the_team_waiting_list(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(officer, mother)
    request = Request.objects.get()
    officer.get(f"/front-door/requests/{request.reference}/")
    request.refresh_from_db()
    reason = "" if (request.suggested_route, request.suggested_team) == ("targeted", TEAM) else "x"
    officer.post(
        f"/front-door/requests/{request.reference}/triage/",
        {"route": "targeted", "team": TEAM, "override_reason": reason},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING_LIST
    assert Allocation.objects.filter(person_id=mother, team=TEAM, ended_at__isnull=True).exists()
    _, manager = sign_in(Role.TEAM_MANAGER)
    listing = manager.get("/front-door/waiting-list/")
    assert request.reference in listing.content.decode()
    download = manager.get("/front-door/waiting-list/?format=csv")
    assert request.reference in download.content.decode()


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.CITIZEN, "/front-door/", 403),
        (Role.ANALYST, "/front-door/", 403),
        (Role.PRACTITIONER, "/front-door/", 403),
        (Role.FRONT_DOOR_OFFICER, "/front-door/", 200),
        (Role.TEAM_MANAGER, "/front-door/", 200),
        (Role.COMMISSIONER, "/front-door/new/", 403),
        (Role.SERVICE_PROVIDER, "/front-door/new/", 403),
        (Role.PRACTITIONER, "/front-door/new/", 200),
        (Role.FRONT_DOOR_OFFICER, "/front-door/waiting-list/", 403),
        (Role.FRONT_DOOR_OFFICER, "/front-door/safeguarding/", 403),
        (Role.PARTNER_PROFESSIONAL, "/front-door/safeguarding/", 403),
        (Role.CITIZEN, "/front-door/unanswered/", 403),
        (Role.PRACTITIONER, "/front-door/unanswered/", 200),
    ],
)
def test_each_role_reaches_only_the_front_door_pages_its_work_needs(
    sign_in: Any, role: Role, url: str, status: int
) -> None:
    _, client = sign_in(role)
    assert client.get(url).status_code == status


def test_someone_elses_request_is_refused_and_the_refusal_audited(
    family: dict[str, Any], sign_in: Any
) -> None:
    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    _take(officer, family["mother"].person_id)
    ref = Request.objects.get().reference
    _, practitioner = sign_in(Role.PRACTITIONER, team="Another team")
    assert practitioner.get(f"/front-door/requests/{ref}/").status_code == 403
    assert AuditEntry.objects.filter(action="frontdoor.request.view", outcome="denied").exists()


def test_the_measures_count_channels_repeats_overrides_and_answers(
    family: dict[str, Any], sign_in: Any, service: Any
) -> None:
    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    _take(officer, mother)
    first = Request.objects.get()
    officer.get(f"/front-door/requests/{first.reference}/")
    first.refresh_from_db()
    other = "targeted" if first.suggested_route != "targeted" else "universal"
    officer.post(
        f"/front-door/requests/{first.reference}/triage/",
        {"route": other, "team": TEAM if other == "targeted" else "", "override_reason": "x"},
    )
    first.refresh_from_db()
    first.status = RequestStatus.CLOSED
    first.save()
    _take(officer, mother, channel="face_to_face", place="library")
    _, manager = sign_in(Role.TEAM_MANAGER)
    response = manager.get("/front-door/measures/?format=json")
    rows = {(r["measure"], r["group"]): r for r in response.json()}
    assert rows[("requests", "all")]["value"] == 2
    assert rows[("repeat within 12 months", "")]["value"] == 1
    assert rows[("triage overridden", "")]["percent"] == 100.0
    assert rows[("channel", "Phone")]["value"] == 1
    assert rows[("channel", "Face to face")]["value"] == 1
    assert manager.get("/front-door/measures/").status_code == 200
    _, citizen = sign_in(Role.CITIZEN)
    assert citizen.get("/front-door/measures/").status_code == 403


def test_a_person_leaves_the_waiting_list_once_the_team_allocates_a_key_worker(
    family: dict[str, Any], sign_in: Any
) -> None:
    from tests.casework.factories import allocate

    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"]
    _take(officer, mother.person_id)
    request = Request.objects.get()
    officer.get(f"/front-door/requests/{request.reference}/")
    officer.post(
        f"/front-door/requests/{request.reference}/triage/",
        {"route": "targeted", "team": TEAM, "override_reason": "Needs a key worker."},
    )
    manager, client = sign_in(Role.TEAM_MANAGER)
    assert request.reference in client.get("/front-door/waiting-list/").content.decode()
    allocate(person=mother, team=TEAM, worker=manager)
    assert request.reference not in client.get("/front-door/waiting-list/").content.decode()


@pytest.mark.parametrize(
    ("field", "limit"),
    [("language", 60), ("asker_relationship", 100), ("contact_detail", 200)],
)
def test_a_field_longer_than_its_column_is_refused_with_a_message_not_a_database_error(
    family: dict[str, Any], sign_in: Any, field: str, limit: int
) -> None:
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    response = _take(client, family["mother"].person_id, **{field: "x" * (limit + 1)})
    assert response.status_code == 400
    assert f"Must be {limit} characters or fewer" in response.content.decode()
    assert not Request.objects.exists()


def test_a_connection_is_late_when_its_first_answer_comes_after_five_working_days(
    family: dict[str, Any], sign_in: Any, service: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from upstream.frontdoor import measures
    from upstream.frontdoor.models import ConnectionEvent

    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    _take(officer, family["mother"].person_id)
    ref = Request.objects.get().reference
    consent = {"purpose": "connect_to_help", "categories": ["contact"], "types": ["voluntary"]}
    officer.post(
        f"/front-door/requests/{ref}/consent/", {**consent, "state": "given", "method": "verbal"}
    )
    message = {"service": str(service.id), "message": "Please call."}
    officer.post(f"/front-door/requests/{ref}/connect/", message)
    officer.post(f"/front-door/requests/{ref}/connect/", message)
    on_time, late = Connection.objects.order_by("pk")
    now = timezone.now()
    Connection.objects.filter(pk__in=[on_time.pk, late.pk]).update(
        sent_at=now - timedelta(days=21), answer_due=now - timedelta(days=14)
    )
    ConnectionEvent.objects.create(
        connection=on_time, status="accepted", at=now - timedelta(days=20), by="p"
    )
    ConnectionEvent.objects.create(
        connection=late, status="accepted", at=now - timedelta(days=2), by="p"
    )
    ConnectionEvent.objects.create(connection=on_time, status="completed", at=now, by="p")
    found = measures.measure()
    assert (found.unanswered_late.count, found.connections) == (1, 2)


def test_expiring_consents_adds_an_event_and_the_command_says_how_many(
    family: dict[str, Any], sign_in: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from typer.testing import CliRunner

    from upstream.cli import app
    from upstream.frontdoor.models import Consent

    _, officer = sign_in(Role.FRONT_DOOR_OFFICER)
    _take(officer, family["mother"].person_id)
    ref = Request.objects.get().reference
    consent = {"purpose": "connect_to_help", "categories": ["contact"], "types": ["voluntary"]}
    officer.post(
        f"/front-door/requests/{ref}/consent/", {**consent, "state": "given", "method": "verbal"}
    )
    Consent.objects.update(expires_at=timezone.now() - timedelta(days=1))
    result = CliRunner().invoke(app, ["frontdoor", "expire-consents"])
    assert result.exit_code == 0, result.output
    assert "Expired 1 consent" in result.output
    found = Consent.objects.get()
    assert found.state == "expired"
    assert [e.state for e in found.events.all()] == ["given", "expired"]
    viewed = AuditEntry.objects.filter(action="frontdoor.request.view").first()
    assert viewed is not None and viewed.purpose == "triage"
