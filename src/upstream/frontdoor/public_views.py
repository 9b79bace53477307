"""The front door's pages for people who are not council staff.

- Citizens: ask for help on the web without signing in and without JavaScript (`/ask/`), and,
  signed in, follow their requests (`/my-requests/`), claiming one made before they signed in
  with its reference and their date of birth.
- Partner professionals (tied to a directory organisation by `PartnerAccount`): refer someone
  who has agreed (`/refer/`) and follow their organisation's referrals (`/referrals/`).

The request form is one page of questions in fieldsets rather than one question a page: it
works without JavaScript or a session holding half an answer, and a request is saved whole or
not at all (`intake.take_request` with the consent in the same transaction). Views are thin:
they read the form (`public_forms`), call the domain (`intake`, `consent`, `claims`, `access`)
and show a page; refusals and missing requests are domain errors the web edge answers.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.directory.models import Organization
from upstream.directory.terms import need_groups
from upstream.edge.twins import FORMATS, Table, respond
from upstream.errors import Denied, NotFound
from upstream.frontdoor import claims, follow, lists, public_forms
from upstream.frontdoor.access import organisation_id, require_role, see_request, visible_requests
from upstream.frontdoor.consent import CATEGORIES, CONNECT_TO_HELP, Asked, record_consent
from upstream.frontdoor.intake import take_request
from upstream.frontdoor.models import ConsentState, ContactMethod, Request, Urgency
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record

SENT = "frontdoor_sent"  # the session key the confirmation page reads
NOT_FOUND = "There is no request with this reference that you can see."
PARTNERS = frozenset({Role.PARTNER_PROFESSIONAL})
# Everyone signed in with another role has their own way in (issue 12's channels).
OTHER_WAY_IN = {
    Role.PARTNER_PROFESSIONAL: "To refer someone you work with, use Refer someone.",
    Role.SERVICE_PROVIDER: "Service providers answer the connections sent to them.",
}
STAFF_WAY_IN = (
    "This form is for members of the public. Council staff record a request from the person's "
    "record or the front door's pages."
)
UNLINKED = (
    "Your account is not linked to an organisation yet. Ask your administrator to link it, "
    "then you can refer people and follow your organisation's referrals."
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- asking for help on the web ---------------------------------------------------------------


def _citizen_or_anonymous(request: HttpRequest) -> User | None:
    """The signed-in citizen, None for someone not signed in; refused for every other role."""
    user = _user(request)
    if not user.is_authenticated:
        return None
    if user.role_enum != Role.CITIZEN:
        raise PermissionDenied(OTHER_WAY_IN.get(user.role_enum, STAFF_WAY_IN))
    return user


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    citizen = _citizen_or_anonymous(request)
    if request.method != "POST":
        return _ask_page(request, QueryDict(), {})
    filled = public_forms.citizen_request(request.POST)
    if not filled.ok:
        return _ask_page(request, request.POST, filled.errors, filled.dob_wrong, status=400)
    taken = _take(request, filled, citizen=citizen)
    request.session[SENT] = {"reference": taken.reference, "consent": filled.consents}
    return redirect(reverse("frontdoor_public:ask-sent"))


def _take(
    request: HttpRequest,
    filled: public_forms.Filled,
    *,
    by: User | None = None,
    citizen: User | None = None,
    organisation: str | None = None,
) -> Request:
    """The request and what the person said about sharing, saved together or not at all."""
    actor = Actor.from_request(request)
    with transaction.atomic():
        taken = take_request(
            actor,
            filled.ask,
            by=by,
            identity=filled.identity,
            citizen=citizen,
            referring_organisation_id=organisation,
        )
        record_consent(actor, taken.request, _asked(filled))
    return taken.request


def _asked(filled: public_forms.Filled) -> Asked:
    """Consent to connect to help: every category, with any service in the directory (what
    the question asks); refused is recorded too, so nothing is shared and the officer knows."""
    return Asked(
        purpose=CONNECT_TO_HELP,
        categories=tuple(CATEGORIES),
        types=("any_directory",),
        state=ConsentState.GIVEN if filled.consents else ConsentState.REFUSED,
        method=filled.consent_method,
    )


def _ask_page(
    request: HttpRequest,
    values: QueryDict,
    errors: dict[str, str],
    dob_wrong: frozenset[str] = frozenset(),
    *,
    status: int = 200,
) -> HttpResponse:
    context = _form_context(values, errors, dob_wrong)
    return render(request, "frontdoor/public/ask.html", context, status=status)


def _form_context(
    values: QueryDict, errors: dict[str, str], dob_wrong: frozenset[str]
) -> dict[str, Any]:
    chosen = set(values.getlist("needs"))
    return {
        "values": values,
        "errors": errors,
        **_date_errors(errors, dob_wrong),
        "sharing": CATEGORIES.values(),
        "need_groups": [
            {"label": g.label, "options": [(s, n, s in chosen) for s, n in g.options]}
            for g in need_groups()
        ],
        "urgencies": URGENCY_WORDS,
        "contact_methods": ContactMethod.choices,
        "max_text": public_forms.LIMITS["what_matters"][1],
    }


def _date_errors(errors: dict[str, str], dob_wrong: frozenset[str]) -> dict[str, Any]:
    """The date of birth's one message, and the parts of it to outline."""
    message = next((errors[f"dob_{p}"] for p in public_forms.DOB_PARTS if f"dob_{p}" in errors), "")
    return {"dob_error": message, "dob_wrong": dob_wrong or public_forms.DOB_PARTS}


