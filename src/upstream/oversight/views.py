"""The data protection officer's pages: the audit log, subject-access reports, the queue of
recorded reasons to review, and the dataset register (which every staff role may read)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.exports import FORMATS, plain, table_response
from upstream.casework.forms import parse_optional, text
from upstream.casework.subject_access import subject_access_report
from upstream.errors import InputError, NotFound
from upstream.governance import access
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import AuditEntry, Dataset, RecordedReason
from upstream.governance.reasons import review_reason, waiting_for_review
from upstream.governance.services import (
    AUDIT_COLUMNS,
    AuditSearch,
    entry_row,
    person_id_error,
    search_audit,
)

STAFF_ROLES = set(Role) - {Role.CITIZEN}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_dpo(request: HttpRequest, action: str) -> None:
    access.require_dpo(Actor.from_request(request), _user(request), action)


# The page's field for each of the search's fields (the API names them start and end).
AUDIT_FIELDS = {"person": "person", "start": "from", "end": "to"}


def audit_search_from(request: HttpRequest) -> tuple[AuditSearch, dict[str, str]]:
    """The search typed into the page, and an error for each field that cannot be used."""
    errors: dict[str, str] = {}
    params = request.GET
    search = AuditSearch(
        person=text(params, "person", 64),
        actor=text(params, "actor", 150),
        action=text(params, "action", 40),
        outcome=text(params, "outcome", 10),
        start=parse_optional(params.get("from", ""), "from", errors),
        end=parse_optional(params.get("to", ""), "to", errors),
    )
    for name, message in search.errors().items():
        errors.setdefault(AUDIT_FIELDS[name], message)
    return search, {field: message[:1].upper() + message[1:] for field, message in errors.items()}


def search_refused(fmt: str, errors: dict[str, str]) -> HttpResponse:
    """A download asked with fields that cannot be used: 400, naming each field."""
    if fmt == "json":
        return JsonResponse({"errors": errors}, status=400)
    lines = "".join(f"{field}: {message}\n" for field, message in errors.items())
    return HttpResponse(lines, content_type="text/plain; charset=utf-8", status=400)


@login_required
def audit_log(request: HttpRequest, fmt: str = "") -> HttpResponse:
    require_dpo(request, "view-audit")
    if fmt and fmt not in FORMATS:
        raise Http404("Unknown format")
    search, errors = audit_search_from(request)
    if errors and fmt:
        return search_refused(fmt, errors)
    entries = search_audit(search) if not errors else AuditEntry.objects.none()
    if not errors:
        record(
            Actor.from_request(request),
            Event(
                action="view-audit",
                person=search.person,
                detail={"search": plain(search), "format": fmt or "page"},
            ),
        )
    if fmt:
        return table_response(
            "audit-log", fmt, [entry_row(e) for e in entries[:50_000]], AUDIT_COLUMNS
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    context = {
        "page": page,
        "search": search,
        "errors": errors,
        "params": request.GET,
        "query": _without_page(request),
        "actions": sorted(set(actions)),
    }
    return render(request, "oversight/audit.html", context, status=400 if errors else 200)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def subject_access(request: HttpRequest, person_id: str, fmt: str = "") -> HttpResponse:
    """A subject-access report: what Upstream holds about a person, and who saw it and why."""
    require_dpo(request, "subject-access-report")
    if person_id_error(person_id):  # a NUL in a query is a PostgreSQL error, not a person
        raise Http404("No person has this ID")
    try:
        story, report = subject_access_report(
            Actor.from_request(request),
            _user(request),
            person_id,
            view="subject-access report",
            fmt=fmt or "page",
        )
    except NotFound:
        raise Http404("No person has this ID") from None
    if fmt == "json":
        response = HttpResponse(
            json.dumps(report, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.json"'
        return response
    if fmt == "csv":
        return table_response(
            f"subject-access-{person_id}-who-looked", "csv", report["who_looked"], AUDIT_COLUMNS
        )
    if fmt:
        raise Http404("Unknown format")
    return render(
        request,
        "oversight/subject_access.html",
        {"report": report, "story": story, "person_id": person_id},
    )


@login_required
def subject_access_start(request: HttpRequest) -> HttpResponse:
    require_dpo(request, "subject-access-report")
    person_id = request.GET.get("person", "").strip()
    error = person_id_error(person_id)
    if error:
        context = {"errors": {"person": error}, "person_id": person_id}
        return render(request, "oversight/subject_access_start.html", context, status=400)
    if person_id:
        return redirect("governance:subject-access", person_id=person_id)
    return render(request, "oversight/subject_access_start.html", {})


@login_required
def reasons_queue(request: HttpRequest) -> HttpResponse:
    require_dpo(request, "view-reasons")
    # A reason that became an allocation opened the record to a whole team: show it here.
    waiting = list(waiting_for_review().prefetch_related("allocations")[:200])
    reviewed = list(
        RecordedReason.objects.exclude(review=RecordedReason.Review.WAITING).select_related(
            "user", "reviewed_by"
        )[:50]
    )
    record(
        Actor.from_request(request),
        Event(action="view-reasons", people_shown=tuple(r.person for r in waiting + reviewed)),
    )
    return render(request, "oversight/reasons.html", {"waiting": waiting, "reviewed": reviewed})


@login_required
@require_POST
def review(request: HttpRequest, reason_id: int) -> HttpResponse:
    require_dpo(request, "review-reason")
    grant = get_object_or_404(RecordedReason, pk=reason_id)
    try:
        review_reason(
            Actor.from_request(request),
            _user(request),
            grant,
            request.POST.get("outcome", ""),
            request.POST.get("note", ""),
        )
    except InputError:
        return redirect("governance:reasons")
    return redirect("governance:reasons")


@login_required
def datasets(request: HttpRequest, fmt: str = "") -> HttpResponse:
    if _user(request).role_enum not in STAFF_ROLES:
        raise PermissionDenied("The dataset register is for staff.")
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "description": d.description,
            "controller": d.controller,
            "lawful_basis": d.lawful_basis,
            "permitted_uses": sorted(f"{u.purpose}:{u.role}" for u in d.uses.all()),
        }
        for d in Dataset.objects.prefetch_related("uses")
    ]
    if fmt:
        if fmt not in FORMATS:
            raise Http404("Unknown format")
        flat = [{**r, "permitted_uses": "; ".join(r["permitted_uses"])} for r in rows]
        return table_response(
            "datasets",
            fmt,
            flat if fmt == "csv" else rows,
            ("code", "name", "description", "controller", "lawful_basis", "permitted_uses"),
        )
    return render(
        request, "oversight/datasets.html", {"datasets": Dataset.objects.prefetch_related("uses")}
    )
