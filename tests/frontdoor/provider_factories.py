"""Factories for the providers' pages and the partner API: organisations, their services, API
keys, service-provider accounts, and requests connected to a service with consent, made
through the front door's own services (never rows written around them)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.directory.models import Organization, Service
from upstream.frontdoor.apikeys import issue_key
from upstream.frontdoor.connecting import connect
from upstream.frontdoor.consent import CONNECT_TO_HELP, Asked, record_consent
from upstream.frontdoor.intake import Ask, Identity, known_needs, take_request
from upstream.frontdoor.models import (
    Channel,
    Connection,
    ConsentState,
    ContactMethod,
    PartnerAccount,
    Place,
    Request,
)
from upstream.governance.audit import Actor

_names = itertools.count(1)
NEED = "financial-help"  # the directory taxonomy's "Help with money and debt"
TEST_ACTOR = Actor(username="test-setup")


def need() -> str:
    needs = known_needs()
    return NEED if NEED in needs else sorted(needs)[0]


def create_organisation(*, name: str = "") -> Organization:
    return Organization.objects.create(
        name=name or f"Canal Street Advice {next(_names)}", description="Free advice."
    )


def create_service(*, organisation: Organization | None = None, name: str = "") -> Service:
    return Service.objects.create(
        organization=organisation or create_organisation(),
        name=name or f"Money advice drop-in {next(_names)}",
        description="Help with debts and bills.",
        status="active",
    )


def api_key(organisation: Organization) -> str:
    return issue_key(TEST_ACTOR, organisation, "case management system").key


def create_provider(organisation: Organization, **fields: Any) -> Any:
    """A service-provider account tied to the organisation."""
    user = create_user(role=Role.SERVICE_PROVIDER, **fields)
    PartnerAccount.objects.create(user=user, organisation=organisation)
    return user


def take(
    *,
    given_name: str = "Sam",
    family_name: str = "Lee",
    officer: Any = None,
    referring_organisation: Organization | None = None,
) -> Request:
    """A phone request for someone not known yet (a provisional person)."""
    officer = officer or create_user(role=Role.FRONT_DOOR_OFFICER)
    ask = Ask(
        channel=Channel.PARTNER if referring_organisation else Channel.PHONE,
        place=Place.PARTNER_OFFICE if referring_organisation else Place.CONTACT_CENTRE,
        what_matters="I can't keep up with the rent since I lost my job.",
        needs=(need(),),
        preferred_contact=ContactMethod.PHONE,
        contact_detail="07700 900123",
        asked_by="professional" if referring_organisation else "person",
        asker_name="Jo Partner" if referring_organisation else "",
        asker_organisation=referring_organisation.name if referring_organisation else "",
    )
    identity = Identity(given_name, family_name, date(1990, 3, 4), postcode="M14 5AB")
    return take_request(
        TEST_ACTOR,
        ask,
        by=officer,
        identity=identity,
        referring_organisation_id=str(referring_organisation.pk)
        if referring_organisation
        else None,
    ).request


def connected(
    service: Service,
    *,
    categories: tuple[str, ...] = ("contact", "needs"),
    message: str = "Would like help with rent arrears; mornings are the best time to call.",
    request: Request | None = None,
    **take_fields: Any,
) -> Connection:
    """A request whose person consented to share `categories` with the service's organisation,
    connected to the service by a front-door officer."""
    officer = create_user(role=Role.FRONT_DOOR_OFFICER)
    request = request or take(officer=officer, **take_fields)
    record_consent(
        TEST_ACTOR,
        request,
        Asked(
            purpose=CONNECT_TO_HELP,
            categories=categories,
            organisations=(str(service.organization_id),),
            state=ConsentState.GIVEN,
        ),
    )
    return connect(TEST_ACTOR, officer, request, service, message)
