"""The issue's "done when", through the pages of every role in turn: a citizen asks for help
on the web and follows it; a front-door officer takes a phone request for a known person
without asking what is already known, triages it and connects them to a service with consent;
the provider accepts and later completes it; the officer sees the answer; a safeguarding
concern reaches a team manager's queue at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import TEAM, client_for
from tests.factories import create_user
from tests.frontdoor.conftest import NEED
from tests.frontdoor.public_helpers import citizen_form
from upstream.accounts.roles import Role
from upstream.frontdoor.models import Connection, PartnerAccount, Request

pytestmark = pytest.mark.django_db


def test_the_front_door_loop_closes_for_every_role(
    family: dict[str, Any], sign_in: Any, service: Any
) -> None:
    # A citizen asks on the web (signed in, so they can follow it) and sees it in their list.
    citizen, citizen_client = sign_in(Role.CITIZEN)
    asked = citizen_client.post("/ask/", citizen_form())
    assert asked.status_code == 302, asked.content.decode()[:2000]
    web_request = Request.objects.get(channel="web")
    assert web_request.citizen == citizen and web_request.provisional is not None
    assert web_request.reference in citizen_client.get("/my-requests/").content.decode()
    assert citizen_client.get(f"/my-requests/{web_request.reference}/").status_code == 200

    # A front-door officer finds a known person and takes a phone request, seeing what is known.
    _, officer_client = sign_in(Role.FRONT_DOOR_OFFICER)
    mother = family["mother"].person_id
    officer_client.post(f"/front-door/new/{mother}/start/")
    form = officer_client.get(f"/front-door/new/{mother}/").content.decode()
    assert "What we already know" in form and "Sarah Khan" in form
    officer_client.post(
        f"/front-door/new/{mother}/",
        {
            "channel": "phone",
            "place": "contact_centre",
            "asked_by": "person",
            "what_matters": "Behind on the rent since I lost my job.",
            "needs": [NEED],
            "urgency": "soon",
            "preferred_contact": "phone",
            "contact_detail": "07700 900123",
        },
    )
    phone = Request.objects.get(person_id=mother)
    officer_client.get(f"/front-door/requests/{phone.reference}/")
    phone.refresh_from_db()
    triaged = officer_client.post(
        f"/front-door/requests/{phone.reference}/triage/",
        {"route": "universal", "override_reason": "Money advice first, she says."},
    )
    assert triaged.status_code == 302
    officer_client.post(
        f"/front-door/requests/{phone.reference}/consent/",
        {
            "purpose": "connect_to_help",
            "categories": ["contact", "needs", "what_matters"],
            "types": ["voluntary"],
            "state": "given",
            "method": "verbal",
        },
    )
    officer_client.post(
        f"/front-door/requests/{phone.reference}/connect/",
        {"service": str(service.id), "message": "Please call her about her rent this week."},
    )
    connection = Connection.objects.get(request=phone)

    # The provider, tied to the service's organisation, accepts and later completes it.
    provider = create_user(role=Role.SERVICE_PROVIDER, username="advice-worker")
    PartnerAccount.objects.create(user=provider, organisation=service.organization)
    provider_client = client_for(provider)
    assert f"/incoming/{connection.pk}/" in provider_client.get("/incoming/").content.decode()
    page = provider_client.get(f"/incoming/{connection.pk}/").content.decode()
    assert "Behind on the rent" in page and "07700 900123" in page
    provider_client.post(f"/incoming/{connection.pk}/", {"action": "accept"})
    provider_client.post(f"/incoming/{connection.pk}/", {"action": "complete", "helped": "yes"})
    connection.refresh_from_db()
    assert (connection.status, connection.helped) == ("completed", True)

    # The officer sees the answer on the request.
    answered = officer_client.get(f"/front-door/requests/{phone.reference}/").content.decode()
    assert "Completed" in answered and "(helped)" in answered

    # A safeguarding concern reaches the team manager's queue at once.
    officer_client.post(
        f"/front-door/requests/{phone.reference}/safeguarding/",
        {"team": "adults", "concern": "She said her ex-partner still takes her money."},
    )
    _, manager_client = sign_in(Role.TEAM_MANAGER, team=TEAM)
    queue = manager_client.get("/front-door/safeguarding/").content.decode()
    assert phone.reference in queue
