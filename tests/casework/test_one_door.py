"""One door to personal data: every route that takes a person or household, found from the URL
configuration itself (so pages added later are checked too), refuses a caseworker with no
working relationship and no recorded reason, shows nothing of the record, and audits the
refusal (issue 10: the flags page had its own, weaker check)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.routes import routes
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

SUBJECT = re.compile(r"<(?:\w+:)?(person_id|household_id|person|household)>")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")

# Routes that take a person but show nothing of their record: the form on which a caseworker
# records why they need to see it (it names only the ID they typed), and its API twin.
SHOWS_NO_RECORD = {"people/<str:person_id>/reason/", "api/people/<person_id>/reasons"}


# Routes that take the person in the form body rather than the address.
PERSON_IN_BODY = {"flags/flag/<path:flag_id>/override/", "caseload/allocate/"}


def person_routes() -> list[str]:
    found = set(routes())
    assert found >= PERSON_IN_BODY, "a route that takes a person in its body has moved"
    return sorted({r for r in found if SUBJECT.search(r)} | PERSON_IN_BODY)


def fill(route: str, family: dict[str, Any]) -> str:
    values = {
        "person_id": family["mother"].person_id,
        "person": family["mother"].person_id,
        "household_id": family["home"].household_id,
        "household": family["home"].household_id,
        "table": "timeline",
        "fmt": "csv",
        "flag_id": "supporting-families/x/H-1/2025-03-31",
    }
    return "/" + PARAMETER.sub(lambda m: values.get(m.group(2), "1"), route)


def test_the_route_list_finds_every_kind_of_person_route() -> None:
    found = person_routes()
    for expected in (
        "people/<str:person_id>/",
        "people/<str:person_id>/<slug:table>.<str:fmt>",
        "households/<str:household_id>/",
        "flags/person/<str:person_id>/",
        "flags/flag/<path:flag_id>/override/",
    ):
        assert expected in found
    assert any(r.startswith("api/") for r in found), found


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER])
def test_every_person_route_refuses_a_caseworker_without_a_basis_and_audits_it(
    family: dict[str, Any], sign_in: Any, role: Role
) -> None:
    _, client = sign_in(role)
    for route in person_routes():
        if route in SHOWS_NO_RECORD:
            continue
        url = fill(route, family)
        before = AuditEntry.objects.filter(outcome="denied").count()
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {"person_id": family["mother"].person_id})
        body = response.content.decode(errors="replace")
        assert response.status_code == 403, (route, response.status_code)
        assert "Khan" not in body and "Canal Street" not in body, route
        assert AuditEntry.objects.filter(outcome="denied").count() == before + 1, route
