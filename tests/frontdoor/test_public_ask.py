"""A citizen asks for help on the web: no sign-in, no JavaScript, every field checked with a
GOV.UK message beside it, and nothing saved unless everything can be."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.casework.conftest import page
from tests.frontdoor.public_helpers import BORN, citizen_form
from upstream.accounts.roles import Role
from upstream.frontdoor.models import (
    Consent,
    ConsentEvent,
    ProvisionalPerson,
    Request,
)
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return not (
        Request.objects.exists()
        or ProvisionalPerson.objects.exists()
        or Consent.objects.exists()
        or ConsentEvent.objects.exists()
    )


def test_the_form_opens_without_signing_in_and_offers_every_need_by_group(client: Client) -> None:
    from upstream.directory.terms import need_groups

    response = client.get("/ask/")
    assert response.status_code == 200
    shown = page(response)
    assert shown.select_one("h1").text == "Ask for help"
    legends = {legend.text.strip() for legend in shown.select("legend")}
    for group in need_groups():
        assert group.label in legends
    assert len(shown.select("input[name=needs]")) == sum(len(g.options) for g in need_groups())
    assert shown.select_one("form input[name=csrfmiddlewaretoken]") is not None
    assert not shown.select("form script"), "the form needs no JavaScript"


def test_an_anonymous_request_keeps_the_identity_as_a_provisional_person_with_consent(
    client: Client,
) -> None:
    response = client.post("/ask/", citizen_form())
    assert response.status_code == 302
    assert response["Location"] == "/ask/sent/"
    request = Request.objects.get()
    assert (request.channel, request.place, request.asked_by) == ("web", "online", "person")
    assert request.recorded_by is None and request.citizen is None
    assert request.needs == ["financial-help", "sustaining-tenancy"]
    assert (request.urgency, request.preferred_contact) == ("soon", "phone")
    person = request.provisional
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Amina",
        "Okafor",
        BORN,
    )
    assert (person.address, person.postcode) == ("12 Canal Street, Upstream", "UP7 4NB")
    consent = Consent.objects.get(request=request)
    assert (consent.purpose, consent.state) == ("connect_to_help", "given")
    assert consent.recipient_types == ["any_directory"]
    assert set(consent.data_categories) == {
        "contact",
        "what_matters",
        "needs",
        "access",
        "date_of_birth",
    }
    event = consent.events.get()
    assert (event.state, event.method, event.recorded_by) == ("given", "web_form", "anonymous")


def test_taking_the_request_and_its_consent_are_audited_as_the_anonymous_citizen(
    client: Client,
) -> None:
    client.post("/ask/", citizen_form(), REMOTE_ADDR="203.0.113.7")
    entries = AuditEntry.objects.filter(actor="anonymous").order_by("sequence")
    assert [e.action for e in entries] == ["frontdoor.request.take", "frontdoor.consent"]
    assert all(e.ip_address == "203.0.113.7" and e.resource == "/ask/" for e in entries)


def test_the_confirmation_shows_the_reference_in_a_panel_and_what_happens_next(
    client: Client,
) -> None:
    response = client.post("/ask/", citizen_form(), follow=True)
    reference = Request.objects.get().reference
    shown = page(response)
    assert shown.select_one(".govuk-panel__title").text.strip() == "Request sent"
    assert shown.select_one("#reference").text == reference
    assert "What happens next" in shown.text
    assert "we will not share them" not in shown.text


def test_saying_no_to_sharing_records_a_refused_consent_and_the_confirmation_says_so(
    client: Client,
) -> None:
    response = client.post("/ask/", citizen_form(consent="no"), follow=True)
    consent = Consent.objects.get()
    assert consent.state == "refused" and consent.given_at is None
    assert consent.events.get().state == "refused"
    assert "we will not share them with any other service" in page(response).text


def test_the_confirmation_without_a_request_in_this_browser_goes_back_to_the_form(
    client: Client,
) -> None:
    response = client.get("/ask/sent/")
    assert response.status_code == 302 and response["Location"] == "/ask/"


def test_someone_asking_for_a_friend_is_recorded_as_the_one_who_asked(client: Client) -> None:
    form = citizen_form(
        asked_by="family_or_friend", asker_name="Grace Okafor", asker_relationship="Sister"
    )
    client.post("/ask/", form)
    request = Request.objects.get()
    assert (request.asked_by, request.asker_name, request.asker_relationship) == (
        "family_or_friend",
        "Grace Okafor",
        "Sister",
    )


def test_the_askers_name_is_not_kept_when_the_person_asks_for_themselves(client: Client) -> None:
    client.post("/ask/", citizen_form(asker_name="Someone typed this then chose Me"))
    assert Request.objects.get().asker_name == ""


def test_a_letter_goes_to_the_address_given_when_no_other_is_given(client: Client) -> None:
    client.post("/ask/", citizen_form(preferred_contact="letter", contact_detail=""))
    assert Request.objects.get().contact_detail == "12 Canal Street, Upstream"


def test_in_person_needs_no_contact_details(client: Client) -> None:
    client.post("/ask/", citizen_form(preferred_contact="in_person", contact_detail=""))
    assert Request.objects.get().preferred_contact == "in_person"


def test_a_signed_in_citizens_request_is_on_their_account(sign_in: Any) -> None:
    citizen, client = sign_in(Role.CITIZEN)
    response = client.post("/ask/", citizen_form(), follow=True)
    request = Request.objects.get()
    assert request.citizen == citizen and request.recorded_by is None
    assert page(response).find("a", string="your requests") is not None
    assert AuditEntry.objects.filter(actor=citizen.username, action="frontdoor.request.take")


LONG = "x" * 4001
THIRTEEN_NEEDS = [
    "careers-16-29",
    "apprenticeships",
    "adult-education",
    "employment-support",
    "life-skills",
    "early-years",
    "sexual-health",
    "sport-exercise",
    "social-prescribing",
    "mental-health-advice",
    "health-literacy",
    "school-nursing",
    "leisure",
]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"asked_by": None}, "asked_by", "Select who needs help"),
        ({"asked_by": "professional"}, "asked_by", "Select who needs help"),
        ({"asked_by": "family_or_friend"}, "asker_name", "Enter your name"),
        (
            {
                "asked_by": "family_or_friend",
                "asker_name": "Grace",
                "asker_relationship": "x" * 101,
            },
            "asker_relationship",
            "100 characters or fewer",
        ),
        ({"given_name": ""}, "given_name", "Enter a first name"),
        ({"given_name": "x" * 101}, "given_name", "First name must be 100 characters or fewer"),
        ({"family_name": "  "}, "family_name", "Enter a last name"),
        ({"dob_day": "", "dob_month": "", "dob_year": ""}, "dob_day", "Enter a date of birth"),
        ({"dob_month": ""}, "dob_month", "Date of birth must include a month"),
        (
            {"dob_month": "", "dob_year": ""},
            "dob_month",
            "Date of birth must include a month and year",
        ),
        ({"dob_day": "31", "dob_month": "2"}, "dob_day", "Date of birth must be a real date"),
        ({"dob_day": "a"}, "dob_day", "Date of birth must be a real date"),
        ({"dob_year": "99999999999999999999"}, "dob_day", "Date of birth must be a real date"),
        ({"dob_year": "9999"}, "dob_day", "Date of birth must be in the past"),
        ({"dob_year": "1850"}, "dob_year", "Date of birth must be after 1 January 1900"),
        ({"address_line_1": "x" * 101}, "address_line_1", "100 characters or fewer"),
        ({"address_town": "x" * 81}, "address_town", "80 characters or fewer"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode"),
        ({"what_matters": ""}, "what_matters", "Enter what is happening and what would help"),
        ({"what_matters": LONG}, "what_matters", "4,000 characters or fewer"),
        ({"needs": None}, "needs", "Select at least one kind of help"),
        ({"needs": ["not-a-need"]}, "needs", "Unknown need: not-a-need"),
        ({"needs": THIRTEEN_NEEDS}, "needs", "Choose 12 needs or fewer"),
        ({"urgency": None}, "urgency", "Select how soon help is needed"),
        ({"urgency": "whenever"}, "urgency", "Select how soon help is needed"),
        ({"preferred_contact": None}, "preferred_contact", "Select how we should get in touch"),
        ({"preferred_contact": "pigeon"}, "preferred_contact", "Select how we should get in touch"),
        ({"contact_detail": ""}, "contact_detail", "Enter a phone number"),
        ({"contact_detail": "12"}, "contact_detail", "Enter a phone number, like"),
        ({"contact_detail": "call me maybe"}, "contact_detail", "Enter a phone number, like"),
        (
            {"preferred_contact": "text", "contact_detail": ""},
            "contact_detail",
            "Enter a mobile phone number",
        ),
        (
            {"preferred_contact": "email", "contact_detail": "amina.example.com"},
            "contact_detail",
            "Enter an email address in the correct format",
        ),
        ({"preferred_contact": "email", "contact_detail": ""}, "contact_detail", "Enter an email"),
        (
            {
                "preferred_contact": "letter",
                "contact_detail": "",
                "address_line_1": "",
                "address_town": "",
            },
            "contact_detail",
            "Enter an address to write to",
        ),
        (
            {"preferred_contact": "letter", "contact_detail": "x" * 201},
            "contact_detail",
            "200 characters or fewer",
        ),
        ({"language": "x" * 61}, "language", "Language must be 60 characters or fewer"),
        ({"accessibility_needs": LONG}, "accessibility_needs", "4,000 characters or fewer"),
        ({"consent": None}, "consent", "Select yes if we may share your details"),
        ({"consent": "maybe"}, "consent", "Select yes if we may share your details"),
    ],
)
def test_each_answer_that_cannot_be_used_is_shown_beside_its_field_and_nothing_is_saved(
    client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/ask/", citizen_form(**changes))
    assert response.status_code == 400
    shown = page(response)
    assert shown.select_one("title").text.startswith("Error: ")
    link = shown.select_one(f".govuk-error-summary a[href='#{field}']")
    assert link is not None and message in link.text, shown.select_one(".govuk-error-summary")
    assert shown.select_one(f"#{field}") is not None, "the summary links to a field on the page"
    beside = shown.select_one("#dob-error" if field.startswith("dob_") else f"#{field}-error")
    assert beside is not None and message in beside.text
    assert nothing_saved()


def test_every_problem_is_shown_at_once_and_nothing_is_saved(client: Client) -> None:
    response = client.post("/ask/", {})
    assert response.status_code == 400
    links = [a["href"] for a in page(response).select(".govuk-error-summary a")]
    assert links == [
        "#asked_by",
        "#given_name",
        "#family_name",
        "#dob_day",
        "#what_matters",
        "#needs",
        "#urgency",
        "#preferred_contact",
        "#consent",
    ]
    assert nothing_saved()


def test_what_was_typed_is_kept_when_the_form_comes_back(client: Client) -> None:
    response = client.post("/ask/", citizen_form(consent=None, dob_year="1850"))
    shown = page(response)
    assert shown.select_one("#given_name")["value"] == "Amina"
    assert shown.select_one("#dob_year")["value"] == "1850"
    assert "govuk-input--error" in shown.select_one("#dob_year")["class"]
    assert "govuk-input--error" not in shown.select_one("#dob_day")["class"]
    assert shown.select_one("#what_matters").text.startswith("I have fallen behind")
    checked = {box["value"] for box in shown.select("input[name=needs][checked]")}
    assert checked == {"financial-help", "sustaining-tenancy"}
    assert shown.select_one("#urgency-soon").has_attr("checked")


def test_hostile_text_is_shown_as_text_never_run(client: Client) -> None:
    response = client.post(
        "/ask/", citizen_form(given_name="<script>alert(1)</script>", consent=None)
    )
    assert b"<script>alert(1)</script>" not in response.content
    assert "<script>alert(1)</script>" in page(response).select_one("#given_name")["value"]


def test_the_form_is_refused_without_its_csrf_token_and_nothing_is_saved() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ask/", citizen_form())
    assert response.status_code == 403
    assert nothing_saved()


def test_the_form_works_with_its_csrf_token_as_a_browser_without_javascript_sends_it() -> None:
    client = Client(enforce_csrf_checks=True)
    token = page(client.get("/ask/")).select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post("/ask/", {**citizen_form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Request.objects.count() == 1
