from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role

TEAM = "Early help — North"


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def client_for(user: Any) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


@pytest.fixture
def sign_in():  # type: ignore[no-untyped-def]
    def signed_in(role: Role, **fields: Any) -> tuple[Any, Client]:
        if role in {Role.PRACTITIONER, Role.TEAM_MANAGER}:
            fields.setdefault("team", TEAM)
        user = create_user(role=role, **fields)
        return user, client_for(user)

    return signed_in


@pytest.fixture
def family(db):  # type: ignore[no-untyped-def]
    """A household of three at 12 Canal Street with events across agencies, and a neighbour."""
    from datetime import date

    from tests.casework.factories import (
        create_event,
        create_household,
        create_person,
        create_record,
    )

    mother = create_person(
        given_name="Sarah",
        family_name="Khan",
        date_of_birth=date(1988, 2, 14),
        nhs_number="9434765919",
    )
    son = create_person(given_name="Adam", family_name="Khan", date_of_birth=date(2012, 9, 3))
    partner = create_person(
        given_name="Liam", family_name="Doyle", date_of_birth=date(1986, 11, 20)
    )
    create_record(person=mother, source="housing", source_record_id="HSG-4471")
    home = create_household(members=[mother, son, partner])
    earlier = create_household(
        members=[create_person(given_name="Old", family_name="Tenant")],
        start_date=date(2015, 1, 1),
        end_date=date(2019, 3, 31),
    )
    create_event(
        person=mother, source="housing", on=date(2024, 5, 1), cost="1200.00", household=home
    )
    create_event(
        person=mother,
        source="police",
        on=date(2024, 6, 2),
        description="Domestic abuse incident",
        cost="950.00",
        household=home,
        event_type="DAIN",
    )
    create_event(
        person=mother,
        source="health_ae",
        on=date(2023, 7, 9),
        description="A&E attendance",
        cost="180.00",
        household=home,
        event_type="AENA",
    )
    create_event(
        person=son,
        source="schools",
        on=date(2024, 10, 1),
        description="Persistent absence (term)",
        cost="310.00",
        household=home,
        event_type="PABS",
    )
    neighbour = create_person(given_name="Peter", family_name="Smith", postcode="M14 6ZZ")
    return {
        "mother": mother,
        "son": son,
        "partner": partner,
        "home": home,
        "earlier": earlier,
        "neighbour": neighbour,
    }
