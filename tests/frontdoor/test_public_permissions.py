"""Who may open each citizens' and partners' page: every page × every role, and someone not
signed in. Refusals are GOV.UK pages, and refusals of a role are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.casework.conftest import client_for, page
from tests.factories import create_user
from tests.frontdoor.public_helpers import create_organisation, take
from upstream.accounts.roles import Role, navigation_for
from upstream.frontdoor.models import PartnerAccount
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
PAGES = ("/ask/", "/my-requests/", "/refer/", "/referrals/")
# Who may open each page; everyone else signed in is refused (403), and someone not signed in
# is sent to sign in, except on the form anyone may use.
ALLOWED = {
    "/ask/": {ANONYMOUS, Role.CITIZEN},
    "/my-requests/": {Role.CITIZEN},
    "/refer/": {Role.PARTNER_PROFESSIONAL},
    "/referrals/": {Role.PARTNER_PROFESSIONAL},
}
WHO = [ANONYMOUS, *Role]


def signed_in(who: Any) -> tuple[Any, Client]:
    if who == ANONYMOUS:
        return None, Client()
    user = create_user(role=who, team="Early help — North")
    if who in {Role.PARTNER_PROFESSIONAL, Role.SERVICE_PROVIDER}:
        PartnerAccount.objects.create(user=user, organisation=create_organisation())
    return user, client_for(user)


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("who", WHO, ids=str)
def test_each_page_opens_only_for_the_roles_it_is_for(address: str, who: Any) -> None:
    _, client = signed_in(who)
    response = client.get(address)
    if who in ALLOWED[address]:
        assert response.status_code == 200
    elif who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == 403
        assert page(response).select_one("h1").text.startswith("You cannot see this")


@pytest.mark.parametrize("who", [r for r in Role if r != Role.CITIZEN], ids=str)
def test_staff_and_partners_are_pointed_to_their_own_way_in_from_the_citizens_form(
    who: Role,
) -> None:
    _, client = signed_in(who)
    shown = page(client.get("/ask/")).text
    if who == Role.PARTNER_PROFESSIONAL:
        assert "use Refer someone" in shown
    elif who == Role.SERVICE_PROVIDER:
        assert "answer the connections sent to them" in shown
    else:
        assert "This form is for members of the public" in shown


@pytest.mark.parametrize(
    ("address", "action"),
    [
        ("/my-requests/", "frontdoor.my-requests"),
        ("/refer/", "frontdoor.refer"),
        ("/referrals/", "frontdoor.referrals"),
    ],
)
def test_a_role_refused_a_page_is_audited(address: str, action: str) -> None:
    user, client = signed_in(Role.PRACTITIONER)
    client.get(address)
    refused = AuditEntry.objects.get(actor=user.username, action=action)
    assert refused.outcome == "denied"


@pytest.mark.parametrize("who", WHO, ids=str)
def test_a_request_page_opens_only_for_the_citizen_whose_request_it_is(who: Any) -> None:
    user, client = signed_in(who)
    request = take(citizen=user if who == Role.CITIZEN else None)
    response = client.get(f"/my-requests/{request.reference}/")
    if who == Role.CITIZEN:
        assert response.status_code == 200
    elif who == ANONYMOUS:
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", WHO, ids=str)
def test_a_referral_page_opens_only_for_the_referring_organisations_professionals(
    who: Any,
) -> None:
    user, client = signed_in(who)
    partner = getattr(user, "partner", None) if user else None
    organisation = partner.organisation if partner else create_organisation("Another")
    request = take(organisation=organisation)
    response = client.get(f"/referrals/{request.reference}/")
    if who == Role.PARTNER_PROFESSIONAL:
        assert response.status_code == 200
    elif who == ANONYMOUS:
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", WHO, ids=str)
def test_claiming_a_request_is_for_citizens_only(who: Any) -> None:
    _, client = signed_in(who)
    request = take()
    form = {"reference": request.reference, "dob_day": "14", "dob_month": "2", "dob_year": "1988"}
    response = client.post("/my-requests/claim/", form)
    request.refresh_from_db()
    if who == Role.CITIZEN:
        assert response.status_code == 302 and request.citizen is not None
    else:
        assert response.status_code in {302, 403} and request.citizen is None
        if who == ANONYMOUS:
            assert response["Location"].startswith("/sign-in/")


def test_the_confirmation_page_is_open_to_anyone_but_shows_only_this_browsers_request() -> None:
    client = Client()
    assert client.get("/ask/sent/").status_code == 302


def test_citizens_and_partners_find_their_pages_in_the_navigation() -> None:
    citizen = [item.label for item in navigation_for(Role.CITIZEN)]
    assert "Ask for help" in citizen and "Your requests" in citizen
    partner = [item.label for item in navigation_for(Role.PARTNER_PROFESSIONAL)]
    assert {"Refer someone", "Referrals"} <= set(partner)
    # a partner may also be a member of a team around the family (issue 13)
    assert set(partner) <= {
        "Home",
        "Refer someone",
        "Referrals",
        "Family plans",
        "Family plan actions",
    }


def test_a_citizens_home_page_links_to_ask_for_help_and_their_requests() -> None:
    _, client = signed_in(Role.CITIZEN)
    main = page(client.get("/home/")).select_one("main")
    assert main.find("a", string="Ask for help")["href"] == "/ask/"
    assert main.find("a", string="Your requests")["href"] == "/my-requests/"


def test_the_start_page_offers_ask_for_help_to_someone_not_signed_in() -> None:
    main = page(Client().get("/")).select_one("main")
    link = main.find("a", string=lambda text: text and "Ask for help" in text)
    assert link is not None and link["href"] == "/ask/"


# What an attacker or a careless user might send (as tests/web/test_every_route.py does).
HOSTILE = [
    "x" * 5000,
    "a\x00b",
    "' OR '1'='1' --",
    "<script>alert(1)</script>",
    "-99999999999999999999",
    "9999-12-31",
    "\u202e\U0001f600 ",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answers_in_any_field_of_any_form_are_refused_or_kept_as_text(value: str) -> None:
    from tests.frontdoor.public_helpers import citizen_form, referral_form

    _, citizen_client = signed_in(Role.CITIZEN)
    _, partner_client = signed_in(Role.PARTNER_PROFESSIONAL)
    forms = [
        (Client(), "/ask/", citizen_form()),
        (partner_client, "/refer/", referral_form()),
        (citizen_client, "/my-requests/claim/", {"reference": "R-AAAAAAAA", "dob_day": "1"}),
    ]
    for client, address, form in forms:
        for field in form:
            response = client.post(address, {**form, field: value})
            assert response.status_code in {302, 400}, (address, field, response.status_code)
            assert b"<script>alert(1)</script>" not in response.content
    for address in ("/my-requests/", "/referrals/"):
        client = citizen_client if address == "/my-requests/" else partner_client
        response = client.get(address, {"sort": value, "order": value, "page": value})
        assert response.status_code == 200, (address, response.status_code)
    assert partner_client.get("/referrals/", {"format": value}).status_code == 200