# The urgency choices as a person would say them (the model's labels are the officer's).
URGENCY_WORDS = [
    (Urgency.ROUTINE.value, "In the next few weeks"),
    (Urgency.SOON.value, "This week"),
    (Urgency.URGENT.value, "Today"),
]


def ask_sent(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference, from this browser's session only (never the address,
    so it cannot be opened by anyone else)."""
    sent = request.session.get(SENT)
    if not sent:
        return redirect(reverse("frontdoor_public:ask"))
    return render(request, "frontdoor/public/sent.html", {"sent": sent})


# --- citizens following their requests -------------------------------------------------------


def _citizen(request: HttpRequest, action: str) -> tuple[Actor, User]:
    actor, user = Actor.from_request(request), _user(request)
    require_role(actor, user, frozenset({Role.CITIZEN}), action, "following requests for help")
    return actor, user


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    actor, user = _citizen(request, "frontdoor.my-requests")
    return _my_requests_page(request, actor, user, QueryDict(), {})


def _my_requests_page(
    request: HttpRequest,
    actor: Actor,
    user: User,
    values: QueryDict,
    errors: dict[str, str],
    dob_wrong: frozenset[str] = frozenset(),
    *,
    status: int = 200,
) -> HttpResponse:
    mine = list(visible_requests(user).select_related("provisional").order_by("-received_at"))
    record(
        actor,
        Event(
            action="frontdoor.my-requests",
            people_shown=tuple(r.person_id for r in mine if r.person_id),
            detail={"requests": [r.reference for r in mine]},
        ),
    )
    rows = [
        {"request": r, "status": follow.status_of(r, follow.YOU), "needs": follow.need_names(r)}
        for r in mine
    ]
    context = {"rows": rows, "values": values, "errors": errors, **_date_errors(errors, dob_wrong)}
    return render(request, "frontdoor/public/my_requests.html", context, status=status)


@login_required
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    actor, user = _citizen(request, "frontdoor.request.claim")
    errors: dict[str, str] = {}
    born, dob_wrong = public_forms.date_of_birth(request.POST, errors)
    reference = request.POST.get("reference", "").strip()[:40]
    if not reference:
        errors = {"reference": "Enter the reference you were given", **errors}
    if errors or born is None:
        return _my_requests_page(request, actor, user, request.POST, errors, dob_wrong, status=400)
    try:
        claimed = claims.claim_request(actor, user, reference, born)
    except claims.ClaimRefusedError as refused:  # shown beside the reference, nothing revealed
        errors = {"reference": refused.message}
        return _my_requests_page(request, actor, user, request.POST, errors, status=400)
    return redirect(reverse("frontdoor_public:my-request", args=[claimed.reference]))


def _seen(request: HttpRequest, user: User, reference: str, action: str) -> Request:
    """The request if this user may see it (the read audited). One that is not theirs is
    refused and audited by `see_request`, and then answered exactly as one that does not
    exist: outside the council, a reference must not tell anyone that a request exists."""
    found = (
        Request.objects.select_related("provisional", "referring_organisation")
        .filter(reference=reference[:20])
        .first()
    )
    if found is None:
        raise NotFound(NOT_FOUND)
    try:
        see_request(Actor.from_request(request), user, found, action=action)
    except Denied:
        raise NotFound(NOT_FOUND) from None
    return found


@login_required
def my_request(request: HttpRequest, reference: str) -> HttpResponse:
    _, user = _citizen(request, "frontdoor.request.view")
    seen = _seen(request, user, reference, "frontdoor.request.view")
    return render(request, "frontdoor/public/my_request.html", _progress(seen, follow.YOU))


def _progress(seen: Request, audience: str) -> dict[str, Any]:
    return {
        "request": seen,
        "name": follow.name_of(seen),
        "status": follow.status_of(seen, audience),
        "needs": follow.need_names(seen),
        "answers": follow.answers(seen, audience),
    }


# --- partner professionals' referrals --------------------------------------------------------


def _partner(request: HttpRequest, action: str) -> tuple[Actor, User, Organization]:
    actor, user = Actor.from_request(request), _user(request)
    require_role(actor, user, PARTNERS, action, "referring people for help")
    org = organisation_id(user)
    if not org:
        raise refuse(actor, action, UNLINKED)
    return actor, user, Organization.objects.get(pk=org)


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    _, user, organisation = _partner(request, "frontdoor.refer")
    if request.method != "POST":
        initial = QueryDict(mutable=True)
        initial["asker_name"] = user.get_full_name()
        return _refer_page(request, organisation, initial, {})
    filled = public_forms.partner_referral(request.POST, organisation=organisation.name)
    if not filled.ok:
        return _refer_page(
            request, organisation, request.POST, filled.errors, filled.dob_wrong, status=400
        )
    taken = _take(request, filled, by=user, organisation=str(organisation.pk))
    return redirect(reverse("frontdoor_public:referral", args=[taken.reference]) + "?sent=1")


def _refer_page(
    request: HttpRequest,
    organisation: Organization,
    values: QueryDict,
    errors: dict[str, str],
    dob_wrong: frozenset[str] = frozenset(),
    *,
    status: int = 200,
) -> HttpResponse:
    context = {**_form_context(values, errors, dob_wrong), "organisation": organisation}
    return render(request, "frontdoor/public/refer.html", context, status=status)


# The referrals list: the MoJ case-list pattern the officer's queues use (`lists`).
REFERRAL_COLUMNS = (
    lists.Column("reference", "Reference", "reference"),
    lists.Column("name", "Name", "provisional__family_name"),
    lists.Column("received", "Referred", "received_at"),
    lists.Column("status", "Where it is", "status"),
    lists.Column("needs", "Help with"),
    lists.Column("answers", "Services' answers"),
)


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    actor, user, organisation = _partner(request, "frontdoor.referrals")
    theirs = visible_requests(user).select_related("provisional").prefetch_related("connections")
    params = _newest_first(request.GET)
    rows: list[dict[str, Any]] = []
    listing: lists.ListPage | None = None
    if request.GET.get("format", "") in FORMATS:  # a download holds every referral
        rows = lists.all_rows(theirs, REFERRAL_COLUMNS, params, _referral_row, default="received")
        shown = [r["reference"] for r in rows]
    else:
        listing = lists.list_page(
            theirs, REFERRAL_COLUMNS, params, _referral_row, default="received"
        )
        shown = [r["cells"][0] for r in listing.rows]
    _audit_shown(actor, theirs, shown, view=request.GET.get("format", "") or "page")
    return respond(
        request,
        "frontdoor/public/referrals.html",
        lambda: {"organisation": organisation, "listing": listing},
        table=lambda: Table("referrals", rows, [c.key for c in REFERRAL_COLUMNS]),
    )


def _newest_first(params: QueryDict) -> QueryDict:
    """A referrer looks for what they sent last: newest first unless the address sorts."""
    if params.get("sort"):
        return params
    newest = params.copy()
    newest["sort"], newest["order"] = "received", "desc"
    return newest


def _referral_row(item: Request) -> dict[str, Any]:
    answers = item.connections.all()  # prefetched
    return {
        "reference": item.reference,
        "link": reverse("frontdoor_public:referral", args=[item.reference]),
        "name": follow.name_of(item),
        "received": timezone.localtime(item.received_at).strftime("%-d %b %Y"),
        "status": follow.status_of(item, follow.THEM).tag,
        "needs": ", ".join(follow.need_names(item)),
        "answers": ", ".join(c.get_status_display() for c in answers) or "None yet",
    }


def _audit_shown(actor: Actor, theirs: Any, shown: list[str], *, view: str) -> None:
    linked = theirs.filter(reference__in=shown).exclude(person_id="")
    record(
        actor,
        Event(
            action="frontdoor.referrals",
            people_shown=tuple(linked.values_list("person_id", flat=True)),
            detail={"format": view, "requests": shown},
        ),
    )


@login_required
def referral(request: HttpRequest, reference: str) -> HttpResponse:
    _, user, organisation = _partner(request, "frontdoor.referral.view")
    seen = _seen(request, user, reference, "frontdoor.referral.view")
    context = {
        **_progress(seen, follow.THEM),
        "organisation": organisation,
        "just_sent": request.GET.get("sent") == "1",
    }
    return render(request, "frontdoor/public/referral.html", context)
