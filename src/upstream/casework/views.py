"""Casework pages: Find a person, Person, Household, Record a reason, Caseload.

Thin: each view reads the request, calls `services` (which decides access and audits), and
renders a page or a table download.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework import forms, services
from upstream.casework.charts import cost_chart
from upstream.casework.exports import FORMATS, table_response
from upstream.casework.story import Period, latest_financial_year
from upstream.casework.tables import household_tables, person_tables, table_rows
from upstream.errors import Denied, InputError, Moved, NotFound
from upstream.flags.models import Override
from upstream.governance.access import BASIS_LABELS, CASEWORK_ROLES, may_search, refuse
from upstream.governance.audit import Actor
from upstream.governance.purposes import purposes_for
from upstream.governance.register import dataset_names
from upstream.governance.services import person_id_error


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def ids_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A person or household ID in the address that could not be one (letters, digits and
    `_.:-`, at most 64: the API's rule) is a 404, as in the API, before anything looks it up or
    audits it: PostgreSQL refuses a NUL in a query, so `/people/a%00b/` was a 500."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for name in ("person_id", "household_id"):
            if name in kwargs and person_id_error(kwargs[name]):
                raise Http404("No record has this ID")
        return view(request, *args, **kwargs)

    return checked


def denied_page(request: HttpRequest, denial: Denied, **context: Any) -> HttpResponse:
    user = _user(request)
    # The form links to the person's reason page, so only for text that could be a person ID
    # (a person ID posted in a form can hold anything, "/" included).
    offer_reason = (
        bool(denial.person_id)
        and not person_id_error(denial.person_id)
        and user.role_enum in CASEWORK_ROLES
    )
    return render(
        request,
        "casework/denied.html",
        {
            "message": denial.message,
            "person_id": denial.person_id if offer_reason else "",
            "purposes": purposes_for(user.role_enum),
            **context,
        },
        status=403,
    )


@login_required
def find_person(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query, errors = forms.search_query(request.GET)
    results: list[services.Result] = []
    searched = not query.is_empty and not errors
    actor = Actor.from_request(request)
    try:
        if not may_search(user):
            raise refuse(actor, "search", "Your role does not include finding people's records.")
        if searched:
            results = services.search_people(actor, user, query)
    except Denied as denial:
        return denied_page(request, denial)
    except InputError as error:
        errors[error.where or "name"] = error.message
        searched = False
    return render(
        request,
        "casework/find.html",
        {
            "query": query,
            "params": request.GET,
            "errors": errors,
            "results": results,
            "searched": searched,
            "basis_labels": BASIS_LABELS,
            "pseudonymous": user.role_enum == Role.ANALYST,
        },
        status=400 if errors else 200,
    )


def _person_story(request: HttpRequest, person_id: str, view: str) -> Any:
    period, errors = forms.period(request.GET)
    return services.view_person(
        Actor.from_request(request), _user(request), person_id, period, view=view
    ), errors


@login_required
@ids_checked
def person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    try:
        story, errors = _person_story(request, person_id, "person page")
    except Moved as moved:
        return redirect("casework:person", person_id=moved.person_id)
    except NotFound:
        raise Http404("No person has this ID") from None
    except Denied as denial:
        return denied_page(request, denial)
    flags = _flags_on_person_page(request, story)
    return render(
        request,
        "casework/person.html",
        {
            "flag_cards": flags.cards if flags else [],
            "flags_withheld": flags.withheld if flags else 0,
            "override_kinds": Override.KINDS,
            "person_id": story.person_id,
            "story": story,
            "errors": errors,
            "chart": cost_chart(story.costs_by_year, story.this_year),
            "datasets": [(c, n) for c, n in dataset_names().items() if c in story.decision.sources],
            "years": [y.financial_year for y in story.costs_by_year],
            "params": request.GET,
            "filtered": story.period != Period(),
        },
        status=400 if errors else 200,
    )


def _flags_on_person_page(request: HttpRequest, story: Any) -> services.FlagsShown | None:
    """The why-flagged cards under the access the page was just granted (not decided twice)."""
    if story.decision.pseudonymised:
        return None
    return services.person_flags(
        Actor.from_request(request),
        _user(request),
        story.real_person_id,
        view="person page",
        decision=story.decision,
    )


def _flag_json(shown: services.FlagsShown) -> dict[str, Any]:
    return {
        "person_id": shown.person_id,
        "flags_withheld": shown.withheld,
        "flags": [
            {
                "flag_id": c.flag.flag_id,
                "rule": c.flag.ruleset_id,
                "version": c.flag.ruleset_version,
                "label": c.flag.label,
                "raised_on": c.flag.raised_on,
                "lapses_on": c.flag.lapses_on,
                "needs": c.needs,
                "records_about_others_withheld": c.rows_withheld,
            }
            for c in shown.cards
        ],
    }


def _flags_page(
    request: HttpRequest, shown: services.FlagsShown, *, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        "flags/person.html",
        {
            "person_id": shown.person_id,
            "flag_cards": shown.cards,
            "flags_withheld": shown.withheld,
            "override_kinds": Override.KINDS,
            **context,
        },
        status=status,
    )


@login_required
@ids_checked
def person_flags_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's why-flagged cards on their own (and as JSON): the person page's decision."""
    try:
        shown = services.person_flags(Actor.from_request(request), _user(request), person_id)
    except Denied as denial:
        return denied_page(request, denial)
    if request.GET.get("format") == "json":
        return JsonResponse(_flag_json(shown))
    return _flags_page(request, shown)


