"""Fixtures for the front door's tests: the casework fixtures (signed-in users by role, a
family with records across agencies) and a directory service to connect people to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import family, sign_in  # noqa: F401  (fixtures)


@pytest.fixture
def service(db: Any) -> Any:
    """An active voluntary-sector service that helps with debt, for adults."""
    from upstream.directory.models import Organization, Service

    organisation = Organization.objects.create(
        name="Upstream Advice Network", description="Free advice on money and debt."
    )
    return Service.objects.create(
        organization=organisation,
        name="Debt advice drop-in",
        description="Help with debts and bills.",
        status="active",
        minimum_age=18,
    )
