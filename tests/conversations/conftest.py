"""Fixtures for the Three Conversations tests: the front door's (a family with records across
agencies, signed-in users by role, a directory service) and a request triaged onto a team's
waiting list, the way conversation 1 starts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import TEAM
from tests.factories import create_user
from tests.frontdoor.conftest import NEED, family, service, sign_in  # noqa: F401  (fixtures)
from upstream.accounts.roles import Role


def triage_to_team(person_id: str, *, team: str = TEAM, what_matters: str = "") -> Any:
    """A phone request for a known person, taken and triaged targeted to `team` (its waiting
    list), through the front door's own services."""
    from upstream.frontdoor.intake import Ask, take_request
    from upstream.frontdoor.routing import start_contact, triage
    from upstream.governance.audit import Actor

    officer = create_user(role=Role.FRONT_DOOR_OFFICER)
    actor = Actor(officer.username, role=Role.FRONT_DOOR_OFFICER)
    start_contact(actor, officer, person_id)
    ask = Ask(
        channel="phone",
        place="contact_centre",
        what_matters=what_matters or "I can't keep up with the rent since I lost my job.",
        needs=(NEED,),
        preferred_contact="phone",
        contact_detail="07700 900123",
    )
    request = take_request(actor, ask, by=officer, person_id=person_id).request
    return triage(actor, officer, request, route="targeted", team=team, reason="Needs a key worker")


@pytest.fixture
def triaged_request(family: dict[str, Any]) -> Any:  # noqa: F811
    """A request for the family's mother, triaged targeted to "Early help — North" (on that
    team's waiting list, nobody allocated yet)."""
    return triage_to_team(family["mother"].person_id)
