"""Pages: the cohort report (analysts) and the transparency page with downloads and the kill
switch (data protection officer). Every HTML page has a JSON twin (?format=json; the cohorts
a CSV too, ?format=csv) through `edge.twins`. A person's flags and overrides are part of their
record, so the casework views serve them through the person record's access decision."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from upstream.accounts.roles import Role
from upstream.edge.twins import Table, json_response, respond
from upstream.errors import NotFound
from upstream.flags import services
from upstream.flags.models import IdentifyRun
from upstream.identify.rules import load_rulesets


def _role(request: HttpRequest, allowed: frozenset[Role]) -> Role:
    role = Role(request.user.role)  # type: ignore[union-attr]
    if role not in allowed:
        raise PermissionDenied("This page is not part of your role.")
    return role


def _latest_run() -> IdentifyRun | None:
    return IdentifyRun.objects.first()


@login_required
def cohorts(request: HttpRequest) -> HttpResponse:
    _role(request, services.ANALYST_ROLES)
    run = _latest_run()
    report: dict[str, Any] = run.report if run else {}
    return respond(
        request,
        "flags/cohorts.html",
        {"run": run, "r": report},
        data={"report": report},
        table=Table("cohorts", report.get("cohorts", []), COHORT_COLUMNS),
    )


# A fixed order: PostgreSQL's jsonb does not keep the order keys were written in.
COHORT_COLUMNS = [
    "id",
    "title",
    "people",
    "households",
    "cost",
    "cost_per_person",
    "truly_in_need",
    "flags",
    "ages",
    "wards",
]


@login_required
def transparency(request: HttpRequest) -> HttpResponse:
    role = _role(request, services.GOVERNANCE_ROLES)
    run = _latest_run()
    withdrawn = services.withdrawn_targets()
    targets = _switch_targets(run)
    context = {
        "run": run,
        "rates": services.override_rates(),
        "withdrawn": withdrawn,
        "targets": [
            {
                "id": t,
                "title": title,
                "withdrawn": t in withdrawn,
                "seen_by": services.who_saw(t) if t in withdrawn else [],
            }
            for t, title, _ in targets
        ],
        "models": run.summary.get("models", {}) if run else {},
        "can_switch": role in {Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR},
    }
    data = {
        "transparency": run.transparency if run else [],
        "override_rates": context["rates"],
        "withdrawn": sorted(withdrawn),
    }
    return respond(request, "flags/transparency.html", context, data=data)


def _switch_targets(run: IdentifyRun | None) -> list[tuple[str, str, str]]:
    """What the kill switch can withdraw: (id, title, version) of each rule set and model."""
    targets = [(r.id, r.title, r.version) for r in load_rulesets()]
    if run:
        targets += [
            (m, m, v["metrics"].get("version", ""))
            for m, v in run.summary.get("models", {}).items()
        ]
    return targets


DOWNLOADS = {
    "transparency.md": ("transparency_markdown", "text/markdown"),
    "dpia.md": ("dpia_markdown", "text/markdown"),
    "fairness-audit.csv": ("fairness_csv", "text/csv"),
}


@login_required
def download(request: HttpRequest, name: str) -> HttpResponse:
    _role(request, services.GOVERNANCE_ROLES)
    run = _latest_run()
    if run is None:
        raise NotFound("No identification run has been published yet.")
    if name == "transparency.json":
        return json_response(run.transparency, filename=name)
    if name not in DOWNLOADS:
        raise NotFound("There is no such download")
    attribute, content_type = DOWNLOADS[name]
    response = HttpResponse(getattr(run, attribute), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def kill_switch(request: HttpRequest) -> HttpResponse:
    _role(request, frozenset({Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR}))
    target = request.POST.get("target", "")
    # Only what the page offers: a made-up target (a NUL, 5,000 characters) was a 500 on
    # PostgreSQL, and would have recorded a switch for nothing.
    if target not in {t for t, _, _ in _switch_targets(_latest_run())}:
        raise BadRequest("Choose a rule set or model from the transparency page.")
    reason = request.POST.get("reason", "").strip() or "No reason given"
    services.set_kill_switch(
        target, request.POST.get("withdrawn") == "1", reason, request.user, request
    )
    return redirect("flags:transparency")
