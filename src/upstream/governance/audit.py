"""The audit log: append an entry for every read and write of personal data, and verify the
hash chain.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content
(sorted-key JSON of every field but the hash), so changing, removing or reordering any entry
breaks the chain from that point; the chain head (last sequence and hash) finds entries cut
from the end. Appends lock the head row, so concurrent requests never fork the chain.

What the chain cannot find on its own is someone who cuts entries from the end and moves the
head back with them: only a head anchored outside the database finds that (`verify(anchor)`,
`upstream audit checkpoint`; see docs/access-and-audit.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from upstream.errors import AuditUnavailableError as AuditUnavailableError
from upstream.governance.checkpoints import Anchor
from upstream.governance.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_MISSING = (
    "the chain head is missing while entries exist (removed, perhaps with entries from the end)"
)
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor",
    "actor_role",
    "action",
    "outcome",
    "person",
    "household",
    "purpose",
    "reason",
    "people_shown",
    "resource",
    "ip_address",
    "detail",
)


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where: taken from the request, or named for batch jobs."""

    username: str
    role: str = ""
    ip_address: str = ""
    resource: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user
        return cls(
            username=user.get_username() if user.is_authenticated else "anonymous",
            role=getattr(user, "role", "") if user.is_authenticated else "",
            ip_address=client_address(request),
            resource=request.get_full_path()[:300],
        )

    @classmethod
    def for_user(cls, user: Any, request: HttpRequest | None = None) -> Actor:
        """The request's actor when there is a request; else the user named, as in a batch job."""
        if request is not None:
            return cls.from_request(request)
        return cls(user.get_username(), getattr(user, "role", ""))


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # so a deployment behind a proxy sets REMOTE_ADDR from it in the proxy's WSGI config.
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


@dataclass(frozen=True)
class Event:
    """What happened to whose data and why."""

    action: str
    outcome: str = "allowed"
    person: str = ""
    household: str = ""
    purpose: str = ""
    reason: str = ""
    people_shown: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


def canonical(entry: AuditEntry) -> str:
    content: dict[str, Any] = {name: getattr(entry, name) for name in HASHED_FIELDS}
    content["at"] = entry.at.astimezone(UTC).isoformat()
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: AuditEntry) -> str:
    text = entry.previous_hash + "\n" + canonical(entry)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


LOCK_HEAD = (
    "UPDATE governance_auditchainhead SET sequence = sequence WHERE id = 1 RETURNING sequence, hash"
)


def _locked_head() -> tuple[int, str]:
    """The chain head, locked until the transaction ends. A write first, in one round trip: it
    takes PostgreSQL's row lock and SQLite's write lock before we read."""
    with connection.cursor() as cursor:
        cursor.execute(LOCK_HEAD)
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    if AuditEntry.objects.exists():
        # Never start the chain again over old entries: that would hide what removed the head.
        raise AuditUnavailableError(HEAD_MISSING)
    AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS})
    return _locked_head()


def _text(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL text cannot hold NUL; nor should a log


def _without_nul(value: Any) -> Any:
    """NUL characters removed from every string in JSON-shaped data (keys too).

    Done on the data, not on its JSON text: a search for a literal backslash-u-0000 must stay
    as typed, and cutting escapes out of JSON text can leave it unparseable.
    """
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_text(str(k)): _without_nul(v) for k, v in value.items()}
    return value


def record(actor: Actor, event: Event) -> AuditEntry:
    """Append one entry to the chain and return it."""
    actor = Actor(
        *(_text(v) for v in (actor.username, actor.role, actor.ip_address, actor.resource))
    )
    # Person and household are as asked, which may be anything typed into an address or a form:
    # cut to their columns (64), so a refusal of a 300-character "ID" is recorded, not a 500.
    event = Event(
        event.action,
        event.outcome,
        _text(event.person)[:64],
        _text(event.household)[:64],
        event.purpose,
        _text(event.reason),
        event.people_shown,
        event.detail,
    )
    try:
        return _append(actor, event)
    except IntegrityError as error:
        # The head names an entry that already exists: the head was moved back.
        raise AuditUnavailableError(
            f"the chain head does not follow the entries ({error})"
        ) from None


