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


def pseudonym_for(person: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"person:{person}".encode(), hashlib.sha256
    ).digest()
    token = PREFIX + base64.b32encode(digest).decode()[:10]
    Pseudonym.objects.get_or_create(person=person, defaults={"token": token})
    return token


def person_for(token: str) -> str | None:
    found = Pseudonym.objects.filter(token=token.strip().upper()).first()
    return found.person if found else None
