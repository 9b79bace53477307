"""Connecting a person to a service: a recorded event, for the roles that hold conversation 1."""

from __future__ import annotations

import pytest

from tests.directory.factories import create_service
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.directory.connections import (
    ConnectionRefusedError,
    connect_person_to_service,
    connections_for,
)
from upstream.errors import InputError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER, Role.TEAM_MANAGER])
def test_front_line_roles_connect_a_person_and_the_event_is_recorded(role: Role) -> None:
    service = create_service()
    officer = create_user(role=role)
    connection = connect_person_to_service(
        person_key=" P-000123 ",
        service=service,
        by=officer,
        channel="phone",
        note="Wants help with a bailiff letter ",
    )
    assert connections_for("P-000123") == [connection]
    assert (connection.connected_by, connection.channel, connection.note) == (
        officer,
        "phone",
        "Wants help with a bailiff letter",
    )


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.ANALYST, Role.COMMISSIONER, Role.ADMINISTRATOR]
)
def test_other_roles_cannot_record_connections(role: Role) -> None:
    with pytest.raises(ConnectionRefusedError):
        connect_person_to_service(
            person_key="P-1", service=create_service(), by=create_user(role=role), channel="phone"
        )


@pytest.mark.parametrize(
    ("person_key", "channel", "status", "where"),
    [
        ("", "phone", "active", "person_key"),
        ("x" * 101, "phone", "active", "person_key"),
        ("P-1", "pigeon", "active", "channel"),
        ("P-1", "phone", "defunct", "service"),
    ],
)
def test_a_connection_with_bad_details_is_refused_saying_which(
    person_key: str, channel: str, status: str, where: str
) -> None:
    service = create_service(status=status)
    with pytest.raises(InputError) as caught:
        connect_person_to_service(
            person_key=person_key,
            service=service,
            by=create_user(role=Role.PRACTITIONER),
            channel=channel,
        )
    assert caught.value.where == where
