"""Connecting a person to a service: the recorded event that ends conversation 1.

The casework app calls `connect_person_to_service` when a front-door officer or practitioner
connects someone to help; the directory keeps the record so it can say how often each
service is used and by whom it was suggested.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from upstream.directory.models import CHANNELS, Connection, Service
from upstream.directory.permissions import can_connect_people
from upstream.errors import InputError, UpstreamError

OPEN_STATUSES = {"active", "temporarily closed"}
MAX_PERSON_KEY = 100


class ConnectionRefusedError(UpstreamError):
    """This person may not record connections."""


def connect_person_to_service(
    *,
    person_key: str,
    service: Service,
    by: Any,
    channel: str,
    note: str = "",
    at: datetime | None = None,
) -> Connection:
    """Record that `by` connected the person (a key from the published person index) to a
    service, through a channel ("phone", "face_to_face"…)."""
    if not can_connect_people(by):
        raise ConnectionRefusedError(
            "only front-door officers, practitioners and team managers connect people",
            where=getattr(by, "username", "anonymous"),
        )
    _check(person_key, service, channel)
    return Connection.objects.create(
        person_key=person_key.strip(),
        service=service,
        connected_by=by,
        connected_at=at or timezone.now(),
        channel=channel,
        note=note.strip(),
    )


def _check(person_key: str, service: Service, channel: str) -> None:
    if not person_key.strip():
        raise InputError("say who is being connected (a person key)", where="person_key")
    if len(person_key.strip()) > MAX_PERSON_KEY:
        raise InputError(f"a person key is at most {MAX_PERSON_KEY} characters", where="person_key")
    if channel not in CHANNELS:
        raise InputError(f"channel must be one of {', '.join(CHANNELS)}", where="channel")
    if service.status not in OPEN_STATUSES:
        raise InputError(f"{service.name} is {service.status}", where="service")


def connections_for(person_key: str) -> list[Connection]:
    return list(Connection.objects.filter(person_key=person_key).select_related("service"))
