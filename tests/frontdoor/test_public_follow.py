"""Citizens follow their own requests: the ones made while signed in, and ones they claim with
the reference and the date of birth given; what the services answered, in plain words, and
nothing the council keeps for itself."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.casework.conftest import page
from tests.frontdoor.public_helpers import BORN, answer, citizen_form, connect, take
from upstream.accounts.roles import Role
from upstream.frontdoor.claims import MAX_FAILED_CLAIMS, NO_MATCH, TOO_MANY
from upstream.frontdoor.models import Request
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def claim_form(reference: str, born: date = BORN) -> dict[str, str]:
    return {
        "reference": reference,
        "dob_day": str(born.day),
        "dob_month": str(born.month),
        "dob_year": str(born.year),
    }


def test_a_citizen_sees_only_their_own_requests(sign_in: Any) -> None:
    citizen, client = sign_in(Role.CITIZEN)
    other, _ = sign_in(Role.CITIZEN)
    mine = take(citizen=citizen)
    theirs = take(citizen=other, given_name="Someone", family_name="Else")
    anonymous = take()
    response = client.get("/my-requests/")
    assert response.status_code == 200
    shown = page(response).text
    assert mine.reference in shown
    assert theirs.reference not in shown and anonymous.reference not in shown
    entry = AuditEntry.objects.get(actor=citizen.username, action="frontdoor.my-requests")
    assert entry.detail["requests"] == [mine.reference]


def test_a_citizen_with_no_requests_is_offered_to_ask_and_to_claim_one(sign_in: Any) -> None:
    _, client = sign_in(Role.CITIZEN)
    shown = page(client.get("/my-requests/"))
    assert "no requests for help on your account" in shown.text
    assert shown.find("a", string="Ask for help")["href"] == "/ask/"
    assert shown.select_one("form[action='/my-requests/claim/'] #reference") is not None


def test_a_request_made_before_signing_in_is_claimed_with_its_reference_and_date_of_birth(
    client: Client, sign_in: Any
) -> None:
    client.post("/ask/", citizen_form())
    request = Request.objects.get()
    citizen, signed_in = sign_in(Role.CITIZEN)
    typed = request.reference.lower().replace("-", " ")  # as someone might type it
    response = signed_in.post("/my-requests/claim/", claim_form(typed))
    assert response.status_code == 302
    assert response["Location"] == f"/my-requests/{request.reference}/"
    request.refresh_from_db()
    assert request.citizen == citizen
    claimed = AuditEntry.objects.get(actor=citizen.username, action="frontdoor.request.claim")
    assert claimed.outcome == "allowed" and claimed.detail == {"request": request.reference}
    assert request.reference in page(signed_in.get("/my-requests/")).text


@pytest.mark.parametrize(
    "wrong",
    ["date of birth", "reference", "someone else's", "not a reference"],
)
def test_a_wrong_claim_gets_one_message_that_reveals_nothing_and_claims_nothing(
    sign_in: Any, wrong: str
) -> None:
    other, _ = sign_in(Role.CITIZEN)
    request = take(given_name="Zainab", family_name="Hussain")
    taken_by_other = take(citizen=other, given_name="Zainab", family_name="Hussain")
    citizen, client = sign_in(Role.CITIZEN)
    form = {
        "date of birth": claim_form(request.reference, date(1990, 1, 1)),
        "reference": claim_form("R-ZZZZZZZZ"),
        "someone else's": claim_form(taken_by_other.reference),
        "not a reference": claim_form("' OR 1=1 --"),
    }[wrong]
    response = client.post("/my-requests/claim/", form)
    assert response.status_code == 400
    shown = page(response)
    assert shown.select_one(".govuk-error-summary a[href='#reference']").text == NO_MATCH
    assert "Zainab" not in shown.text and "Hussain" not in shown.text
    assert not Request.objects.filter(citizen=citizen).exists()
    taken_by_other.refresh_from_db()
    assert taken_by_other.citizen == other
    refused = AuditEntry.objects.get(actor=citizen.username, action="frontdoor.request.claim")
    assert refused.outcome == "denied" and refused.person == "" and refused.detail == {}


def test_after_five_failed_claims_in_an_hour_even_a_right_one_must_wait(sign_in: Any) -> None:
    request = take()
    _, client = sign_in(Role.CITIZEN)
    for _ in range(MAX_FAILED_CLAIMS):
        client.post("/my-requests/claim/", claim_form(request.reference, date(1970, 1, 1)))
    response = client.post("/my-requests/claim/", claim_form(request.reference))
    assert response.status_code == 400
    assert TOO_MANY in page(response).text
    request.refresh_from_db()
    assert request.citizen is None
    _, other_client = sign_in(Role.CITIZEN)
    assert (
        other_client.post("/my-requests/claim/", claim_form(request.reference)).status_code == 302
    )


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({**claim_form("x"), "reference": ""}, "reference", "Enter the reference you were given"),
        ({**claim_form("R-AAAAAAAA"), "dob_day": ""}, "dob_day", "must include a day"),
        ({**claim_form("R-AAAAAAAA"), "dob_month": "13"}, "dob_day", "must be a real date"),
    ],
)
def test_a_claim_form_that_cannot_be_used_says_why_beside_the_field(
    sign_in: Any, form: dict[str, str], field: str, message: str
) -> None:
    citizen, client = sign_in(Role.CITIZEN)
    response = client.post("/my-requests/claim/", form)
    assert response.status_code == 400
    link = page(response).select_one(f".govuk-error-summary a[href='#{field}']")
    assert link is not None and message in link.text
    assert not AuditEntry.objects.filter(actor=citizen.username, action="frontdoor.request.claim")


def test_a_request_shows_where_it_is_and_each_services_answer_in_plain_words(
    sign_in: Any, service: Any
) -> None:
    from upstream.directory.models import Service

    citizen, client = sign_in(Role.CITIZEN)
    request = take(citizen=citizen)
    accepted = connect(request, service)
    other = Service.objects.create(
        organization=service.organization,
        name="Tenancy support",
        description="Help to keep your home.",
        status="active",
    )
    declined = connect(request, other, consent=False)
    answer(accepted, "accepted", note="Internal: checked eligibility with the manager")
    answer(declined, "declined", decline_reason="no_capacity")
    request.override_reason = "Internal: overrode the rule because of the police flag"
    request.status = "connected"
    request.save()
    response = client.get(f"/my-requests/{request.reference}/")
    assert response.status_code == 200
    shown = page(response)
    assert shown.select_one("#status").text == "Put in touch with help"
    answers = shown.select_one("#answers").text
    assert "Debt advice drop-in" in answers and "Accepted" in answers
    assert "They have agreed to help and will contact you." in answers
    assert "Tenancy support" in answers
    assert "They could not help: they have no space at the moment." in answers
    assert "Internal" not in shown.text, "never notes or override reasons"
    seen = AuditEntry.objects.get(actor=citizen.username, action="frontdoor.request.view")
    assert seen.outcome == "allowed" and seen.detail == {"request": request.reference}


def test_someone_elses_request_is_answered_as_one_that_does_not_exist_and_audited(
    sign_in: Any,
) -> None:
    other, _ = sign_in(Role.CITIZEN)
    theirs = take(citizen=other, given_name="Zainab")
    citizen, client = sign_in(Role.CITIZEN)
    response = client.get(f"/my-requests/{theirs.reference}/")
    missing = client.get("/my-requests/R-ZZZZZZZZ/")
    assert response.status_code == missing.status_code == 404
    assert page(response).select_one("main").text == page(missing).select_one("main").text
    assert "Zainab" not in page(response).text
    refused = AuditEntry.objects.get(actor=citizen.username, action="frontdoor.request.view")
    assert refused.outcome == "denied" and refused.detail == {"request": theirs.reference}
