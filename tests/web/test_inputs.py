"""NUL characters never reach a view (upstream.edge.inputs): PostgreSQL refuses them, so each
was a 500 there. One middleware takes them out of every query and form value, and the API's
parser out of JSON bodies; the Open Referral API keeps its own 400 naming the parameter."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from tests.casework.factories import allocate, create_person
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.edge.inputs import nul_free_input, without_nul


def seen_by_the_view(request: HttpRequest) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(get=request.GET.dict(), post=request.POST.dict())
        return HttpResponse()

    nul_free_input(view)(request)
    return seen


def test_query_and_form_values_and_their_names_lose_their_nul_characters() -> None:
    request = RequestFactory().post(
        "/people/?name=Sa\x00rah",
        "rea%00son=Under%00+review",
        content_type="application/x-www-form-urlencoded",
    )
    assert seen_by_the_view(request) == {
        "get": {"name": "Sarah"},
        "post": {"reason": "Under review"},
    }


def test_values_without_a_nul_are_the_very_same_query() -> None:
    request = RequestFactory().get("/people/", {"name": "Sarah"})
    before = request.GET
    seen_by_the_view(request)
    assert request.GET is before


def test_the_open_referral_api_sees_what_was_sent() -> None:
    request = RequestFactory().get("/directory/api/services", {"search": "a\x00b"})
    assert seen_by_the_view(request)["get"] == {"search": "a\x00b"}


def test_json_shaped_data_loses_nul_characters_in_keys_and_values() -> None:
    assert without_nul({"a\x00": ["b\x00", 1, {"c": "d\x00"}]}) == {"a": ["b", 1, {"c": "d"}]}


@pytest.mark.django_db
def test_a_reason_sent_to_the_api_with_a_nul_is_recorded_without_it() -> None:
    from upstream.governance.models import RecordedReason

    person = create_person()
    user = create_user(role=Role.PRACTITIONER, team="Early help — North")
    allocate(person=person, worker=user)
    client = Client()
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    response = client.post(
        f"/api/people/{person.person_id}/reasons",
        {"purpose": "safeguarding", "reason": "Police asked\x00 about a concern"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert RecordedReason.objects.get().reason == "Police asked about a concern"
