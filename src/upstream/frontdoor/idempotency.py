"""`Idempotency-Key`: a POST a partner retries (after a timeout, a dropped connection) is done
once, and the retry gets the first answer again.

After the IETF draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-
key-header): the key is the client's, unique per organisation; the same key with the same
request replays the stored answer (marked `Idempotent-Replayed: true`, as Stripe and the draft's
examples do); the same key with a different request is refused with 422, since the server
cannot know which the client meant. Only successful answers are kept: a refused request did
nothing, so retrying it (corrected or not) is safe without a stored answer.

The operation and the stored answer are written in one transaction, so two retries racing
each other cannot both act: the second one's insert of the answer breaks the unique
constraint, its work is rolled back, and it replays the first one's answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from upstream.directory.models import Organization
from upstream.errors import InputError
from upstream.frontdoor.models import IdempotentResponse

MAX_KEY = 200  # IdempotentResponse.key
KEY_USED_ELSEWHERE = (
    "This Idempotency-Key was sent before with a different request. Use a new key for a new "
    "request."
)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def body_hash(path: str, body: Any) -> str:
    """The request as the server understood it (path and parsed body, keys sorted), so the
    same JSON sent with other spacing or key order is the same request."""
    text = json.dumps([path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def once(
    organisation: Organization,
    key: str | None,
    path: str,
    body: Any,
    act: Callable[[], Answer],
) -> Answer:
    """Do `act` once per key: the first time, or replay its answer. Without a key, just do it."""
    if not key:
        return act()
    fingerprint = body_hash(path, body)
    stored = _stored(organisation, key, fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            answer = act()
            IdempotentResponse.objects.create(
                organisation=organisation,
                key=key,
                path=path[:300],
                body_hash=fingerprint,
                status=answer.status,
                response=answer.body,
                at=timezone.now(),
            )
    except IntegrityError:
        # A retry raced this one and stored its answer first; this one's work was undone.
        stored = _stored(organisation, key, fingerprint)
        if stored is None:
            raise
        return stored
    return answer


def _stored(organisation: Organization, key: str, fingerprint: str) -> Answer | None:
    found = IdempotentResponse.objects.filter(organisation=organisation, key=key).first()
    if found is None:
        return None
    if found.body_hash != fingerprint:
        raise InputError(KEY_USED_ELSEWHERE)
    return Answer(found.status, found.response, replayed=True)
