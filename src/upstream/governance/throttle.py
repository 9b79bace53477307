"""Sign-in throttling: after too many failed sign-ins for one username from one address, refuse
further attempts for a while (OWASP Authentication Cheat Sheet: protect against automated
attacks). Failures, refusals and sign-ins are audited.

Settings (Django settings, with these defaults): LOGIN_THROTTLE_FAILURES = 5 failures within
LOGIN_THROTTLE_MINUTES = 15 minutes lock that username from that address for 15 minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from upstream.governance.audit import Actor, Event, client_address, record
from upstream.governance.models import SignInFailure


def failures_allowed() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_FAILURES", 5))


def lock_minutes() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_MINUTES", 15))


def normalise(username: str) -> str:
    return username.strip().lower()[:150]


def recent_failures(username: str, ip_address: str) -> int:
    since = timezone.now() - timedelta(minutes=lock_minutes())
    return SignInFailure.objects.filter(
        username=normalise(username), ip_address=ip_address, at__gte=since
    ).count()


def is_locked(username: str, ip_address: str) -> bool:
    return recent_failures(username, ip_address) >= failures_allowed()


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


def locked_out_page(request: HttpRequest, username: str) -> HttpResponse:
    form = AuthenticationForm(request, initial={"username": username})
    form.cleaned_data = {}  # unbound: add the error without authenticating (which would count)
    form.add_error(
        None,
        f"Too many failed attempts to sign in as this user. Try again in {lock_minutes()} minutes.",
    )
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def sign_in_throttle(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: refuse sign-in attempts for a locked username and address."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("login"):
            username = str(request.POST.get("username", ""))
            if is_locked(username, client_address(request)):
                record(
                    _actor(username, request),
                    Event(
                        action="sign-in", outcome="denied", reason="locked after failed attempts"
                    ),
                )
                return locked_out_page(request, username)
        return get_response(request)

    return middleware
