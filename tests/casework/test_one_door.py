"""One door to personal data: every route that takes a person or household, found from the URL
configuration itself (so pages added later are checked too), goes through the one access
decision (`governance.access.decide`) exactly once per request when access is granted, and
refuses a caseworker with no working relationship and no recorded reason, showing nothing of
the record and auditing the refusal (issue 10: the flags page had its own, weaker check;
issue 11: a person page's decision bounced between casework and governance)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.casework.conftest import TEAM
from tests.casework.factories import allocate
from tests.routes import routes
from upstream.accounts.roles import Role
from upstream.governance import access
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

SUBJECT = re.compile(r"<(?:\w+:)?(person_id|household_id|person|household)>")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")

# Routes that take a person but show nothing of their record: the form on which a caseworker
# records why they need to see it (it names only the ID they typed), its API twin, and the
# front door's "take a request" button, which starts the officer's working relationship with
# the person found (audited, like a reason) and redirects to a page that decides.
SHOWS_NO_RECORD = {
    "people/<str:person_id>/reason/",
    "api/people/<person_id>/reasons",
    "front-door/new/<str:person_id>/start/",
}


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
        "flag_id": family.get("flag_id", "supporting-families/x/H-1/2025-03-31"),
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


# --- granted: one decision per request --------------------------------------------------------


def flag_for(person: Any) -> str:
    """A published flag on the person, from a source every caseworker's purpose covers."""
    from datetime import date

    from upstream.flags.models import Flag, FlagMember, IdentifyRun

    run = IdentifyRun.objects.create(as_of=date(2025, 3, 31), input_kind="test", workspace="test")
    flag = Flag.objects.create(
        flag_id=f"toxic-trio/{person.person_id}/2025-03-31",
        flag_key=f"toxic-trio/{person.person_id}",
        run=run,
        ruleset_id="toxic-trio",
        ruleset_version="1",
        kind="rule",
        code="T",
        label="Housing need",
        subject_type="person",
        subject_id=person.person_id,
        card={"needs": [{"id": "n", "label": "Need", "evidence": [{"agency": "Housing"}]}]},
    )
    FlagMember.objects.create(flag=flag, person_id=person.person_id)
    return flag.flag_id


def decisions_made(client: Client, url: str, person_id: str) -> tuple[int, list[str]]:
    """The status of the request (POSTed with a plausible form when GET is not allowed) and
    the views named in every access decision made while it was answered."""
    with access.watching() as calls:
        response = client.get(url)
        if response.status_code == 405:
            form = {"person_id": person_id, "kind": "not_relevant", "reason": "Not right for her"}
            response = client.post(url, form)
    return response.status_code, calls


def test_every_person_route_with_access_granted_makes_the_access_decision_exactly_once(
    family: dict[str, Any], sign_in: Any
) -> None:
    # A team manager whose team has the mother on its caseload may see her record, her
    # household, her flags, override a flag and allocate her; the data protection officer's
    # pages are for the data protection officer. Whoever is let in, one decision is made.
    family = {**family, "flag_id": flag_for(family["mother"])}
    allocate(person=family["mother"], team=TEAM)
    viewers = [sign_in(Role.TEAM_MANAGER)[1], sign_in(Role.DATA_PROTECTION_OFFICER)[1]]
    person_id = family["mother"].person_id
    checked = []
    for route in person_routes():
        if route in SHOWS_NO_RECORD:
            continue
        url = fill(route, family)
        answers = [decisions_made(viewer, url, person_id) for viewer in viewers]
        assert all(len(calls) <= 1 for _, calls in answers), (route, answers)
        granted = [calls for status, calls in answers if status < 400]
        assert granted, f"{route}: no viewer with access was let in: {answers}"
        assert all(len(calls) == 1 for calls in granted), (
            f"{route} showed a record without the access decision: {answers}"
        )
        checked.append(route)
    assert any(r.startswith("api/") for r in checked) and any("household" in r for r in checked)


def test_the_person_page_passes_its_decision_on_to_the_flags_it_shows(
    family: dict[str, Any], sign_in: Any
) -> None:
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    flag_for(family["mother"])
    with access.watching() as calls:
        response = client.get(f"/people/{family['mother'].person_id}/")
    assert response.status_code == 200 and "Housing need" in response.content.decode()
    assert calls == ["person page"]