@login_required
@require_POST
def flag_override_page(request: HttpRequest, flag_id: str) -> HttpResponse:
    person_id = request.POST.get("person_id", "").strip()[:64]
    if person_id_error(person_id):  # e.g. a NUL, which PostgreSQL refuses in a query
        raise Http404("This flag does not concern that person.")
    actor = Actor.from_request(request)
    user = _user(request)
    try:
        decision = services.decide_override(actor, user, person_id, flag_id)
        services.override_flag(
            actor,
            user,
            decision,
            flag_id,
            request.POST.get("kind", ""),
            request.POST.get("reason", ""),
        )
    except Denied as denial:
        return denied_page(request, denial)
    except NotFound:
        raise Http404("This flag does not concern that person.") from None
    except InputError as error:
        shown = services.person_flags(actor, user, person_id, decision=decision)
        return _flags_page(request, shown, status=400, error_flag=flag_id, error=error.message)
    return redirect(_safe_next(request, reverse("casework:person-flags", args=[person_id])))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """`next` only when it stays on this site (no open redirect to another host)."""
    wanted = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else fallback


@login_required
@ids_checked
def person_table(request: HttpRequest, person_id: str, table: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    try:
        story, errors = _person_story(request, person_id, f"{table}.{fmt}")
    except Moved as moved:
        return redirect("casework:person-table", person_id=moved.person_id, table=table, fmt=fmt)
    except NotFound:
        raise Http404("No person has this ID") from None
    except Denied as denial:
        return denied_page(request, denial)
    if errors:
        return HttpResponseBadRequest(" ".join(errors.values()), content_type="text/plain")
    tables = person_tables(story)
    if table not in tables:
        raise Http404("Unknown table")
    rows, columns = table_rows(*tables[table], story.decision)
    return table_response(f"{person_id}-{table}", fmt, rows, columns)


@login_required
@ids_checked
def record_reason_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _user(request)
    actor = Actor.from_request(request)
    errors: dict[str, str] = {}
    try:
        if request.method == "POST":
            services.record_access_reason(
                actor,
                user,
                person_id,
                request.POST.get("purpose", ""),
                request.POST.get("reason", ""),
            )
            return redirect("casework:person", person_id=person_id)
        services.check_may_record_reason(actor, user, person_id)
    except Denied as denial:
        return denied_page(request, denial)
    except InputError as error:
        errors[error.where or "reason"] = error.message
    return render(
        request,
        "casework/reason.html",
        {
            "person_id": person_id,
            "purposes": purposes_for(user.role_enum),
            "errors": errors,
            "form": request.POST,
        },
        status=400 if errors else 200,
    )


def _household_story(request: HttpRequest, household_id: str, view: str) -> Any:
    period, _ = forms.period(request.GET)
    return services.view_household(
        Actor.from_request(request), _user(request), household_id, period, view=view
    )


@login_required
@ids_checked
def household_page(request: HttpRequest, household_id: str) -> HttpResponse:
    try:
        story = _household_story(request, household_id, "household page")
    except NotFound:
        raise Http404("No household has this ID") from None
    except Denied as denial:
        return denied_page(request, denial)
    current = [m for m in story.members if m.household_id == story.household_id]
    earlier = [m for m in story.members if m.household_id != story.household_id]
    return render(
        request,
        "casework/household.html",
        {
            "story": story,
            "current": current,
            "earlier": earlier,
            "chart": cost_chart(story.costs_by_year, latest_financial_year()),
        },
    )


@login_required
@ids_checked
def household_table(request: HttpRequest, household_id: str, table: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    try:
        story = _household_story(request, household_id, f"{table}.{fmt}")
    except NotFound:
        raise Http404("No household has this ID") from None
    except Denied as denial:
        return denied_page(request, denial)
    tables = household_tables(story)
    if table not in tables:
        raise Http404("Unknown table")
    rows, columns = table_rows(*tables[table], story.decision)
    return table_response(f"{household_id}-{table}", fmt, rows, columns)


@login_required
def caseload_page(request: HttpRequest, fmt: str = "") -> HttpResponse:
    user = _user(request)
    try:
        rows = services.view_caseload(Actor.from_request(request), user, view=fmt or "page")
    except Denied as denial:
        return denied_page(request, denial)
    if fmt:
        if fmt not in FORMATS:
            raise Http404("Unknown format")
        return table_response("caseload", fmt, rows, services.CASELOAD_COLUMNS)
    team = (
        User.objects.filter(team=user.team, role=Role.PRACTITIONER.value).order_by("last_name")
        if user.team
        else User.objects.none()
    )
    return render(
        request,
        "casework/caseload.html",
        {
            "rows": rows,
            "is_manager": user.role_enum == Role.TEAM_MANAGER,
            "team_members": team,
            "errors": {},
        },
    )


@login_required
@require_POST
def allocate_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        services.allocate(
            Actor.from_request(request),
            user,
            request.POST.get("person_id", "").strip(),
            request.POST.get("worker", ""),
        )
    except Denied as denial:
        return denied_page(request, denial)
    except InputError as error:
        team = User.objects.filter(team=user.team, role=Role.PRACTITIONER.value)
        errors = {error.where or "person_id": error.message}
        return render(
            request,
            "casework/caseload.html",
            {
                "rows": services.caseload_rows(user),
                "is_manager": True,
                "team_members": team,
                "errors": errors,
                "form": request.POST,
            },
            status=400,
        )
    return redirect(reverse("casework:caseload"))


@login_required
@require_POST
def end_allocation_page(request: HttpRequest, allocation_id: int) -> HttpResponse:
    try:
        services.end_allocation(Actor.from_request(request), _user(request), allocation_id)
    except Denied as denial:
        return denied_page(request, denial)
    return redirect(reverse("casework:caseload"))
