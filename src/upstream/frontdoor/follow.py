"""Following a request from outside the council: where it is and what the services said, in
plain words, for the person who asked (`YOU`) or the professional who referred them (`THEM`).

Only what the person or referrer should know is here: the status, the services they were
connected to and their answers. Never the triage rule, an override reason, the team's or the
provider's notes, safeguarding, or anything from the person's agency records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from upstream.frontdoor.intake import known_needs
from upstream.frontdoor.models import (
    Connection,
    ConnectionStatus,
    DeclineReason,
    Request,
    RequestStatus,
)
from upstream.people.models import Person

YOU = "you"
THEM = "them"

# (tag colour, the status as a tag, what it means) for the person themselves and for a referrer.
STATUS_WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    YOU: {
        RequestStatus.AWAITING_TRIAGE: (
            "blue",
            "Received",
            "Our front-door team has your request. They will look at it and get in touch.",
        ),
        RequestStatus.WAITING_LIST: (
            "purple",
            "With a team",
            "We have asked a team to work with you. You are on their list and they will get in touch.",
        ),
        RequestStatus.HANDED_OVER: (
            "purple",
            "With a specialist service",
            "We have passed your request to a specialist service, with what you told us, so you "
            "do not have to say it again. They will get in touch.",
        ),
        RequestStatus.CONNECTED: (
            "green",
            "Put in touch with help",
            "We have put you in touch with a service that can help. What they said is below.",
        ),
        RequestStatus.CLOSED: (
            "grey",
            "Closed",
            "We have finished working on this request. If you still need help, ask again.",
        ),
    },
    THEM: {
        RequestStatus.AWAITING_TRIAGE: (
            "blue",
            "Received",
            "The front-door team has the referral and will look at it.",
        ),
        RequestStatus.WAITING_LIST: (
            "purple",
            "With a team",
            "A council team will work with the person: they are on the team's list.",
        ),
        RequestStatus.HANDED_OVER: (
            "purple",
            "With a specialist service",
            "Passed to a specialist service with the referral, so nobody asks again.",
        ),
        RequestStatus.CONNECTED: (
            "green",
            "Put in touch with help",
            "The person has been put in touch with a service. Its answer is below.",
        ),
        RequestStatus.CLOSED: (
            "grey",
            "Closed",
            "The front door has finished working on this referral.",
        ),
    },
}

# Why a service could not help, said to the person or to the referrer.
DECLINED_BECAUSE: dict[str, dict[str, str]] = {
    YOU: {
        DeclineReason.NO_CAPACITY: "they have no space at the moment",
        DeclineReason.NOT_ELIGIBLE: "the service is not for people in your situation",
        DeclineReason.COULD_NOT_CONTACT: "they could not reach you",
        DeclineReason.PERSON_DECLINED: "you told them you did not want their help",
        DeclineReason.WRONG_SERVICE: "it was not the right service for what you need",
    },
    THEM: {
        DeclineReason.NO_CAPACITY: "no capacity at the moment",
        DeclineReason.NOT_ELIGIBLE: "the person is not eligible",
        DeclineReason.COULD_NOT_CONTACT: "they could not contact the person",
        DeclineReason.PERSON_DECLINED: "the person declined",
        DeclineReason.WRONG_SERVICE: "not the right service",
    },
}


@dataclass(frozen=True)
class Status:
    colour: str
    tag: str
    meaning: str


@dataclass(frozen=True)
class ServiceAnswer:
    """One connection as the person or referrer sees it."""

    service: str
    organisation: str
    sent_at: datetime
    colour: str
    tag: str
    said: str


def status_of(request: Request, audience: str) -> Status:
    colour, tag, meaning = STATUS_WORDS[audience][request.status]
    return Status(colour, tag, meaning)


def answers(request: Request, audience: str) -> list[ServiceAnswer]:
    """The services the person was connected to, oldest first, with each one's answer."""
    sent = request.connections.select_related("service", "organisation").order_by("sent_at")
    return [_answer(c, audience) for c in sent]


def _answer(connection: Connection, audience: str) -> ServiceAnswer:
    colour, tag, said = _said(connection, audience)
    return ServiceAnswer(
        service=connection.service.name,
        organisation=connection.organisation.name,
        sent_at=connection.sent_at,
        colour=colour,
        tag=tag,
        said=said,
    )


def _said(connection: Connection, audience: str) -> tuple[str, str, str]:
    person = "you" if audience == YOU else "the person"
    if connection.status == ConnectionStatus.ACCEPTED:
        return "green", "Accepted", f"They have agreed to help and will contact {person}."
    if connection.status == ConnectionStatus.DECLINED:
        why = DECLINED_BECAUSE[audience].get(connection.decline_reason, "")
        return (
            "red",
            "Could not help",
            f"They could not help: {why}." if why else "They could not help.",
        )
    if connection.status == ConnectionStatus.COMPLETED:
        helped = {True: " and say it helped", False: " and say it did not help"}
        return "grey", "Finished", f"They have finished{helped.get(connection.helped, '')}."  # type: ignore[arg-type]
    return (
        "blue",
        "Waiting for an answer",
        "We have asked them to help and are waiting for their answer.",
    )


def name_of(request: Request, people: dict[str, Person] | None = None) -> str:
    """The person's name as given with the request, or the linked person's."""
    if request.provisional is not None:
        return f"{request.provisional.given_name} {request.provisional.family_name}"
    person = (people or {}).get(request.person_id) or (
        Person.objects.filter(person_id=request.person_id).first() if request.person_id else None
    )
    return f"{person.given_name} {person.family_name}" if person else ""


def need_names(request: Request) -> list[str]:
    names = known_needs()
    return [names.get(slug, slug) for slug in request.needs]
