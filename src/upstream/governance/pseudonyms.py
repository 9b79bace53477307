"""Pseudonyms for analysts: a keyed hash of the person's key (HMAC-SHA256 with the deployment's
secret), so analysts can follow one record without seeing who it is, and the same person gets
a different pseudonym in another deployment."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from upstream.governance.models import Pseudonym

PREFIX = "PS-"
HOUSEHOLD_PREFIX = "HS-"


def _keyed(kind: str, key: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{key}".encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()).decode()[:10]


def pseudonym_for(person: str) -> str:
    token = PREFIX + _keyed("person", person)
    Pseudonym.objects.get_or_create(person=person, defaults={"token": token})
    return token


def household_pseudonym_for(household: str) -> str:
    """A household's pseudonym: household IDs are built from the address (UPRN), so analysts
    get this instead. One way only: no page opens a household by pseudonym."""
    return HOUSEHOLD_PREFIX + _keyed("household", household)


def person_for(token: str) -> str | None:
    found = Pseudonym.objects.filter(token=token.strip().upper()).first()
    return found.person if found else None
