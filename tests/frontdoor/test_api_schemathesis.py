"""Property-based tests of the partner API (schemathesis): whatever a partner with a valid key
(or a signed-in officer, for triage) sends to /api/frontdoor/, the answer is never a 5xx."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.frontdoor.provider_factories import (
    api_key,
    connected,
    create_service,
    take,
)
from upstream.accounts.roles import Role

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/frontdoor/"
)


@pytest.fixture
def keep_connection():  # type: ignore[no-untyped-def]
    """As Django's test client does: the WSGI app must not close the test's database
    connection at the end of each request (it would end the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(keep_connection: Any) -> dict[str, Any]:
    """A provider organisation's key (it refers people too), with a referral and a
    connection of its own, and a front-door officer's session."""
    from django.test import Client

    service = create_service()
    organisation = service.organization
    take(referring_organisation=organisation)
    connected(service)
    officer = create_user(role=Role.FRONT_DOOR_OFFICER)
    client = Client()
    client.login(username=officer.username, password=DEFAULT_PASSWORD)
    return {
        "headers": {"X-API-Key": api_key(organisation)},
        "cookies": {"sessionid": client.cookies["sessionid"].value},
    }


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("UPSTREAM_SCHEMATHESIS_EXAMPLES", "30")),
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_partner_api_never_answers_with_a_server_error(
    case: Any, credentials: dict[str, Any]
) -> None:
    case.call_and_validate(
        headers=credentials["headers"],
        cookies=credentials["cookies"],
        checks=[not_a_server_error],
    )
