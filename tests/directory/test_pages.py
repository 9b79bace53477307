"""The citizen's search and a service's page, by what a person sees."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.directory.factories import journey_service, load_directory
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role, navigation_for

pytestmark = pytest.mark.django_db
JOURNEY = "/directory/?need=financial-help&postcode=UP1+2AB&age=67&day=SA"


def page(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def directory() -> None:
    load_directory(per_item=2)


def test_the_search_page_asks_what_you_need_help_with_in_plain_words(
    client: Client, directory: None
) -> None:
    html = page(client.get("/directory/"))
    assert html.select_one("h1").text.strip() == "What do you need help with?"
    assert html.select_one("form")["method"] == "get"  # works without JavaScript
    assert "Help with money and debt" in html.select_one("#id_need").text
    assert len(html.select("a[href^='?need=']")) == 44


def test_a_citizen_finds_saturday_debt_advice_for_over_60s_near_their_postcode(
    client: Client, directory: None
) -> None:
    html = page(client.get(JOURNEY))
    first = html.select_one(".upstream-result")
    assert first.select_one("h3").text.strip() == journey_service().name
    facts = first.select_one("dl").text
    assert "Saturdays, 10am to 1pm" in facts and "60 and over" in facts and "Free" in facts
    assert "miles away" in facts


def test_every_result_takes_the_person_on_the_day_and_at_the_age_they_gave(
    client: Client, directory: None
) -> None:
    html = page(client.get("/directory/?age=8&day=SU"))
    for result in html.select(".upstream-result"):
        assert "Sunday" in result.text or "Monday to Friday" not in result.text


def test_words_search_names_and_descriptions(client: Client, directory: None) -> None:
    html = page(client.get("/directory/?q=lunch+club"))
    names = [h.text for h in html.select(".upstream-result h3")]
    assert names and all("Lunch club" in n for n in names)


def test_nothing_found_says_what_to_try_next(client: Client, directory: None) -> None:
    html = page(client.get("/directory/?q=zzzzzz"))
    assert "0 places can help" in html.text
    assert "Try fewer words" in html.text


def test_results_come_in_pages_of_ten_with_next_and_previous_links(
    client: Client, directory: None
) -> None:
    html = page(client.get("/directory/?age=30"))
    assert len(html.select(".upstream-result")) == 10
    next_link = html.select_one(".govuk-pagination__next a")["href"]
    second = page(client.get("/directory/" + next_link))
    assert "age=30" in next_link and "page=2" in next_link
    assert second.select_one(".govuk-pagination__prev a") is not None


@pytest.mark.parametrize(
    ("query", "anchor", "message"),
    [
        ("postcode=nonsense", "#id_postcode", "Enter a real postcode, like UP1 2AB"),
        ("postcode=SW1A+1AA", "#id_postcode", "We cannot find that postcode in this city"),
        ("age=old", "#id_age", "Age must be a number, like 67"),
        ("age=200", "#id_age", "Age must be 120 or less"),
    ],
)
def test_mistakes_are_shown_in_an_error_summary_linked_to_the_field(
    client: Client, directory: None, query: str, anchor: str, message: str
) -> None:
    html = page(client.get("/directory/?" + query))
    link = html.select_one(".govuk-error-summary__list a")
    assert link["href"] == anchor and link.text.startswith(message)
    assert html.select_one("title").text.startswith("Error:")
    assert message in html.select_one(".govuk-error-message").text


def test_a_service_page_says_who_when_where_and_cost(client: Client, directory: None) -> None:
    html = page(client.get(f"/directory/services/{journey_service().pk}/"))
    facts = {
        row.select_one("dt").text.strip(): row.select_one("dd").text.strip()
        for row in html.select("#service-facts .govuk-summary-list__row")
    }
    assert facts["When"] == "Saturdays, 10am to 1pm"
    assert facts["Cost"] == "Free"
    assert facts["Who it is for"].startswith("Ages 60 and over")
    assert "UP" in facts["Where"]
    assert html.select_one("a[href^='/directory/api/services/']") is not None


def test_an_unknown_service_is_a_friendly_404(client: Client) -> None:
    response = client.get("/directory/services/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "not in the directory" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER])
def test_citizens_and_front_line_roles_see_find_help_in_their_navigation(role: Role) -> None:
    assert "Find help" in [item.label for item in navigation_for(role)]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_and_anyone_signed_out_can_search_and_read_services(
    client: Client, directory: None, role: Role
) -> None:
    assert client.get(JOURNEY).status_code == 200
    user = create_user(role=role)
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    assert client.get(JOURNEY).status_code == 200
    html = page(client.get(f"/directory/services/{journey_service().pk}/"))
    shows_edit = (
        html.select_one(f"a[href='/directory/editor/services/{journey_service().pk}/edit/']")
        is not None
    )
    assert shows_edit is (role == Role.ADMINISTRATOR)
