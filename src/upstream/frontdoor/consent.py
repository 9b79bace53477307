"""Consent to share, shaped after ISO/IEC TS 27560 (as OpenSPP records it): a purpose, the data
categories, the recipients (named organisations or organisation types), and a state that moves
requested → given | refused → withdrawn | expired, each change an immutable `ConsentEvent` saying
who recorded it and how. Checked at the moment of sharing: a connection shares only the
categories a consent in force covers for that recipient and purpose.

Where consent is not the lawful basis, the record says which is: a safeguarding concern is
shared under UK GDPR Art 6(1)(e) and Art 9(2)(g) with the Data Protection Act 2018 Sch 1 para 18
(safeguarding of children and of individuals at risk), not consent (ICO guidance on data
sharing in safeguarding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from upstream.errors import InvalidFields
from upstream.frontdoor.models import Consent, ConsentEvent, ConsentMethod, ConsentState, Request
from upstream.governance.audit import Actor, Event, record

CONNECT_TO_HELP = "connect_to_help"
PURPOSES = {
    CONNECT_TO_HELP: "Connecting you to services that can help",
    "team_around": "Sharing with the team around you or your family",
}
# What a connection can share, and what each category holds (the request's fields).
CATEGORIES = {
    "contact": "Name and how to contact them",
    "what_matters": "What matters to them, in their words",
    "needs": "What they need help with",
    "access": "Language and accessibility needs",
    "date_of_birth": "Date of birth",
}
RECIPIENT_TYPES = {
    "voluntary": "Voluntary and community organisations",
    "council": "Council services",
    "nhs": "NHS services",
    "any_directory": "Any service in the directory",
}
# Consent to be connected lasts 12 months unless withdrawn: long enough for a connection's
# answer and follow-up, short enough to be asked again at the next request.
CONSENT_LASTS = timedelta(days=365)
SAFEGUARDING_BASIS = (
    "Not consent: UK GDPR Article 6(1)(e) public task and Article 9(2)(g) substantial public "
    "interest, Data Protection Act 2018 Schedule 1 paragraph 18 (safeguarding of children and "
    "of individuals at risk)."
)
MOVES = {
    ConsentState.REQUESTED: {ConsentState.GIVEN, ConsentState.REFUSED},
    ConsentState.GIVEN: {ConsentState.WITHDRAWN, ConsentState.EXPIRED},
    ConsentState.REFUSED: {ConsentState.GIVEN},
    ConsentState.WITHDRAWN: set(),
    ConsentState.EXPIRED: set(),
}


@dataclass(frozen=True)
class Asked:
    purpose: str
    categories: tuple[str, ...]
    organisations: tuple[str, ...] = ()  # directory organisation UUIDs
    types: tuple[str, ...] = ()
    state: str = ConsentState.GIVEN
    method: str = ConsentMethod.VERBAL
    note: str = ""


def check_asked(asked: Asked) -> dict[str, str]:
    problems: dict[str, str] = {}
    if asked.purpose not in PURPOSES:
        problems["purpose"] = "Choose what the consent is for"
    if not asked.categories:
        problems["categories"] = "Choose what may be shared"
    elif unknown := [c for c in asked.categories if c not in CATEGORIES]:
        problems["categories"] = f"Unknown category: {', '.join(unknown)}"
    if not asked.organisations and not asked.types:
        problems["recipients"] = "Choose who it may be shared with"
    if unknown := [t for t in asked.types if t not in RECIPIENT_TYPES]:
        problems["recipients"] = f"Unknown kind of recipient: {', '.join(unknown)}"
    if asked.state not in {ConsentState.REQUESTED, ConsentState.GIVEN, ConsentState.REFUSED}:
        problems["state"] = "Choose whether consent was asked, given or refused"
    if asked.method not in ConsentMethod.values:
        problems["method"] = "Choose how consent was recorded"
    return problems


def record_consent(actor: Actor, request: Request, asked: Asked) -> Consent:
    problems = check_asked(asked)
    if problems:
        raise InvalidFields(problems)
    now = timezone.now()
    with transaction.atomic():
        consent = Consent.objects.create(
            request=request,
            person_id=request.person_id,
            purpose=asked.purpose,
            data_categories=list(dict.fromkeys(asked.categories)),
            recipient_organisations=list(dict.fromkeys(asked.organisations)),
            recipient_types=list(dict.fromkeys(asked.types)),
            state=asked.state,
            given_at=now if asked.state == ConsentState.GIVEN else None,
            expires_at=now + CONSENT_LASTS if asked.state == ConsentState.GIVEN else None,
            created_at=now,
        )
        _event(actor, consent, asked.state, asked.method, asked.note, now)
    return consent


def change_consent(actor: Actor, consent: Consent, state: str, method: str, note: str = "") -> None:
    """Move a consent on (given, refused, withdrawn): a new event, never an edit of one."""
    allowed = MOVES.get(ConsentState(consent.state), set()) if consent.state else set()
    if state not in allowed:
        raise InvalidFields({"state": f"Consent that is {consent.state} cannot become {state}"})
    if method not in ConsentMethod.values:
        raise InvalidFields({"method": "Choose how consent was recorded"})
    now = timezone.now()
    with transaction.atomic():
        consent.state = state
        if state == ConsentState.GIVEN:
            consent.given_at, consent.expires_at = now, now + CONSENT_LASTS
        consent.save(update_fields=["state", "given_at", "expires_at"])
        _event(actor, consent, state, method, note, now)


def _event(
    actor: Actor, consent: Consent, state: str, method: str, note: str, at: datetime
) -> None:
    ConsentEvent.objects.create(
        consent=consent,
        state=state,
        method=method,
        at=at,
        recorded_by=actor.username,
        note=note.strip()[:2000],
    )
    record(
        actor,
        Event(
            action="frontdoor.consent",
            person=consent.person_id,
            detail={"request": consent.request.reference, "consent": consent.pk, "state": state},
        ),
    )


def expire_lapsed(actor: Actor, now: datetime | None = None) -> int:
    """Given consents past their expiry become expired (an event each)."""
    now = now or timezone.now()
    lapsed = Consent.objects.filter(state=ConsentState.GIVEN, expires_at__lte=now)
    count = 0
    for consent in lapsed:
        change_consent(actor, consent, ConsentState.EXPIRED, ConsentMethod.VERBAL, "Expired")
        count += 1
    return count


@dataclass(frozen=True)
class Cover:
    """What may be shared with one recipient for one purpose, and why (or why not)."""

    consent: Consent | None
    categories: tuple[str, ...]
    why: str

    @property
    def allowed(self) -> bool:
        return self.consent is not None and bool(self.categories)


def cover_for(
    request: Request, organisation_id: str, organisation_type: str, purpose: str
) -> Cover:
    """The consent in force that covers this recipient for this purpose, checked now."""
    now = timezone.now()
    consents = list(request.consents.filter(purpose=purpose).order_by("-created_at"))
    for consent in consents:
        if not _names(consent, organisation_id, organisation_type):
            continue
        if consent.state == ConsentState.GIVEN and consent.expires_at and consent.expires_at > now:
            return Cover(consent, tuple(consent.data_categories), "Consent given")
        return Cover(None, (), _not_shared_because(consent))
    if not consents:
        return Cover(None, (), "No consent to share has been recorded for this purpose.")
    return Cover(None, (), "The consent recorded does not name this organisation or its kind.")


def _names(consent: Consent, organisation_id: str, organisation_type: str) -> bool:
    types = set(consent.recipient_types)
    return (
        organisation_id in consent.recipient_organisations
        or organisation_type in types
        or "any_directory" in types
    )


def _not_shared_because(consent: Consent) -> str:
    if consent.state == ConsentState.REFUSED:
        return "The person refused consent to share with this organisation, so nothing is shared."
    if consent.state == ConsentState.WITHDRAWN:
        return "The person withdrew their consent, so nothing is shared."
    if consent.state == ConsentState.REQUESTED:
        return "Consent has been asked for but not given yet, so nothing is shared."
    return "The consent has expired, so nothing is shared. Ask the person again."


def organisation_kind(name: str) -> str:
    """The kind of recipient an organisation is. Open Referral UK v3 has no organisation type,
    so the name decides (a council or an NHS body names itself so); everything else in the
    directory is a voluntary or community organisation."""
    if "council" in name.lower():
        return "council"
    if "nhs" in name.lower().split() or " NHS " in f" {name} ":
        return "nhs"
    return "voluntary"
