"""Fixtures for the front door's tests: the casework fixtures (signed-in users by role, a
family with records across agencies) and a directory service to connect people to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casework.conftest import family, sign_in  # noqa: F401  (fixtures)

NEED = "financial-help"  # the directory taxonomy's "Help with money and debt"


@pytest.fixture
def service(db: Any) -> Any:
    """An active voluntary-sector service that helps with money and debt, for adults."""
    from upstream.directory.models import Attribute, Organization, Service, TaxonomyTerm
    from upstream.directory.terms import ensure_taxonomy

    ensure_taxonomy()

    organisation = Organization.objects.create(
        name="Upstream Advice Network", description="Free advice on money and debt."
    )
    debt_advice = Service.objects.create(
        organization=organisation,
        name="Debt advice drop-in",
        description="Help with debts and bills.",
        status="active",
        minimum_age=18,
    )
    term = TaxonomyTerm.objects.get(code=NEED)
    Attribute.objects.create(service=debt_advice, taxonomy_term=term)
    return debt_advice
