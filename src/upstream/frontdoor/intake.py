"""Taking a request for help, whatever the channel: checked whole (nothing saved half-way),
joined to an open request for the same person and need instead of duplicating it, marked as a
repeat when the person asked within 12 months, and kept with the identity as given when the
person is not known yet (a provisional person, matched by the next linkage run).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from django.db import transaction
from django.utils import timezone

from upstream.accounts.models import User
from upstream.directory.taxonomy import AREAS, all_items
from upstream.errors import InvalidFields
from upstream.frontdoor.models import (
    OPEN_STATUSES,
    AskedBy,
    Channel,
    ContactMethod,
    Place,
    ProvisionalPerson,
    Request,
    RequestContact,
    Urgency,
)
from upstream.governance.audit import Actor, Event, record

# A repeat request is one within 12 months of an earlier one (issue 12: "a measure"; the
# Three Conversations evaluations count repeat contacts over a year).
REPEAT_WINDOW = timedelta(days=365)
MAX_TEXT = 4000
MAX_NEEDS = 12
# The longest each short field may be: the columns of frontdoor.models.Request.
FIELD_LIMITS = {
    "contact_detail": 200,
    "language": 60,
    "asker_name": 200,
    "asker_relationship": 100,
    "asker_organisation": 300,
    "proactive_reason": 300,
}
OFFICER_CHANNELS = {Channel.PHONE, Channel.FACE_TO_FACE, Channel.PROACTIVE}


@cache
def known_needs() -> dict[str, str]:
    """Every need a request may name: the directory taxonomy's items and areas, by slug (built
    once: the taxonomy is code, and lists call this for every row)."""
    needs = {item.slug: item.plain_name for _, item in all_items()}
    needs.update({area.slug: area.plain_name for area in AREAS})
    return needs


@dataclass(frozen=True)
class Identity:
    """Who the request is for, as given (for someone not found in Find a person)."""

    given_name: str
    family_name: str
    date_of_birth: date | None = None
    sex: str = ""
    address: str = ""
    postcode: str = ""
    identifier_type: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class Ask:
    """What was asked, however it arrived."""

    channel: str
    what_matters: str
    needs: tuple[str, ...]
    preferred_contact: str
    asked_by: str = AskedBy.PERSON
    place: str = ""
    urgency: str = Urgency.ROUTINE
    contact_detail: str = ""
    language: str = "English"
    accessibility_needs: str = ""
    asker_name: str = ""
    asker_relationship: str = ""
    asker_organisation: str = ""
    proactive_reason: str = ""
    received_at: datetime | None = None


@dataclass
class Taken:
    request: Request
    joined: bool  # added to an open request for the same person and need
    repeat: bool
    problems: dict[str, str] = field(default_factory=dict)


def check_ask(ask: Ask) -> dict[str, str]:
    """Every problem with what was asked, by field (empty when it can be saved)."""
    problems: dict[str, str] = {}
    if ask.channel not in Channel.values:
        problems["channel"] = "Choose how the request arrived"
    if ask.place and ask.place not in Place.values:
        problems["place"] = "Choose where the request was taken"
    if ask.channel in {Channel.PHONE, Channel.FACE_TO_FACE} and not ask.place:
        problems["place"] = "Choose where the request was taken"
    if not ask.what_matters.strip():
        problems["what_matters"] = "Enter what matters to the person, in their words"
    elif len(ask.what_matters) > MAX_TEXT:
        problems["what_matters"] = f"What matters must be {MAX_TEXT:,} characters or fewer"
    problems.update(_check_needs(ask.needs))
    if ask.urgency not in Urgency.values:
        problems["urgency"] = "Choose how urgent it is"
    if ask.preferred_contact not in ContactMethod.values:
        problems["preferred_contact"] = "Choose how the person would like to be contacted"
    elif ask.preferred_contact != ContactMethod.IN_PERSON and not ask.contact_detail.strip():
        problems["contact_detail"] = "Enter the phone number, email or address to contact them on"
    if ask.asked_by not in AskedBy.values:
        problems["asked_by"] = "Choose who asked"
    elif ask.asked_by != AskedBy.PERSON and not ask.asker_name.strip():
        problems["asker_name"] = "Enter the name of the person who asked"
    if ask.asked_by == AskedBy.PROFESSIONAL and not ask.asker_organisation.strip():
        problems["asker_organisation"] = "Enter the professional's organisation"
    if ask.channel == Channel.PROACTIVE and not ask.proactive_reason.strip():
        problems["proactive_reason"] = "Say which flag or cohort you acted on"
    for name, limit in FIELD_LIMITS.items():
        if len(getattr(ask, name)) > limit:
            problems[name] = f"Must be {limit} characters or fewer"
    if len(ask.accessibility_needs) > MAX_TEXT:
        problems["accessibility_needs"] = f"Must be {MAX_TEXT:,} characters or fewer"
    return problems


def _check_needs(needs: tuple[str, ...]) -> dict[str, str]:
    if not needs:
        return {"needs": "Choose at least one thing the person needs help with"}
    if len(needs) > MAX_NEEDS:
        return {"needs": f"Choose {MAX_NEEDS} needs or fewer"}
    unknown = [n for n in needs if n not in known_needs()]
    if unknown:
        return {"needs": f"Unknown need: {', '.join(unknown[:3])}"}
    return {}


def check_identity(identity: Identity | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if identity is None:
        return {"person": "Find the person, or enter who they are"}
    if not identity.given_name.strip():
        problems["given_name"] = "Enter the person's first name"
    if not identity.family_name.strip():
        problems["family_name"] = "Enter the person's last name"
    if identity.date_of_birth and identity.date_of_birth > timezone.localdate():
        problems["date_of_birth"] = "Date of birth must be in the past"
    if identity.sex and identity.sex not in {"F", "M"}:
        problems["sex"] = "Sex must be F, M or left blank"
    for name, limit in (("given_name", 100), ("family_name", 100), ("address", 300)):
        if len(getattr(identity, name)) > limit:
            problems[name] = f"Must be {limit} characters or fewer"
    if len(identity.postcode) > 10:
        problems["postcode"] = "Enter a postcode of 10 characters or fewer"
    if len(identity.identifier) > 40 or len(identity.identifier_type) > 40:
        problems["identifier"] = "Identifiers are 40 characters or fewer"
    return problems


def new_reference(prefix: str, model: type[Request] | type[ProvisionalPerson]) -> str:
    """A reference a person can read out on the phone: no 0/O or 1/I (8 characters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        ref = prefix + "".join(secrets.choice(alphabet) for _ in range(8))
        if not model.objects.filter(reference=ref).exists():
            return ref


def take_request(
    actor: Actor,
    ask: Ask,
    *,
    by: User | None,
    person_id: str = "",
    identity: Identity | None = None,
    citizen: User | None = None,
    referring_organisation_id: str | None = None,
) -> Taken:
    """Record a request (or join it to an open one for the same person and need). Raises
    `InvalidFields` with every problem; nothing is saved unless everything can be."""
    problems = check_ask(ask)
    if not person_id:
        problems.update(check_identity(identity))
    if problems:
        raise InvalidFields(problems)
    now = ask.received_at or timezone.now()
    with transaction.atomic():
        if person_id:
            open_one = _open_request_for(person_id, ask.needs)
            if open_one is not None:
                _join(actor, open_one, ask, by=by, at=now)
                return Taken(open_one, joined=True, repeat=open_one.repeat_of_id is not None)
        provisional = None if person_id else _provisional(identity, now)  # type: ignore[arg-type]
        earlier = _earlier_request(person_id, now) if person_id else None
        request = Request.objects.create(
            reference=new_reference("R-", Request),
            person_id=person_id,
            provisional=provisional,
            received_at=now,
            recorded_by=by,
            citizen=citizen,
            referring_organisation_id=referring_organisation_id,
            repeat_of=earlier,
            **_ask_fields(ask),
        )
        record(
            actor,
            Event(
                action="frontdoor.request.take",
                person=person_id,
                detail={
                    "request": request.reference,
                    "channel": ask.channel,
                    "provisional": provisional.reference if provisional else "",
                    "repeat": earlier is not None,
                },
            ),
        )
    return Taken(request, joined=False, repeat=earlier is not None)


def _ask_fields(ask: Ask) -> dict[str, object]:
    return {
        "channel": ask.channel,
        "place": ask.place,
        "asked_by": ask.asked_by,
        "asker_name": ask.asker_name.strip(),
        "asker_relationship": ask.asker_relationship.strip(),
        "asker_organisation": ask.asker_organisation.strip(),
        "proactive_reason": ask.proactive_reason.strip(),
        "what_matters": ask.what_matters.strip(),
        "needs": list(dict.fromkeys(ask.needs)),
        "urgency": ask.urgency,
        "preferred_contact": ask.preferred_contact,
        "contact_detail": ask.contact_detail.strip(),
        "language": ask.language.strip() or "English",
        "accessibility_needs": ask.accessibility_needs.strip(),
    }


def _open_request_for(person_id: str, needs: tuple[str, ...]) -> Request | None:
    """An open request for the same person that shares a need: joined, not duplicated."""
    for request in Request.objects.filter(person_id=person_id, status__in=OPEN_STATUSES):
        if set(request.needs) & set(needs):
            return request
    return None


def _earlier_request(person_id: str, now: datetime) -> Request | None:
    return (
        Request.objects.filter(person_id=person_id, received_at__gte=now - REPEAT_WINDOW)
        .order_by("-received_at")
        .first()
    )


def _join(actor: Actor, request: Request, ask: Ask, *, by: User | None, at: datetime) -> None:
    RequestContact.objects.create(
        request=request,
        channel=ask.channel,
        place=ask.place,
        at=at,
        recorded_by=by,
        what_matters=ask.what_matters.strip(),
        needs=list(ask.needs),
    )
    added = [n for n in ask.needs if n not in request.needs]
    if added:
        request.needs = [*request.needs, *added]
        request.save(update_fields=["needs"])
    record(
        actor,
        Event(
            action="frontdoor.request.join",
            person=request.person_id,
            detail={"request": request.reference, "channel": ask.channel},
        ),
    )


def _provisional(identity: Identity, now: datetime) -> ProvisionalPerson:
    return ProvisionalPerson.objects.create(
        reference=new_reference("PP-", ProvisionalPerson),
        given_name=identity.given_name.strip(),
        family_name=identity.family_name.strip(),
        date_of_birth=identity.date_of_birth,
        sex=identity.sex,
        address=identity.address.strip(),
        postcode=identity.postcode.strip().upper(),
        identifier_type=identity.identifier_type.strip(),
        identifier=identity.identifier.strip(),
        recorded_at=now,
    )
