"""Casework pages: Find a person, Person, Household, Record a reason, Caseload.

Thin: each view reads the request, calls `services` (which asks the one access decision and
audits), and answers with a page or its twins (`edge.twins`). Refusals, missing records and
moved IDs are domain errors the web edge answers (`edge.errors`); a view catches only the
InputError of a form it shows again with the message beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework import forms, services
from upstream.casework.charts import cost_chart
from upstream.casework.story import HouseholdStory, Period, PersonStory, latest_financial_year
from upstream.casework.tables import (
    flags_json,
    household_json,
    household_tables,
    person_json,
    person_tables,
    table_rows,
)
from upstream.edge.twins import FORMATS, Table, download, respond
from upstream.errors import Denied, InputError, NotFound
from upstream.flags.models import Override
from upstream.governance.access import (
    BASIS_LABELS,
    CASEWORK_ROLES,
    Decision,
    may_search,
    refuse,
)
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
                raise NotFound("No record has this ID")
        return view(request, *args, **kwargs)

    return checked


def known_format(fmt: str) -> None:
    """A download in a format there is none of is a 404 before the record is read (and the
    read audited)."""
    if fmt not in FORMATS:
        raise NotFound("There is no download in this format")


def denied_page(request: HttpRequest, denial: Denied) -> HttpResponse:
    """The refusal page for every Denied (the web edge answers with it, casework/apps.py):
    what was refused and that it was recorded, with the form to record a reason when that
    would open the record."""
    user = _user(request)
    # The form links to the person's reason page, so only for text that could be a person ID
    # (a person ID posted in a form can hold anything, "/" included).
    offer_reason = (
        bool(denial.person_id)
        and not person_id_error(denial.person_id)
        and user.is_authenticated
        and user.role_enum in CASEWORK_ROLES
    )
    return render(
        request,
        "casework/denied.html",
        {
            "message": denial.message,
            "person_id": denial.person_id if offer_reason else "",
            "purposes": purposes_for(user.role_enum) if offer_reason else (),
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
    if not may_search(user):
        raise refuse(actor, "search", "Your role does not include finding people's records.")
    try:
        if searched:
            results = services.search_people(actor, user, query)
    except InputError as error:  # shown beside the field
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


def _person_story(
    request: HttpRequest, person_id: str, view: str
) -> tuple[PersonStory, dict[str, str]]:
    period, errors = forms.period(request.GET)
    story = services.view_person(
        Actor.from_request(request), _user(request), person_id, period, view=view
    )
    return story, errors


@login_required
@ids_checked
def person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    story, errors = _person_story(request, person_id, "person page")
    flags = _flags_on_person_page(request, story)
    return respond(
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
        data=lambda: person_json(story),
        errors=errors,
    )


def _flags_on_person_page(request: HttpRequest, story: PersonStory) -> services.FlagsShown | None:
    """The why-flagged cards under the decision the page was just given (not decided twice)."""
    if story.decision.pseudonymised:
        return None
    return services.person_flags(
        Actor.from_request(request),
        _user(request),
        story.real_person_id,
        view="person page",
        decision=story.decision,
    )


def _flags_context(shown: services.FlagsShown, **form: Any) -> dict[str, Any]:
    return {
        "person_id": shown.person_id,
        "flag_cards": shown.cards,
        "flags_withheld": shown.withheld,
        "override_kinds": Override.KINDS,
        **form,
    }


@login_required
@ids_checked
def person_flags_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's why-flagged cards on their own (and as JSON): the person page's decision."""
    shown = services.person_flags(Actor.from_request(request), _user(request), person_id)
    return respond(
        request, "flags/person.html", _flags_context(shown), data=lambda: flags_json(shown)
    )