def _append(actor: Actor, event: Event) -> AuditEntry:
    with transaction.atomic():
        head_sequence, head_hash = _locked_head()
        entry = AuditEntry(
            sequence=head_sequence + 1,
            at=timezone.now(),
            actor=actor.username[:150],
            actor_role=actor.role,
            action=event.action,
            outcome=event.outcome,
            person=event.person,
            household=event.household,
            purpose=event.purpose,
            reason=event.reason,
            people_shown=f",{','.join(event.people_shown)}," if event.people_shown else "",
            resource=actor.resource,
            ip_address=actor.ip_address,
            detail=_without_nul(json.loads(json.dumps(event.detail, default=str))),
            previous_hash=head_hash,
        )
        # Hash what the database will give back: microsecond UTC time, JSON-safe detail.
        entry.at = entry.at.astimezone(UTC)
        entry.hash = entry_hash(entry)
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def record_request(request: HttpRequest, event: Event) -> AuditEntry:
    return record(Actor.from_request(request), event)


@dataclass(frozen=True)
class Verification:
    checked: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=5000)


def _first_problem(entry: AuditEntry, expected: int, previous: str) -> str:
    if entry.sequence != expected:
        return f"entry {expected} is missing (the next entry is {entry.sequence})"
    if entry.previous_hash != previous:
        return (
            f"entry {entry.sequence} does not follow entry {expected - 1} (previous hash differs)"
        )
    if entry_hash(entry) != entry.hash:
        return f"entry {entry.sequence} was changed after it was written (its hash does not match its content)"
    return ""


def verify(anchor: Anchor | None = None) -> Verification:
    """Walk the chain from the first entry; report the first broken link, a head that does not
    match the last entry, and (given an anchor written down outside the database) a chain that
    no longer reaches the anchored entry."""
    chain = _walk()
    if not chain.ok:
        return chain
    broken = _head_problem(chain) or (_anchor_problem(chain, anchor) if anchor else None)
    if broken:
        return Verification(chain.checked, chain.head_hash, broken_at=broken[0], problem=broken[1])
    return chain


def _walk() -> Verification:
    previous, expected = GENESIS, 1
    for entry in _entries():
        problem = _first_problem(entry, expected, previous)
        if problem:
            return Verification(expected - 1, previous, broken_at=expected, problem=problem)
        previous, expected = entry.hash, expected + 1
    return Verification(expected - 1, previous)


Broken = tuple[int, str]  # where the chain breaks, and how


def _head_problem(chain: Verification) -> Broken | None:
    last = chain.checked
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return (last + 1, HEAD_MISSING) if last else None
    if head.sequence > last:
        return (
            last + 1,
            f"the chain should end at entry {head.sequence} but ends at entry {last} (entries removed from the end)",
        )
    if (head.sequence, head.hash) != (last, chain.head_hash):
        return (
            head.sequence + 1,
            f"the chain head names entry {head.sequence} but the chain goes on to entry {last} (the head was changed)",
        )
    return None


def _anchor_problem(chain: Verification, anchor: Anchor) -> Broken | None:
    last, written = chain.checked, f" (written down {anchor.at})" if anchor.at else ""
    if anchor.sequence is None:  # a bare hash, as an earlier `verify` printed it
        if anchor.hash == chain.head_hash or AuditEntry.objects.filter(hash=anchor.hash).exists():
            return None
        return (
            last + 1,
            f"no entry has the anchored head hash {anchor.hash}{written}: entries were removed from the end or the chain was rewritten",
        )
    if anchor.sequence > last:
        return (
            last + 1,
            f"the chain ends at entry {last} but entry {anchor.sequence} was anchored{written} (entries removed from the end)",
        )
    entries = AuditEntry.objects.filter(sequence=anchor.sequence)
    found = entries.values_list("hash", flat=True).first() if anchor.sequence else GENESIS
    if found != anchor.hash:
        return (
            anchor.sequence,
            f"entry {anchor.sequence} is not the entry anchored{written}: the chain was rewritten",
        )
    return None


def when(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value else ""
