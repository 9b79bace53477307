"""What the citizens' and partners' page tests share: a filled-in form, a partner professional
tied to an organisation, and a request taken the way each channel takes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from tests.casework.conftest import client_for
from tests.factories import create_user
from upstream.accounts.roles import Role

BORN = date(1988, 2, 14)


def citizen_form(**changes: Any) -> dict[str, Any]:
    """A citizen's request as a careful person fills it in; a change of None leaves a field out."""
    form: dict[str, Any] = {
        "asked_by": "person",
        "given_name": "Amina",
        "family_name": "Okafor",
        "dob_day": str(BORN.day),
        "dob_month": str(BORN.month),
        "dob_year": str(BORN.year),
        "address_line_1": "12 Canal Street",
        "address_line_2": "",
        "address_town": "Upstream",
        "postcode": "up7 4nb",
        "what_matters": "I have fallen behind on the rent and the bills keep coming.",
        "needs": ["financial-help", "sustaining-tenancy"],
        "urgency": "soon",
        "preferred_contact": "phone",
        "contact_detail": "07700 900982",
        "language": "English",
        "accessibility_needs": "",
        "consent": "yes",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def referral_form(**changes: Any) -> dict[str, Any]:
    """A partner professional's referral of someone who agreed in writing."""
    form = citizen_form(asked_by=None, consent=None)
    form.update(
        {
            "asker_name": "Hannah Reid",
            "asker_relationship": "Health visitor",
            "what_matters": "Mum of two, struggling with debt since her partner left.",
            "agreed": "yes",
            "consent_method": "written",
        }
    )
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def create_organisation(name: str = "Riverside Family Hub") -> Any:
    from upstream.directory.models import Organization

    return Organization.objects.create(name=name, description="A family hub.")


def partner_professional(organisation: Any, **fields: Any) -> tuple[Any, Client]:
    """A partner professional's account, tied to their organisation, signed in."""
    from upstream.frontdoor.models import PartnerAccount

    fields.setdefault("first_name", "Hannah")
    fields.setdefault("last_name", "Reid")
    user = create_user(role=Role.PARTNER_PROFESSIONAL, **fields)
    PartnerAccount.objects.create(user=user, organisation=organisation)
    return user, client_for(user)


def take(
    *,
    citizen: Any = None,
    organisation: Any = None,
    by: Any = None,
    given_name: str = "Amina",
    family_name: str = "Okafor",
    born: date | None = BORN,
    needs: tuple[str, ...] = ("financial-help",),
) -> Any:
    """A request taken through the domain (web, or a partner's referral when `organisation`)."""
    from upstream.frontdoor.intake import Ask, Identity, take_request
    from upstream.governance.audit import Actor

    channel = "partner" if organisation is not None else "web"
    ask = Ask(
        channel=channel,
        place="partner_office" if organisation is not None else "online",
        what_matters="Help with money, please.",
        needs=needs,
        preferred_contact="phone",
        contact_detail="07700 900982",
        asked_by="professional" if organisation is not None else "person",
        asker_name="Hannah Reid" if organisation is not None else "",
        asker_organisation=organisation.name if organisation is not None else "",
    )
    identity = Identity(given_name=given_name, family_name=family_name, date_of_birth=born)
    return take_request(
        Actor("test"),
        ask,
        by=by,
        identity=identity,
        citizen=citizen,
        referring_organisation_id=str(organisation.pk) if organisation is not None else None,
    ).request


def connect(request: Any, service: Any, *, consent: bool = True) -> Any:
    """An officer connects the person to a service, with consent to share recorded first."""
    from upstream.frontdoor.connecting import connect as send
    from upstream.frontdoor.consent import CATEGORIES, CONNECT_TO_HELP, Asked, record_consent
    from upstream.governance.audit import Actor

    officer = create_user(role=Role.FRONT_DOOR_OFFICER)
    if consent:
        asked = Asked(CONNECT_TO_HELP, tuple(CATEGORIES), types=("any_directory",))
        record_consent(Actor(officer.username), request, asked)
    return send(Actor(officer.username), officer, request, service, "Needs debt advice soon.")


def answer(connection: Any, status: str, **fields: Any) -> Any:
    from upstream.frontdoor.connecting import Answer
    from upstream.frontdoor.connecting import answer as reply
    from upstream.governance.audit import Actor

    provider = create_user(role=Role.SERVICE_PROVIDER)
    return reply(Actor(provider.username), provider, connection, Answer(status=status, **fields))