@login_required
@require_POST
def flag_override_page(request: HttpRequest, flag_id: str) -> HttpResponse:
    person_id = request.POST.get("person_id", "").strip()[:64]
    if person_id_error(person_id):  # e.g. "/", which the refusal's reason form cannot hold
        raise NotFound("This flag does not concern that person.")
    actor, user = Actor.from_request(request), _user(request)
    decision = services.decide_override(actor, user, person_id, flag_id)
    kind, reason = request.POST.get("kind", ""), request.POST.get("reason", "")
    try:
        services.override_flag(actor, user, decision, flag_id, kind, reason)
    except InputError as error:  # the flags again, under the same decision, with the message
        shown = services.person_flags(actor, user, person_id, decision=decision)
        context = _flags_context(shown, error_flag=flag_id, error=error.message)
        return render(request, "flags/person.html", context, status=400)
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
    known_format(fmt)
    story, errors = _person_story(request, person_id, f"{table}.{fmt}")
    shown = _table(person_tables(story), table, f"{person_id}-{table}", story.decision)
    return download(fmt, table=shown, errors=errors)


def _table(
    tables: dict[str, tuple[list[Any], tuple[str, ...]]],
    table: str,
    name: str,
    decision: Decision,
) -> Table:
    if table not in tables:
        raise NotFound("There is no such table")
    rows, columns = table_rows(*tables[table], decision)
    return Table(name, rows, columns)


@login_required
@ids_checked
def record_reason_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _user(request)
    actor = Actor.from_request(request)
    errors: dict[str, str] = {}
    if request.method != "POST":
        services.check_may_record_reason(actor, user, person_id)
    else:
        purpose, reason = request.POST.get("purpose", ""), request.POST.get("reason", "")
        try:
            services.record_access_reason(actor, user, person_id, purpose, reason)
            return redirect("casework:person", person_id=person_id)
        except InputError as error:  # shown beside the field
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


def _household_story(request: HttpRequest, household_id: str, view: str) -> HouseholdStory:
    period, _ = forms.period(request.GET)
    return services.view_household(
        Actor.from_request(request), _user(request), household_id, period, view=view
    )


@login_required
@ids_checked
def household_page(request: HttpRequest, household_id: str) -> HttpResponse:
    story = _household_story(request, household_id, "household page")
    current = [m for m in story.members if m.household_id == story.household_id]
    earlier = [m for m in story.members if m.household_id != story.household_id]
    return respond(
        request,
        "casework/household.html",
        {
            "story": story,
            "current": current,
            "earlier": earlier,
            "chart": cost_chart(story.costs_by_year, latest_financial_year()),
        },
        data=lambda: household_json(story),
    )


@login_required
@ids_checked
def household_table(request: HttpRequest, household_id: str, table: str, fmt: str) -> HttpResponse:
    known_format(fmt)
    story = _household_story(request, household_id, f"{table}.{fmt}")
    shown = _table(household_tables(story), table, f"{household_id}-{table}", story.decision)
    return download(fmt, table=shown)


@login_required
def caseload_page(request: HttpRequest, fmt: str = "") -> HttpResponse:
    user = _user(request)
    rows = services.view_caseload(Actor.from_request(request), user, view=fmt or "page")
    return respond(
        request,
        "casework/caseload.html",
        _caseload_context(user, rows),
        table=Table("caseload", rows, services.CASELOAD_COLUMNS),
        fmt=fmt,
    )


def _caseload_context(user: User, rows: list[dict[str, Any]], **form: Any) -> dict[str, Any]:
    team = (
        User.objects.filter(team=user.team, role=Role.PRACTITIONER.value).order_by("last_name")
        if user.team
        else User.objects.none()
    )
    return {
        "rows": rows,
        "is_manager": user.role_enum == Role.TEAM_MANAGER,
        "team_members": team,
        "errors": {},
        **form,
    }


@login_required
@require_POST
def allocate_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    person_id, worker = request.POST.get("person_id", "").strip(), request.POST.get("worker", "")
    try:
        services.allocate(Actor.from_request(request), user, person_id, worker)
    except InputError as error:  # the caseload again, with the message beside the field
        errors = {error.where or "person_id": error.message}
        context = _caseload_context(
            user, services.caseload_rows(user), errors=errors, form=request.POST
        )
        return render(request, "casework/caseload.html", context, status=400)
    return redirect(reverse("casework:caseload"))


@login_required
@require_POST
def end_allocation_page(request: HttpRequest, allocation_id: int) -> HttpResponse:
    services.end_allocation(Actor.from_request(request), _user(request), allocation_id)
    return redirect(reverse("casework:caseload"))
