"""A service provider's pages: their organisation's incoming connections (sortable, paged,
filtered, CSV/JSON) and answering one (accept; decline with a reason; complete, helped or not),
showing only what consent shared; every other role and organisation refused; all audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.casework.conftest import client_for, page
from tests.factories import create_user
from tests.frontdoor.provider_factories import (
    connected,
    create_organisation,
    create_provider,
    create_service,
)
from upstream.accounts.roles import Role
from upstream.frontdoor.models import Connection, ConnectionStatus
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def service() -> Any:  # the conftest's, with its own organisation per test
    return create_service(name="Money advice drop-in")


def provider_client(service: Any) -> Any:
    return client_for(create_provider(service.organization))


def incoming(client: Any, **params: Any) -> Any:
    return client.get("/incoming/", params)


# --- the incoming list -----------------------------------------------------------------------


def test_a_provider_sees_its_organisations_connections_and_no_one_elses(service: Any) -> None:
    ours = connected(service, given_name="Priya", family_name="Shah")
    theirs = connected(create_service(), given_name="Tom", family_name="Hardy")
    response = incoming(provider_client(service))
    assert response.status_code == 200
    shown = page(response)
    assert shown.select_one("h1").get_text(strip=True) == "Incoming connections"
    names = [a.get_text(strip=True) for a in shown.select("tbody a")]
    assert names == ["Priya Shah"]
    assert f"/incoming/{ours.pk}/" in str(shown.select_one("tbody"))
    assert "Tom Hardy" not in response.content.decode()
    assert theirs.pk != ours.pk
    entry = AuditEntry.objects.get(action="frontdoor.incoming")
    assert entry.detail["organisation"] == str(service.organization_id)


def test_a_name_consent_did_not_cover_is_not_shown(service: Any) -> None:
    connected(service, categories=("needs",), given_name="Priya", family_name="Shah")
    response = incoming(provider_client(service))
    assert "Priya" not in response.content.decode()
    assert "Name not shared" in response.content.decode()


def test_the_answer_due_column_counts_working_days_and_says_when_overdue(service: Any) -> None:
    late = connected(service)
    Connection.objects.filter(pk=late.pk).update(answer_due=timezone.now() - timedelta(days=8))
    connected(service)
    cells = [
        td.get_text(strip=True) for td in page(incoming(provider_client(service))).select("td")
    ]
    assert any(c.startswith("Overdue by") for c in cells)
    assert any(c.endswith("working days left") for c in cells)


def test_the_list_filters_by_status_and_refuses_a_status_that_is_not_one(service: Any) -> None:
    accepted = connected(service, given_name="Ana", family_name="Accepted")
    Connection.objects.filter(pk=accepted.pk).update(status=ConnectionStatus.ACCEPTED)
    connected(service, given_name="Sid", family_name="Sent")
    client = provider_client(service)
    body = incoming(client, status="accepted").content.decode()
    assert "Ana Accepted" in body and "Sid Sent" not in body
    refused = incoming(client, status="lost")
    assert refused.status_code == 400
    assert page(refused).select_one(".govuk-error-summary a")["href"] == "#status"


def test_the_list_sorts_by_a_column_and_says_so(service: Any) -> None:
    connected(service, given_name="Bea", family_name="First")
    connected(create_service(organisation=service.organization, name="Zebra crossing club"))
    client = provider_client(service)
    shown = page(incoming(client, sort="service", order="desc"))
    sorted_header = shown.select_one("th[aria-sort=descending]")
    assert sorted_header is not None and sorted_header.get_text(strip=True) == "Service"
    services = [tr.select("td")[2].get_text(strip=True) for tr in shown.select("tbody tr")]
    assert services == sorted(services, reverse=True)


def test_the_list_is_paged(service: Any) -> None:
    for _ in range(26):
        connected(service)
    client = provider_client(service)
    first = page(incoming(client))
    assert len(first.select("tbody tr")) == 25
    assert first.select_one(".govuk-pagination__next a") is not None
    assert len(page(incoming(client, page=2)).select("tbody tr")) == 1


def test_the_list_downloads_as_csv_and_json(service: Any) -> None:
    connected(service, given_name="Priya", family_name="Shah")
    client = provider_client(service)
    as_csv = incoming(client, format="csv")
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert rows[0]["person"] == "Priya Shah" and rows[0]["status"].startswith("Sent")
    as_json = incoming(client, format="json").json()
    assert as_json["table"] == "incoming-connections"
    assert as_json["rows"][0]["service"] == "Money advice drop-in"


@pytest.mark.parametrize(
    "role",
    [
        Role.CITIZEN,
        Role.FRONT_DOOR_OFFICER,
        Role.PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.PARTNER_PROFESSIONAL,
        Role.ANALYST,
        Role.DATA_PROTECTION_OFFICER,
        Role.ADMINISTRATOR,
    ],
)
def test_roles_other_than_service_provider_are_refused_the_provider_pages(
    service: Any, role: Role
) -> None:
    connection = connected(service)
    client = client_for(create_user(role=role, team="Early help — North"))
    assert incoming(client).status_code == 403
    assert client.get(f"/incoming/{connection.pk}/").status_code == 403
    posted = client.post(f"/incoming/{connection.pk}/", {"action": "accept"})
    assert posted.status_code == 403
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.SENT
    assert AuditEntry.objects.filter(outcome="denied").count() == 3


def test_a_provider_not_linked_to_an_organisation_is_told_why(service: Any) -> None:
    client = client_for(create_user(role=Role.SERVICE_PROVIDER))
    response = incoming(client)
    assert response.status_code == 403
    assert "not linked to an organisation" in response.content.decode()


def test_signing_in_comes_first() -> None:
    from django.test import Client

    response = Client().get("/incoming/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_navigation_offers_providers_their_incoming_connections(service: Any) -> None:
    shown = page(provider_client(service).get("/home/"))
    links = {a.get_text(strip=True): a["href"] for a in shown.select(".govuk-service-navigation a")}
    assert links.get("Incoming connections") == "/incoming/"


# --- one connection --------------------------------------------------------------------------


def test_a_connection_shows_only_what_consent_shared_and_the_message(service: Any) -> None:
    connection = connected(
        service,
        categories=("contact",),
        message="Priya would like help with rent arrears.",
        given_name="Priya",
        family_name="Shah",
    )
    response = provider_client(service).get(f"/incoming/{connection.pk}/")
    assert response.status_code == 200
    shown = page(response)
    assert "Priya Shah" in shown.select_one("h1").get_text()
    body = response.content.decode()
    assert "Priya would like help with rent arrears." in body
    assert "07700 900123" in body, "contact was shared"
    assert "since I lost my job" not in body, "what matters was not shared"
    assert "1990" not in body, "the date of birth was not shared"
    entry = AuditEntry.objects.get(action="frontdoor.connection.view")
    assert entry.detail["connection"] == connection.pk


def test_another_organisations_provider_is_refused_a_connection(service: Any) -> None:
    connection = connected(service)
    stranger = client_for(create_provider(create_organisation()))
    assert stranger.get(f"/incoming/{connection.pk}/").status_code == 403
    assert stranger.post(f"/incoming/{connection.pk}/", {"action": "accept"}).status_code == 403
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.SENT


def test_a_connection_that_does_not_exist_is_a_404(service: Any) -> None:
    assert provider_client(service).get("/incoming/999999/").status_code == 404


def test_a_connection_page_has_a_json_twin(service: Any) -> None:
    connection = connected(service, categories=("needs",))
    twin = provider_client(service).get(f"/incoming/{connection.pk}/", {"format": "json"})
    assert twin.json()["shared"] == {"needs": connection.shared["needs"]}


def test_a_provider_accepts_then_completes_and_sees_a_banner_each_time(service: Any) -> None:
    connection = connected(service)
    client = provider_client(service)
    url = f"/incoming/{connection.pk}/"
    accepted = client.post(url, {"action": "accept"}, follow=True)
    assert (
        "You accepted this connection."
        in page(accepted).select_one(".govuk-notification-banner").get_text()
    )
    assert [h.get_text() for h in page(accepted).select("h2.govuk-heading-m")][-2:] == [
        "Complete",
        "Decline",
    ]
    completed = client.post(url, {"action": "complete", "helped": "yes"}, follow=True)
    assert "completed" in page(completed).select_one(".govuk-notification-banner").get_text()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.COMPLETED and connection.helped is True
    assert not page(completed).select("main form[method=post] button")
    assert AuditEntry.objects.filter(action="frontdoor.connection.answer").count() >= 2


def test_a_decline_needs_a_reason_and_saves_nothing_without_one(service: Any) -> None:
    connection = connected(service)
    client = provider_client(service)
    refused = client.post(
        f"/incoming/{connection.pk}/", {"action": "decline", "decline_note": "Full"}
    )
    assert refused.status_code == 400
    summary = page(refused).select_one(".govuk-error-summary")
    assert summary.select_one("a")["href"] == "#decline_reason"
    assert page(refused).select_one("#decline_note").get_text() == "Full", "what was typed stays"
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.SENT
    declined = client.post(
        f"/incoming/{connection.pk}/", {"action": "decline", "decline_reason": "no_capacity"}
    )
    assert declined.status_code == 302
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.DECLINED
    assert connection.decline_reason == "no_capacity"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"action": "complete"}, "answer"),  # a sent connection cannot be completed
        ({"action": "launch"}, "answer"),
        ({}, "answer"),
        ({"action": "accept", "accept_note": "x" * 4001}, "accept_note"),
    ],
)
def test_an_answer_the_connection_cannot_take_is_shown_as_an_error(
    service: Any, form: dict[str, str], field: str
) -> None:
    connection = connected(service)
    response = provider_client(service).post(f"/incoming/{connection.pk}/", form)
    assert response.status_code == 400
    assert page(response).select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.SENT


def test_completing_needs_to_say_whether_the_person_was_helped(service: Any) -> None:
    connection = connected(service)
    client = provider_client(service)
    client.post(f"/incoming/{connection.pk}/", {"action": "accept"})
    response = client.post(f"/incoming/{connection.pk}/", {"action": "complete"})
    assert response.status_code == 400
    assert page(response).select_one(".govuk-error-summary a")["href"] == "#helped"


def test_an_answered_connection_offers_no_more_answers(service: Any) -> None:
    connection = connected(service)
    client = provider_client(service)
    client.post(
        f"/incoming/{connection.pk}/", {"action": "decline", "decline_reason": "not_eligible"}
    )
    shown = page(client.get(f"/incoming/{connection.pk}/"))
    assert not shown.select("main form[method=post] button")
    assert "Not eligible" in shown.get_text()
    again = client.post(f"/incoming/{connection.pk}/", {"action": "accept"})
    assert again.status_code == 400
    assert "already been answered" in page(again).select_one(".govuk-error-summary").get_text()


def test_the_list_opens_on_what_still_needs_an_answer_and_shows_everything_when_asked(
    service: Any,
) -> None:
    waiting = connected(service, given_name="Priya", family_name="Shah")
    done = connected(service, given_name="Sam", family_name="Done")
    Connection.objects.filter(pk=done.pk).update(status=ConnectionStatus.COMPLETED, helped=True)
    client = provider_client(service)
    first = [a.get_text(strip=True) for a in page(incoming(client)).select("tbody a")]
    assert first == ["Priya Shah"]
    everything = [
        a.get_text(strip=True) for a in page(incoming(client, status="all")).select("tbody a")
    ]
    assert sorted(everything) == ["Priya Shah", "Sam Done"]
    assert waiting.pk != done.pk
    assert incoming(client, status="nonsense").status_code == 400
