"""A partner professional refers someone who agreed, and follows their organisation's referrals
(and only theirs): sortable, paged, downloadable; what the services answered."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.casework.conftest import page
from tests.frontdoor.public_helpers import (
    answer,
    connect,
    create_organisation,
    partner_professional,
    referral_form,
    take,
)
from upstream.frontdoor.models import Consent, ProvisionalPerson, Request
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(db: Any) -> Any:
    return create_organisation("Riverside Family Hub")


def test_the_referral_form_knows_who_is_referring_and_from_where(hub: Any) -> None:
    _, client = partner_professional(hub)
    shown = page(client.get("/refer/"))
    assert shown.select_one("h1").text == "Refer someone for help"
    assert shown.select_one("#asker_name")["value"] == "Hannah Reid"
    assert "Riverside Family Hub" in shown.select_one("dl").text


def test_a_referral_is_a_partner_request_from_their_organisation_with_written_consent(
    hub: Any,
) -> None:
    user, client = partner_professional(hub)
    response = client.post("/refer/", referral_form())
    request = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{request.reference}/?sent=1"
    assert (request.channel, request.place, request.asked_by) == (
        "partner",
        "partner_office",
        "professional",
    )
    assert (request.asker_name, request.asker_relationship, request.asker_organisation) == (
        "Hannah Reid",
        "Health visitor",
        "Riverside Family Hub",
    )
    assert request.referring_organisation == hub and request.recorded_by == user
    assert request.provisional.family_name == "Okafor"
    consent = Consent.objects.get(request=request)
    assert consent.state == "given" and consent.events.get().method == "written"
    assert consent.events.get().recorded_by == user.username
    actions = AuditEntry.objects.filter(actor=user.username).values_list("action", flat=True)
    assert {"frontdoor.request.take", "frontdoor.consent"} <= set(actions)


def test_after_sending_the_referral_page_confirms_it_with_its_reference(hub: Any) -> None:
    _, client = partner_professional(hub)
    shown = page(client.post("/refer/", referral_form(consent_method="verbal"), follow=True))
    reference = Request.objects.get().reference
    banner = shown.select_one(".govuk-notification-banner--success")
    assert banner is not None and reference in banner.text
    assert Consent.objects.get().events.get().method == "verbal"


def test_the_organisation_is_always_the_professionals_own_whatever_is_posted(hub: Any) -> None:
    other = create_organisation("Somewhere Else")
    _, client = partner_professional(hub)
    client.post(
        "/refer/",
        referral_form(asker_organisation="Somewhere Else", referring_organisation=other.pk),
    )
    request = Request.objects.get()
    assert request.referring_organisation == hub
    assert request.asker_organisation == "Riverside Family Hub"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"asker_name": ""}, "asker_name", "Enter your name"),
        ({"asker_relationship": "x" * 101}, "asker_relationship", "100 characters or fewer"),
        ({"agreed": None}, "agreed", "Confirm the person has agreed"),
        ({"consent_method": None}, "consent_method", "Select how the person agreed"),
        ({"consent_method": "web_form"}, "consent_method", "Select how the person agreed"),
        ({"given_name": ""}, "given_name", "Enter a first name"),
        ({"dob_year": ""}, "dob_year", "Date of birth must include a year"),
        ({"needs": None}, "needs", "Select at least one kind of help"),
    ],
)
def test_each_answer_that_cannot_be_used_is_shown_and_nothing_is_saved(
    hub: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    _, client = partner_professional(hub)
    response = client.post("/refer/", referral_form(**changes))
    assert response.status_code == 400
    link = page(response).select_one(f".govuk-error-summary a[href='#{field}']")
    assert link is not None and message in link.text
    assert not (Request.objects.exists() or ProvisionalPerson.objects.exists())
    assert not Consent.objects.exists()


def test_a_partner_sees_only_their_organisations_referrals(hub: Any) -> None:
    colleague, _ = partner_professional(hub)
    user, client = partner_professional(hub)
    other = create_organisation("Northside Surgery")
    ours = take(organisation=hub, by=colleague, given_name="Amina")
    theirs = take(organisation=other, given_name="Zainab")
    web = take(given_name="Webster")
    shown = page(client.get("/referrals/")).select_one("table").text
    assert ours.reference in shown and "Amina Okafor" in shown
    assert theirs.reference not in shown and web.reference not in shown
    entry = AuditEntry.objects.get(actor=user.username, action="frontdoor.referrals")
    assert entry.detail == {"format": "page", "requests": [ours.reference]}


def test_the_referrals_list_is_newest_first_sortable_by_name_and_paged(hub: Any) -> None:
    user, client = partner_professional(hub)
    for number in range(30):
        take(organisation=hub, by=user, family_name=f"Person{number:02d}")
    newest = page(client.get("/referrals/"))
    names = [row.select("td")[1].text for row in newest.select("tbody tr")]
    assert len(names) == 25 and names[0] == "Amina Person29"
    assert newest.select_one("th[aria-sort=descending]").text.strip() == "Referred"
    by_name = page(client.get("/referrals/?sort=name&order=asc&page=2"))
    names = [row.select("td")[1].text for row in by_name.select("tbody tr")]
    assert names == [f"Amina Person{n:02d}" for n in range(25, 30)]
    assert by_name.select_one("th[aria-sort=ascending]").text.strip() == "Name"
    assert by_name.select_one("a[rel=prev]") is not None


def test_the_downloads_hold_every_referral_and_no_internal_ids(hub: Any, service: Any) -> None:
    user, client = partner_professional(hub)
    for number in range(30):
        take(organisation=hub, by=user, family_name=f"Person{number:02d}")
    request = Request.objects.get(provisional__family_name="Person00")
    answer(connect(request, service), "accepted")
    response = client.get("/referrals/?format=csv&sort=name&order=asc")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 30 and rows[0]["name"] == "Amina Person00"
    assert list(rows[0]) == ["reference", "name", "received", "status", "needs", "answers"]
    assert rows[0]["answers"] == "Accepted"
    data = json.loads(client.get("/referrals/?format=json").content)
    assert data["table"] == "referrals" and len(data["rows"]) == 30
    assert "person_id" not in response.content.decode() and "link" not in data["rows"][0]
    entry = AuditEntry.objects.filter(actor=user.username, action="frontdoor.referrals").first()
    assert entry is not None and entry.detail["format"] == "json"
    assert len(entry.detail["requests"]) == 30


def test_a_referral_shows_where_it_is_and_the_services_answers(hub: Any, service: Any) -> None:
    user, client = partner_professional(hub)
    request = take(organisation=hub, by=user)
    answer(connect(request, service), "declined", decline_reason="not_eligible", note="Internal")
    shown = page(client.get(f"/referrals/{request.reference}/"))
    assert shown.select_one("h1").text == f"Referral {request.reference}"
    answers = shown.select_one("#answers").text
    assert "Debt advice drop-in" in answers
    assert "They could not help: the person is not eligible." in answers
    assert "Internal" not in shown.text
    seen = AuditEntry.objects.get(actor=user.username, action="frontdoor.referral.view")
    assert seen.outcome == "allowed"


def test_another_organisations_referral_is_answered_as_not_found_and_audited(hub: Any) -> None:
    other = create_organisation("Northside Surgery")
    theirs = take(organisation=other, given_name="Zainab")
    user, client = partner_professional(hub)
    response = client.get(f"/referrals/{theirs.reference}/")
    assert response.status_code == 404
    assert "Zainab" not in page(response).text
    refused = AuditEntry.objects.get(actor=user.username, action="frontdoor.referral.view")
    assert refused.outcome == "denied"


def test_a_partner_not_yet_tied_to_an_organisation_is_told_to_ask_their_administrator(
    sign_in: Any,
) -> None:
    from upstream.accounts.roles import Role

    _, client = sign_in(Role.PARTNER_PROFESSIONAL)
    for address in ("/refer/", "/referrals/"):
        response = client.get(address)
        assert response.status_code == 403
        assert "not linked to an organisation" in page(response).text
