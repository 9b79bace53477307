"""Issue 13's "done when", through the pages: a practitioner picks up a triaged request, holds
conversation 1, connects the person to a service and closes it; another request goes through
conversation 2 to a stable plan; the team manager sees the team's measures move; and
`upstream cld export` writes a valid quarter holding those conversations. (The team around the
family with a partner completing an action is `test_families_browser.py`'s journey.)"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from tests.conversations.conftest import triage_to_team
from upstream.accounts.roles import Role
from upstream.cli import app
from upstream.conversations import measures
from upstream.conversations.models import Conversation
from upstream.frontdoor.models import Connection

pytestmark = pytest.mark.django_db


def _period(response: Any, key: str) -> dict[str, Any]:
    """A measure's figure for the whole period, from the measures page's JSON twin."""
    found = [m for m in response.json()["measures"] if m["key"] == key]
    return dict(found[0]["period"])


def _pick_up(client: Any, request: Any) -> Conversation:
    assert client.post(f"/conversations/waiting/{request.reference}/pick-up/").status_code == 302
    return Conversation.objects.get(request=request)


def test_requests_are_picked_up_talked_through_and_counted(
    family: dict[str, Any], sign_in: Any, service: Any, tmp_path: Path
) -> None:
    _, practitioner = sign_in(Role.PRACTITIONER)
    _, manager = sign_in(Role.TEAM_MANAGER)
    measures.forget()
    before = manager.get("/conversations/measures/?format=json")
    assert before.status_code == 200

    # Conversation 1: listen, connect with consent, resolved here.
    first_request = triage_to_team(family["mother"].person_id, what_matters="Rent arrears")
    first = _pick_up(practitioner, first_request)
    base = f"/conversations/{first.pk}/"
    practitioner.post(
        base + "listening/",
        {"what_matters": "Keeping my home", "strengths_family": "My sister", "risk": "low"},
    )
    ref = first_request.reference
    practitioner.post(
        f"/front-door/requests/{ref}/consent/",
        {
            "purpose": "connect_to_help",
            "categories": ["contact", "needs"],
            "types": ["voluntary"],
            "state": "given",
            "method": "verbal",
        },
    )
    connected = practitioner.post(
        f"/front-door/requests/{ref}/connect/",
        {"service": str(service.id), "message": "Money advice, please call her."},
    )
    assert connected.status_code == 302 and Connection.objects.filter(request=first_request)
    assert practitioner.post(base + "end/", {"outcome": "resolved"}).status_code == 302
    first_request.refresh_from_db()
    assert first_request.status == "closed"

    # Another: conversation 1 → conversation 2 with an emergency plan → stable.
    second_request = triage_to_team(family["partner"].person_id, what_matters="Bailiffs")
    opening = _pick_up(practitioner, second_request)
    practitioner.post(f"/conversations/{opening.pk}/listening/", {"what_matters": "Bailiffs"})
    practitioner.post(f"/conversations/{opening.pk}/end/", {"outcome": "needs_2"})
    crisis = Conversation.objects.get(previous=opening)
    assert crisis.kind == 2 and crisis.owner == opening.owner, "one worker stays"
    practitioner.post(
        f"/conversations/{crisis.pk}/steps/",
        {"what": "Call the bailiffs", "who": "Key worker", "by_when": date.today().isoformat()},
    )
    practitioner.post(
        f"/conversations/{crisis.pk}/contacts/",
        {"contact_method": "phone", "contact_note": "Calmer now."},
    )
    assert (
        practitioner.post(f"/conversations/{crisis.pk}/end/", {"outcome": "stable"}).status_code
        == 302
    )

    # The team's measures move.
    measures.forget()
    after = manager.get("/conversations/measures/?format=json")
    assert after.status_code == 200
    assert _period(before, "resolved_at_c1")["of"] == 0
    assert (_period(after, "resolved_at_c1")["count"], _period(after, "resolved_at_c1")["of"]) == (
        1,
        2,
    )
    assert (_period(after, "needs_c2")["count"], _period(after, "needs_c2")["of"]) == (1, 2)

    # And the quarter's Client Level Data export holds them, valid.
    today = timezone.localdate()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    out = tmp_path / "cld.csv"
    result = CliRunner().invoke(app, ["cld", "export", "--quarter", quarter, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    references = {row["Event_Reference"] for row in rows}
    assert {f"C-{first.pk}", f"C-{crisis.pk}"} <= references, references
