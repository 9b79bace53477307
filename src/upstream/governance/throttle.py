"""Sign-in throttling at three levels, each over the last LOGIN_THROTTLE_MINUTES (15):

- **one account from one address**: LOGIN_THROTTLE_FAILURES (5) failures for a username from an
  address lock that username from that address (guessing one password). The person can still
  sign in from elsewhere, so an attacker cannot lock them out everywhere.
- **one address**: LOGIN_THROTTLE_ADDRESS_FAILURES (20) failures from an address, whatever the
  usernames, lock that address (password spraying: a few guesses at many accounts, which the
  per-account lock never sees).
- **the whole service**: LOGIN_THROTTLE_GLOBAL_FAILURES (100) failures from all addresses
  together mean credential stuffing from many addresses (each trying a few stolen username and
  password pairs). While the count is that high, an address that has failed at all in the
  window is refused, so each attacking address gets one guess a window; addresses with no
  failures, the council's own staff signing in as usual, are not held up.

Sources for the values: OWASP Authentication Cheat Sheet, "Protect against automated attacks"
(account lockout with a threshold, an observation window and a duration; lock per account and
address so lockout cannot be turned on a user) and OWASP Credential Stuffing Prevention Cheat
Sheet, "IP mitigation" (many legitimate users share an address behind an office's NAT, so an
address may fail more often than an account: 20 lets four people in one office each reach their
own lock; and stuffing is seen as the failure rate across the service rising above normal).
OWASP ASVS 4.0.3 V2.2.1 caps failed attempts at 100 an hour per account; 5 in 15 minutes is well
inside it. 100 failures in 15 minutes service-wide is several times the busiest ordinary
quarter-hour for a council's few hundred staff; tune it to a few times your own busiest (count
the audit log's denied sign-ins). Failures, refusals and sign-ins are audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from upstream.edge.errors import respond_to, server_error
from upstream.governance.audit import (
    Actor,
    AuditUnavailableError,
    Event,
    client_address,
    record,
)
from upstream.governance.models import SignInFailure


def failures_allowed() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_FAILURES", 5))


def address_failures_allowed() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_ADDRESS_FAILURES", 20))


def global_failures_allowed() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_GLOBAL_FAILURES", 100))


def lock_minutes() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_MINUTES", 15))


@dataclass(frozen=True)
class Refusal:
    reason: str  # for the audit log
    message: str  # for the person signing in


def refusal(username: str, ip_address: str) -> Refusal | None:
    """Why a sign-in attempt is refused before the password is checked, if it is."""
    minutes = lock_minutes()
    recent = SignInFailure.objects.filter(at__gte=timezone.now() - timedelta(minutes=minutes))
    tries = recent.filter(username=normalise(username), ip_address=ip_address).count()
    if tries >= failures_allowed():
        return Refusal(
            "locked after failed attempts",
            f"Too many failed attempts to sign in as this user. Try again in {minutes} minutes.",
        )
    from_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    if from_address >= address_failures_allowed():
        return Refusal(
            "address locked after failed attempts for many users",
            f"Too many failed attempts to sign in from this network address. Try again in {minutes} minutes.",
        )
    if from_address and recent.count() >= global_failures_allowed():
        return Refusal(
            "refused while failed sign-ins across the service are high",
            f"There have been too many failed attempts to sign in to Upstream. Try again in {minutes} minutes.",
        )
    return None


def normalise(username: str) -> str:
    # NUL characters never reach here from a form (upstream.edge.inputs takes them out).
    return username.strip().lower()[:150]


def _actor(username: str, request: HttpRequest | None) -> Actor:
    if request is None:
        return Actor(username=normalise(username))
    return Actor(
        username=normalise(username),
        ip_address=client_address(request),
        resource=request.path[:300],
    )


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    username = str(credentials.get("username", ""))
    address = client_address(request) if request is not None else ""
    SignInFailure.objects.create(
        username=normalise(username), ip_address=address, at=timezone.now()
    )
    record(
        _actor(username, request),
        Event(action="sign-in", outcome="denied", reason="wrong username or password"),
    )


def on_signed_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    address = client_address(request) if request is not None else ""
    SignInFailure.objects.filter(
        username=normalise(user.get_username()), ip_address=address
    ).delete()
    actor = _actor(user.get_username(), request)
    record(
        Actor(actor.username, user.role, actor.ip_address, actor.resource), Event(action="sign-in")
    )


def connect_signals() -> None:
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="governance-sign-in-failed")
    user_logged_in.connect(on_signed_in, dispatch_uid="governance-signed-in")


def locked_out_page(request: HttpRequest, username: str, message: str) -> HttpResponse:
    form = AuthenticationForm(request, initial={"username": username})
    form.cleaned_data = {}  # unbound: add the error without authenticating (which would count)
    form.add_error(None, message)
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def sign_in_throttle(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: refuse sign-in attempts from a locked username and address, a locked
    address, or a failing address while the whole service is under attack."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("login"):
            username = str(request.POST.get("username", ""))
            refused = refusal(username, client_address(request))
            if refused:
                event = Event(action="sign-in", outcome="denied", reason=refused.reason)
                try:
                    record(_actor(username, request), event)
                except AuditUnavailableError as error:
                    # A middleware's errors never reach the edge's middleware: hand it over.
                    return respond_to(request, error) or server_error(request)
                return locked_out_page(request, username, refused.message)
        return get_response(request)

    return middleware
