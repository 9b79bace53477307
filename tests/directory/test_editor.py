"""The editor's workflow: permissions for every view and role, forms, history, staleness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from tests.directory.factories import create_service
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.directory.editing import initial_for, stale_services
from upstream.directory.models import FieldChange, Organization, Service

pytestmark = pytest.mark.django_db
EDITOR_PAGES = [
    "/directory/editor/",
    "/directory/editor/stale/",
    "/directory/editor/services/new/",
    "/directory/editor/services/{id}/edit/",
    "/directory/editor/services/{id}/history/",
]


def signed_in(role: Role, *, with_permission: bool = False) -> Client:
    client = Client()
    user = create_user(role=role, email=f"{role.value}@council.example")
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="change_service"))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def html(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def service() -> Service:
    return create_service()


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_editor_pages_send_people_who_are_signed_out_to_sign_in(
    client: Client, service: Service, path: str
) -> None:
    response = client.get(path.format(id=service.pk))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("path", EDITOR_PAGES)
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_editor_pages_are_denied_to_roles_that_do_not_edit(
    service: Service, path: str, role: Role
) -> None:
    client = signed_in(role)
    assert client.get(path.format(id=service.pk)).status_code == 403
    assert client.post(path.format(id=service.pk), {"name": "Hijacked"}).status_code == 403


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_administrators_and_people_given_the_editor_permission_can_edit(
    service: Service, path: str
) -> None:
    assert signed_in(Role.ADMINISTRATOR).get(path.format(id=service.pk)).status_code == 200
    assert (
        signed_in(Role.PRACTITIONER, with_permission=True)
        .get(path.format(id=service.pk))
        .status_code
        == 200
    )


def form_data(service: Service, **changes: object) -> dict[str, object]:
    data = {k: v for k, v in initial_for(service).items() if v not in (None, "")}
    data.update(changes)
    return data


def test_an_editor_updates_a_service_and_the_history_shows_each_field(service: Service) -> None:
    client = signed_in(Role.ADMINISTRATOR)
    response = client.post(
        f"/directory/editor/services/{service.pk}/edit/",
        form_data(service, closes_at="14:00", days=["SA", "SU"]),
        follow=True,
    )
    page = html(response)
    assert page.select_one("h1").text.strip() == "Change history"
    rows = [[td.text.strip() for td in tr.select("td")] for tr in page.select("tbody tr")]
    assert ["Schedule: Closes at", "13:00:00", "14:00:00"] in [row[2:] for row in rows]
    assert ["Schedule: Days", "SA", "SA,SU"] in [row[2:] for row in rows]
    assert rows[0][1].startswith("administrator")


def test_an_unchanged_save_records_no_changes(service: Service) -> None:
    before = FieldChange.objects.count()
    signed_in(Role.ADMINISTRATOR).post(
        f"/directory/editor/services/{service.pk}/edit/", form_data(service)
    )
    assert FieldChange.objects.count() == before


def test_ticking_checked_sets_the_assurance_date_and_the_reviewer(service: Service) -> None:
    signed_in(Role.ADMINISTRATOR).post(
        f"/directory/editor/services/{service.pk}/edit/", form_data(service, reviewed="on")
    )
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert service.assurer is not None and service.assurer.role == Role.ADMINISTRATOR
    assert service.assurer_email == "administrator@council.example"


def test_an_editor_adds_a_service_that_citizens_can_then_find(service: Service) -> None:
    client = signed_in(Role.ADMINISTRATOR)
    organization = Organization.objects.first()
    assert organization is not None
    response = client.post(
        "/directory/editor/services/new/",
        {
            "name": "Pension credit clinic",
            "organization": str(organization.pk),
            "description": "Check if you can get Pension Credit.",
            "status": "active",
            "needs": ["benefits-help"],
            "minimum_age": "66",
            "days": ["TU"],
            "opens_at": "10:00",
            "closes_at": "12:00",
            "address_1": "1 High Street",
            "postcode": "up3 1ab",
            "languages": ["English"],
        },
        follow=True,
    )
    assert html(response).select_one("h1").text.strip() == "Pension credit clinic"
    found = Client().get("/directory/?q=pension&age=70&day=TU&postcode=UP3+1AB")
    assert "Pension credit clinic" in found.content.decode()


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"name": ""}, "#id_name", "Enter the service name"),
        ({"needs": []}, "#id_needs_0", "Select at least one need the service helps with"),
        (
            {"minimum_age": "sixty"},
            "#id_minimum_age",
            "Minimum age must be a whole number, like 60",
        ),
        (
            {"minimum_age": "60", "maximum_age": "18"},
            "#id_maximum_age",
            "Maximum age must be the same as or more than the minimum age",
        ),
        (
            {"opens_at": "14:00", "closes_at": "13:00"},
            "#id_closes_at",
            "Closing time must be after the opening time",
        ),
        ({"opens_at": "25:00"}, "#id_opens_at", "Enter an opening time, like 09:30"),
        ({"postcode": "nowhere"}, "#id_postcode", "Enter a real postcode, like UP1 2AB"),
        ({"email": "not an email"}, "#id_email", "Enter an email address in the correct format"),
    ],
)
def test_mistakes_in_the_form_are_shown_in_an_error_summary_and_nothing_is_saved(
    service: Service, changes: dict[str, object], anchor: str, message: str
) -> None:
    before = FieldChange.objects.count()
    response = signed_in(Role.ADMINISTRATOR).post(
        f"/directory/editor/services/{service.pk}/edit/", form_data(service, **changes)
    )
    page = html(response)
    link = page.select_one(".govuk-error-summary__list a")
    assert link["href"] == anchor and link.text.startswith(message)
    assert page.select_one("title").text.startswith("Error:")
    assert FieldChange.objects.count() == before


def test_the_staleness_queue_lists_services_not_checked_in_n_months_oldest_first() -> None:
    today = date(2026, 11, 24)
    fresh = create_service(name="Fresh", assured_date=(today - timedelta(days=45)).isoformat())
    old = create_service(name="Old", assured_date=(today - timedelta(days=500)).isoformat())
    older = create_service(name="Older", assured_date=(today - timedelta(days=900)).isoformat())
    never = create_service(name="Never")
    Service.objects.filter(pk=never.pk).update(assured_date=None)
    assert list(stale_services(12, today=today)) == [never, older, old]
    assert fresh in stale_services(1, today=today)
    assert list(stale_services(24, today=today)) == [never, older]


def test_the_staleness_page_shows_how_many_services_need_checking(service: Service) -> None:
    page = html(signed_in(Role.ADMINISTRATOR).get("/directory/editor/stale/?months=3"))
    caption = page.select_one("caption").text
    assert caption.endswith("to check") and int(caption.split()[0]) == stale_services(3).count()


def test_an_editor_search_with_a_nul_character_searches_as_if_it_were_not_there(
    service: Service,
) -> None:
    # A 500 on PostgreSQL, which refuses NUL in a query (found by tests/web/test_every_route.py).
    client = signed_in(Role.ADMINISTRATOR)
    response = client.get("/directory/editor/", {"q": service.name[:3] + "\x00" + service.name[3:]})
    assert response.status_code == 200
    assert service.name in html(response).get_text()
