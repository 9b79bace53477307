"""A citizen claims a request so they can follow it: the reference they were given and the date
of birth given with the request must both match.

Someone who asked on the web without signing in (or whose request was taken by phone) has a
reference; signing in and claiming it ties the request to their account (`Request.citizen`),
and from then on `access.visible_requests` shows it to them. A wrong answer says nothing about
which part was wrong, or whether the reference exists at all, and every try is audited. The
audit log is also what counts the failures: five in an hour and the account must wait (OWASP
Authentication Cheat Sheet, "Protect against automated attacks": a threshold over a window, per
account; the same five as the sign-in throttle, `governance.throttle`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from upstream.accounts.models import User
from upstream.errors import InputError
from upstream.frontdoor.models import Request
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import AuditEntry
from upstream.people.models import Person

CLAIM = "frontdoor.request.claim"
MAX_FAILED_CLAIMS = 5
CLAIM_WINDOW = timedelta(hours=1)
NO_MATCH = (
    "We could not find a request with that reference and date of birth. Check both and try again."
)
TOO_MANY = (
    "You have tried too many times. Wait an hour and try again, or call the council's front "
    "door and we will help you."
)
REFERENCE = re.compile(r"^R-[A-Z0-9]{8}$")


class ClaimRefusedError(InputError):
    """The reference and date of birth do not match a request this account may claim."""


def normalise_reference(text: str) -> str:
    """'r-abcd 2345', 'R ABCD2345' and 'rabcd2345' all become 'R-ABCD2345'."""
    compact = re.sub(r"[\s-]+", "", text).upper()
    return f"R-{compact[1:]}" if compact.startswith("R") else compact


def failed_claims(user: User) -> int:
    """This account's failed claims in the last hour, counted from the audit log."""
    return AuditEntry.objects.filter(
        actor=user.get_username(),
        action=CLAIM,
        outcome="denied",
        at__gte=timezone.now() - CLAIM_WINDOW,
    ).count()


def claim_request(actor: Actor, user: User, reference: str, born: date) -> Request:
    """Tie the request to this citizen's account. Raises `ClaimRefusedError` with the same
    message whatever did not match (audited), or when there have been too many tries."""
    if failed_claims(user) >= MAX_FAILED_CLAIMS:
        _refused(actor, "too many failed claims")
        raise ClaimRefusedError(TOO_MANY, where="reference")
    wanted = normalise_reference(reference)
    request = _claimable(wanted, user, born) if REFERENCE.match(wanted) else None
    if request is None:
        _refused(actor, "no match")
        raise ClaimRefusedError(NO_MATCH, where="reference")
    with transaction.atomic():
        request.citizen = user
        request.save(update_fields=["citizen"])
        record(
            actor,
            Event(action=CLAIM, person=request.person_id, detail={"request": request.reference}),
        )
    return request


def _claimable(reference: str, user: User, born: date) -> Request | None:
    request = Request.objects.select_related("provisional").filter(reference=reference).first()
    if request is None or request.citizen_id not in (None, user.pk):
        return None
    return request if _date_of_birth(request) == born else None


def _date_of_birth(request: Request) -> date | None:
    """The date of birth given with the request, or the linked person's when it was taken for
    someone already known."""
    if request.provisional is not None and request.provisional.date_of_birth:
        return request.provisional.date_of_birth
    if not request.person_id:
        return None
    return (
        Person.objects.filter(person_id=request.person_id)
        .values_list("date_of_birth", flat=True)
        .first()
    )


def _refused(actor: Actor, why: str) -> None:
    # The reference typed is not kept: a failed claim must not become a way to store guesses
    # at other people's references beside an account's name.
    record(actor, Event(action=CLAIM, outcome="denied", reason=why))
