"""The data protection officer's pages: the audit log, subject-access reports, the queue of
recorded reasons to review, and the dataset register (which every staff role may read).

Each answers with its page or its twins (`edge.twins`); refusals and bad downloads are errors
the web edge answers (`edge.errors`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.casework.forms import parse_optional, text
from upstream.casework.subject_access import subject_access_report
from upstream.edge.twins import FORMATS, Table, plain, respond
from upstream.errors import NotFound
from upstream.governance import access
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import AuditEntry, Dataset, RecordedReason
from upstream.governance.reasons import review_reason, waiting_for_review
from upstream.governance.register import DATASET_COLUMNS, dataset_rows
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


@login_required
def audit_log(request: HttpRequest, fmt: str = "") -> HttpResponse:
    require_dpo(request, "view-audit")
    known_format(fmt)
    search, errors = audit_search_from(request)
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
    return respond(
        request,
        "oversight/audit.html",
        lambda: {
            "page": Paginator(entries, 50).get_page(request.GET.get("page")),
            "search": search,
            "errors": errors,
            "params": request.GET,
            "query": _without_page(request),
            "actions": _actions(),
        },
        table=lambda: Table("audit-log", [entry_row(e) for e in entries[:50_000]], AUDIT_COLUMNS),
        fmt=fmt,
        errors=errors,
    )


def known_format(fmt: str) -> None:
    """A download in a format there is none of is a 404 before anything is read or audited."""
    if fmt and fmt not in FORMATS:
        raise NotFound("There is no download in this format")


def _actions() -> list[str]:
    return sorted(set(AuditEntry.objects.order_by().values_list("action", flat=True).distinct()))


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def subject_access(request: HttpRequest, person_id: str, fmt: str = "") -> HttpResponse:
    """A subject-access report: what Upstream holds about a person, and who saw it and why."""
    require_dpo(request, "subject-access-report")
    known_format(fmt)
    if person_id_error(person_id):  # a NUL in a query is a PostgreSQL error, not a person
        raise NotFound("No person has this ID")
    story, report = subject_access_report(
        Actor.from_request(request),
        _user(request),
        person_id,
        view="subject-access report",
        fmt=fmt or "page",
    )
    return respond(
        request,
        "oversight/subject_access.html",
        {"report": report, "story": story, "person_id": person_id},
        data=report,
        name=f"subject-access-{person_id}",
        table=Table(f"subject-access-{person_id}-who-looked", report["who_looked"], AUDIT_COLUMNS),
        fmt=fmt,
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
    outcome, note = request.POST.get("outcome", ""), request.POST.get("note", "")
    review_reason(Actor.from_request(request), _user(request), grant, outcome, note)
    return redirect("governance:reasons")


@login_required
def datasets(request: HttpRequest, fmt: str = "") -> HttpResponse:
    if _user(request).role_enum not in STAFF_ROLES:
        raise PermissionDenied("The dataset register is for staff.")
    return respond(
        request,
        "oversight/datasets.html",
        {"datasets": Dataset.objects.prefetch_related("uses")},
        table=lambda: Table("datasets", dataset_rows(), DATASET_COLUMNS),
        fmt=fmt,
    )
