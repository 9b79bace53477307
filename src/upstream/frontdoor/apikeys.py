"""Partner organisations' API keys: made once, shown once, kept only as a hash.

A key reads `ufd_<prefix>_<secret>`: the prefix (8 characters) names the key in lists, logs and
`upstream frontdoor api-key --revoke`, and finds its row; the secret is 256 random bits
(`secrets.token_urlsafe(32)`). Only the SHA-256 of the whole key is kept: a key this random
cannot be guessed from its hash, so a slow password hash would only slow every API call (the
reasoning of GitHub's and Stripe's token schemes, which store a fast hash of a random token).
Comparing hashes takes the same time whatever matches (`hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass

from django.utils import timezone

from upstream.directory.models import Organization
from upstream.errors import InputError, NotFound
from upstream.frontdoor.models import ApiKey
from upstream.governance.audit import Actor, Event, record

SCHEME = "ufd"  # Upstream front door: says what a leaked key is for when someone finds one
PREFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over the phone
PREFIX_LENGTH = 8
KEY_SHAPE = re.compile(
    rf"^{SCHEME}_([{PREFIX_ALPHABET}]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{43}})$"
)
MAX_NAME = 100


@dataclass(frozen=True)
class Issued:
    """A new key: the row, and the key itself (shown once, never kept)."""

    api_key: ApiKey
    key: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def find_organisation(name_or_id: str) -> Organization:
    """A directory organisation by its ID or its exact name (any case); refuses an ambiguous
    name, naming how many organisations have it."""
    wanted = name_or_id.strip()
    if not wanted:
        raise InputError("give the organisation's name or ID", where="--organisation")
    try:
        by_id = Organization.objects.filter(pk=uuid.UUID(wanted)).first()
    except ValueError:
        by_id = None
    if by_id is not None:
        return by_id
    named = list(Organization.objects.filter(name__iexact=wanted)[:3])
    if not named:
        raise InputError(
            f"no organisation in the directory is called {wanted!r}", where="--organisation"
        )
    if len(named) > 1:
        raise InputError(
            f"more than one organisation is called {wanted!r}; give its ID", where="--organisation"
        )
    return named[0]


def issue_key(actor: Actor, organisation: Organization, name: str) -> Issued:
    """A new key for the organisation, labelled `name` (which system uses it)."""
    label = name.strip()
    if not label:
        raise InputError("give the key a name (which system will use it)", where="--name")
    if len(label) > MAX_NAME:
        raise InputError(f"the name must be {MAX_NAME} characters or fewer", where="--name")
    prefix = _new_prefix()
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        organisation=organisation,
        name=label,
        prefix=prefix,
        key_hash=key_hash(key),
        created_at=timezone.now(),
    )
    _audit(actor, "frontdoor.api-key.issue", api_key)
    return Issued(api_key, key)


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix


def revoke_key(actor: Actor, prefix: str) -> ApiKey:
    """Revoke the key with this prefix (the `ufd_…_` part or the 8 characters alone)."""
    wanted = prefix.strip().removeprefix(f"{SCHEME}_").split("_")[0]
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=wanted).first()
    if api_key is None:
        raise NotFound(f"no API key has the prefix {wanted!r}", where="--revoke")
    if api_key.revoked_at is not None:
        raise InputError(
            f"the key {wanted} was already revoked on {api_key.revoked_at:%d %B %Y}",
            where="--revoke",
        )
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    _audit(actor, "frontdoor.api-key.revoke", api_key)
    return api_key


def _audit(actor: Actor, action: str, api_key: ApiKey) -> None:
    record(
        actor,
        Event(
            action=action,
            detail={
                "organisation": str(api_key.organisation_id),
                "prefix": api_key.prefix,
                "name": api_key.name,
            },
        ),
    )


def authenticate(key: str) -> ApiKey | None:
    """The live key this is, or None (malformed, unknown, revoked or wrong secret: an API
    answers all of them the same way, so a caller learns nothing about which keys exist)."""
    shape = KEY_SHAPE.match(key.strip())
    if shape is None:
        return None
    api_key = (
        ApiKey.objects.select_related("organisation")
        .filter(prefix=shape.group(1), revoked_at__isnull=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash(key.strip())):
        return None
    return api_key
