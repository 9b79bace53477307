"""Who may use each conversation page: every view × every role. A conversation is for its
owner and their team (the manager may hand it off); someone else in a casework role only with a
reason recorded for the person; the data protection officer reads it; everyone else is refused,
and every refusal is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.casework.conftest import TEAM, client_for
from tests.conversations.conftest import triage_to_team
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import waiting
from upstream.conversations.models import Conversation
from upstream.governance.audit import Actor
from upstream.governance.models import AuditEntry, RecordedReason

pytestmark = pytest.mark.django_db

OUTSIDERS = [
    Role.CITIZEN,
    Role.ANALYST,
    Role.COMMISSIONER,
    Role.ADMINISTRATOR,
    Role.PARTNER_PROFESSIONAL,
    Role.SERVICE_PROVIDER,
    Role.FRONT_DOOR_OFFICER,
]

READS = ["/conversations/{id}/", "/conversations/{id}/copy/"]
WRITES = [
    ("/conversations/{id}/listening/", {"what_matters": "changed"}),
    ("/conversations/{id}/end/", {"outcome": "resolved"}),
    ("/conversations/{id}/steps/", {"what": "x", "who": "y", "by_when": "2030-01-01"}),
    ("/conversations/{id}/steps/1/done/", {}),
    ("/conversations/{id}/contacts/", {"contact_method": "phone", "contact_note": "hi"}),
    ("/conversations/{id}/help/", {"amount": "1", "purpose": "x"}),
    ("/conversations/{id}/outcomes/", {"agreed_outcome": "x"}),
    ("/conversations/{id}/hand-off/", {"to": "nobody", "reason": "x"}),
]


@pytest.fixture
def conversation(family: dict[str, Any]) -> Conversation:
    owner = create_user(role=Role.PRACTITIONER, team=TEAM)
    request = triage_to_team(family["mother"].person_id)
    return waiting.pick_up(Actor(owner.username), owner, request)


def denied_count() -> int:
    return AuditEntry.objects.filter(outcome="denied").count()


@pytest.mark.parametrize("role", [*OUTSIDERS, Role.PRACTITIONER, Role.TEAM_MANAGER])
def test_outsiders_and_other_teams_are_refused_every_conversation_page(
    conversation: Conversation, role: Role
) -> None:
    team = "Early help — South" if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} else ""
    client = client_for(create_user(role=role, team=team))
    for template in READS:
        before = denied_count()
        response = client.get(template.format(id=conversation.pk))
        assert response.status_code == 403, (role, template)
        assert "Khan" not in response.content.decode()
        assert denied_count() == before + 1, (role, template)
    for template, data in WRITES:
        before = denied_count()
        response = client.post(template.format(id=conversation.pk), data)
        assert response.status_code == 403, (role, template)
        assert denied_count() == before + 1, (role, template)
    conversation.refresh_from_db()
    assert conversation.is_open and not conversation.what_matters


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER])
def test_the_owners_team_reads_but_does_not_write(conversation: Conversation, role: Role) -> None:
    client = client_for(create_user(role=role, team=TEAM))
    for template in READS:
        assert client.get(template.format(id=conversation.pk)).status_code == 200
    for template, data in WRITES[:-1]:
        response = client.post(template.format(id=conversation.pk), data)
        assert response.status_code == 403, (role, template)
    conversation.refresh_from_db()
    assert conversation.is_open and not conversation.what_matters


def test_a_recorded_reason_opens_the_conversation_to_read(conversation: Conversation) -> None:
    officer = create_user(role=Role.FRONT_DOOR_OFFICER)
    client = client_for(officer)
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 403
    RecordedReason.objects.create(
        user=officer,
        person=conversation.person_id,
        purpose="safeguarding",
        reason="Safeguarding call about her",
        at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 200
    assert (
        client.post(f"/conversations/{conversation.pk}/end/", {"outcome": "resolved"}).status_code
        == 403
    )


def test_the_data_protection_officer_reads_for_subject_access(conversation: Conversation) -> None:
    client = client_for(create_user(role=Role.DATA_PROTECTION_OFFICER))
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 200
    assert (
        client.post(
            f"/conversations/{conversation.pk}/listening/", {"what_matters": "x"}
        ).status_code
        == 403
    )


LISTS = {
    "/conversations/": {Role.PRACTITIONER, Role.TEAM_MANAGER},
    "/conversations/team/": {Role.TEAM_MANAGER},
    "/conversations/waiting/": {Role.PRACTITIONER, Role.TEAM_MANAGER},
    "/conversations/budget/": {Role.TEAM_MANAGER},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_list_page_is_for_the_roles_whose_work_it_is(db: Any, role: Role) -> None:
    team = TEAM if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} else ""
    client = client_for(create_user(role=role, team=team))
    for url, allowed in LISTS.items():
        before = denied_count()
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, url)
        if expected == 403:
            assert denied_count() == before + 1, (role, url)


@pytest.mark.parametrize("role", list(Role))
def test_only_the_requests_team_picks_up_or_allocates(family: dict[str, Any], role: Role) -> None:
    request = triage_to_team(family["mother"].person_id)
    team = TEAM if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} else ""
    client = client_for(create_user(role=role, team=team))
    page = client.get(f"/conversations/waiting/{request.reference}/")
    assert page.status_code == (200 if team else 403), role
    allocate = client.post(f"/conversations/waiting/{request.reference}/allocate/", {"worker": "x"})
    assert allocate.status_code == (400 if role == Role.TEAM_MANAGER else 403), role
    pick_up = client.post(f"/conversations/waiting/{request.reference}/pick-up/")
    assert pick_up.status_code == (302 if team else 403), role
    assert Conversation.objects.exists() == bool(team)


def test_another_teams_worker_cannot_open_the_waiting_request(family: dict[str, Any]) -> None:
    request = triage_to_team(family["mother"].person_id)
    client = client_for(create_user(role=Role.PRACTITIONER, team="Early help — South"))
    for url in (
        f"/conversations/waiting/{request.reference}/",
        f"/conversations/waiting/{request.reference}/pick-up/",
    ):
        response = client.post(url) if url.endswith("pick-up/") else client.get(url)
        assert response.status_code == 403
    assert not Conversation.objects.exists()
