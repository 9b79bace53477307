"""Directory pages: the citizen's search, a service's page, and the editor's workflow."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from upstream.directory import editing, presenters
from upstream.directory.forms import SearchForm, ServiceForm
from upstream.directory.models import FieldChange, Service
from upstream.directory.permissions import can_edit_directory
from upstream.directory.postcodes import METRES_PER_MILE
from upstream.directory.search import ServiceQuery, search
from upstream.directory.terms import need_groups

MULTI_FIELDS = {"needs", "days", "languages"}
EDITOR_PAGE_SIZE = 25


def error_list(form: Any) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the GOV.UK error summary, in the form's field order."""
    anchors = []
    for name in form.fields:
        for message in form.errors.get(name, []):
            anchor = f"id_{name}_0" if name in MULTI_FIELDS else f"id_{name}"
            anchors.append((anchor, message))
    return anchors


def search_page(request: HttpRequest) -> HttpResponse:
    """What do you need help with? Works without JavaScript: a GET form and links."""
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "need_groups": need_groups(), "searched": False}
    if request.GET and form.is_valid():
        query = _citizen_query(form.cleaned_data, request.GET.get("page", "1"))
        result = search(query)
        found = {s.pk: s for s in presenters.cards_for(_stubs(result.hits))}
        context.update(
            searched=True,
            result=result,
            cards=[
                presenters.card(found[h.service_id], h.distance_m)
                for h in result.hits
                if h.service_id in found
            ],
            pages=_pages(request.GET, result.page, result.total_pages),
        )
    context["errors"] = error_list(form) if request.GET else []
    return render(request, "directory/search.html", context)


def _stubs(hits: list[Any]) -> list[Service]:
    return [Service(pk=h.service_id) for h in hits]


def _citizen_query(data: dict[str, Any], page: str) -> ServiceQuery:
    return ServiceQuery(
        text=data.get("q", ""),
        need=data.get("need", ""),
        age=data.get("age"),
        day=data.get("day", ""),
        postcode=data.get("postcode", ""),
        proximity_m=float(data["distance"]) * METRES_PER_MILE if data.get("distance") else None,
        statuses=("active", "temporarily closed"),
        page=max(1, int(page)) if page.isdigit() else 1,
        per_page=10,
    )


def _pages(params: QueryDict, page: int, total_pages: int) -> dict[str, Any]:
    def link(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "number": page,
        "total": total_pages,
        "previous": link(page - 1) if page > 1 else "",
        "next": link(page + 1) if page < total_pages else "",
    }


def service_page(request: HttpRequest, service_id: Any) -> HttpResponse:
    services = presenters.cards_for([Service(pk=service_id)])
    if not services:
        return render(request, "directory/not_found.html", status=404)
    service = services[0]
    return render(
        request,
        "directory/service.html",
        {
            "card": presenters.card(service),
            "service": service,
            "can_edit": can_edit_directory(request.user),
            "back": request.GET.get("back", ""),
        },
    )


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; then only directory editors (see permissions.py), others get 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_edit_directory(request.user):
            raise PermissionDenied("Editing the directory is for directory editors.")
        return view(request, *args, **kwargs)

    return guarded


@editor_required
def editor_home(request: HttpRequest) -> HttpResponse:
    # Without NUL characters, which PostgreSQL refuses in a query (a search with one was a 500).
    text = request.GET.get("q", "").replace("\x00", "").strip()
    services = Service.objects.select_related("organization", "assurer")
    if text:
        services = services.filter(Q(name__icontains=text) | Q(organization__name__icontains=text))
    total = services.count()
    return render(
        request,
        "directory/editor_home.html",
        {
            "services": services.order_by("name")[:EDITOR_PAGE_SIZE],
            "total": total,
            "q": text,
            "stale_count": editing.stale_services().count(),
            "stale_months": editing.DEFAULT_STALE_MONTHS,
        },
    )


@editor_required
def stale_queue(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("months", "")
    months = int(raw) if raw.isdigit() and 1 <= int(raw) <= 60 else editing.DEFAULT_STALE_MONTHS
    services = editing.stale_services(months)
    return render(
        request,
        "directory/stale.html",
        {
            "services": services[:200],
            "total": services.count(),
            "months": months,
            "month_choices": [3, 6, 12, 18, 24],
        },
    )


@editor_required
def create_service(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = editing.save_service(form.cleaned_data, user=request.user)
        messages.success(request, f"{service.name} has been added to the directory")
        return redirect("directory:service", service_id=service.pk)
    return _service_form(request, form, None)


@editor_required
def edit_service(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    form = ServiceForm(request.POST or None, initial=editing.initial_for(service))
    if request.method == "POST" and form.is_valid():
        editing.save_service(form.cleaned_data, user=request.user, service=service)
        messages.success(request, f"{service.name} has been updated")
        return redirect("directory:history", service_id=service.pk)
    return _service_form(request, form, service)


def _service_form(request: HttpRequest, form: ServiceForm, service: Service | None) -> HttpResponse:
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "service": service,
            "errors": error_list(form) if form.is_bound else [],
            "need_groups": _editor_need_groups(form),
        },
    )


def _editor_need_groups(form: ServiceForm) -> list[dict[str, Any]]:
    chosen = set(form["needs"].value() or [])
    return [
        {
            "label": group.label,
            "options": [(slug, label, slug in chosen) for slug, label in group.options],
        }
        for group in need_groups()
    ]


@editor_required
def service_history(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("assurer"), pk=service_id)
    changes = FieldChange.objects.filter(service=service).select_related("changed_by")
    rows = [presenters.change_row(c) for c in changes.order_by("-last_action_date", "-id")[:500]]
    return render(request, "directory/history.html", {"service": service, "changes": rows})


def search_link(**params: str) -> str:
    return reverse("directory:search") + "?" + urlencode(params)
