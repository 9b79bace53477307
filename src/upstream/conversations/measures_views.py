"""The team measures page (issue 13 "Live measures"): for team managers and commissioners
(analysts too), per team, ward and month, each measure's trend as an inline SVG chart with
the same figures in a table and its definition beside it; CSV, JSON and XLSX downloads.

Counts only, so no person's records are shown and `governance.access.decide` is not asked;
the role is checked and every view and download is audited with its scope.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from openpyxl import Workbook

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import measures
from upstream.csv_cells import safe_cell
from upstream.edge.twins import Table, plain, respond
from upstream.errors import NotFound
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record

MEASURE_ROLES = frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER, Role.ANALYST})
COLUMNS = ["month", "measure", "unit", "value", "count", "of"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The trend charts: one column a month, drawn in a fixed box (inline SVG: no inline styles).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 600, 190, 22, 30


@login_required
def measures_page(request: HttpRequest, fmt: str = "") -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actor = Actor.from_request(request)
    if user.role_enum not in MEASURE_ROLES:
        raise refuse(actor, "conversations.measures", "Your role does not include team measures.")
    teams, wards = measures.choices()
    if user.team and user.team not in teams:
        teams = sorted([*teams, user.team])
    scope, errors = _scope(request, user, teams, wards)
    found = measures.figures(scope)
    record(
        actor,
        Event(
            action="conversations.measures",
            purpose="analysis",
            detail={"team": scope.team, "ward": scope.ward, "months": scope.months, "as": fmt},
        ),
    )
    if fmt == "xlsx":
        return workbook_response(found, errors)
    if fmt and fmt not in ("csv", "json"):
        raise NotFound("There is no download in this format")
    return respond(
        request,
        "conversations/measures/page.html",
        lambda: _context(found, teams, wards, errors),
        data=found.data,
        table=lambda: Table(_file_name(scope), found.rows(), COLUMNS),
        fmt=fmt,
        name=_file_name(scope),
        errors=errors,
    )


def _scope(
    request: HttpRequest, user: User, teams: list[str], wards: list[str]
) -> tuple[measures.Scope, dict[str, str]]:
    """The scope asked for; a team manager starts at their own team. Values not on offer are
    errors (the page shows them, a download is refused), never silently widened."""
    errors = {}
    default_team = user.team if user.role_enum == Role.TEAM_MANAGER else ""
    team = request.GET.get("team", default_team).strip()
    ward = request.GET.get("ward", "").strip()
    months = request.GET.get("months", "12").strip()
    if team and team not in teams:
        errors["team"] = "Choose a team from the list"
        team = default_team if default_team in teams else ""
    if ward and ward not in wards:
        errors["ward"] = "Choose a ward from the list"
        ward = ""
    if months not in {str(m) for m in measures.MONTH_CHOICES}:
        errors["months"] = "Choose 3, 6 or 12 months"
        months = "12"
    return measures.Scope(team, ward, int(months)), errors


def _file_name(scope: measures.Scope) -> str:
    parts = ["team-measures", scope.team, scope.ward, f"{scope.months}-months"]
    words = "-".join(p for p in parts if p).lower()
    return "".join(c if c.isalnum() or c == "-" else "-" for c in words)


def _context(
    found: measures.Figures, teams: list[str], wards: list[str], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "f": found,
        "scope": found.scope,
        "teams": teams,
        "wards": wards,
        "month_choices": measures.MONTH_CHOICES,
        "errors": errors,
        "sections": sections(found),
        "fresh_minutes": measures.FRESH_FOR // 60,
        "query": _query(found.scope),
    }


def sections(found: measures.Figures) -> str:
    """The page's figures as HTML, rendered once per computed figures and kept as long as
    they are: a dozen charts and tables cost more to render than the rest of the page."""

    def render() -> str:
        charts = [trend(found, d) for d in measures.DEFINITIONS]
        return render_to_string("conversations/measures/_figures.html", {"charts": charts})

    shown: str = mark_safe(measures.kept_text(found, "html", render))  # escaped as rendered
    return shown


def _query(scope: measures.Scope) -> str:
    from urllib.parse import urlencode

    return urlencode({"team": scope.team, "ward": scope.ward, "months": scope.months})


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    shown: str  # the value as text, "–" when there is none
    label_x: float
    value_y: float


@dataclass(frozen=True)
class Trend:
    definition: measures.Definition
    period: str
    columns: list[Column]
    description: str
    rows: list[tuple[measures.Month, Column]]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    label_y: int = CHART_HEIGHT - 10


def shown(value: measures.Value, unit: str) -> str:
    if value.value is None:
        return "–"
    number = f"{value.value:g}" if unit != "people" else f"{int(value.value):,}"
    return f"{number}%" if unit == "%" else number


def trend(found: measures.Figures, definition: measures.Definition) -> Trend:
    """A measure's months as columns scaled to the largest (100 for shares)."""
    values = [m.values[definition.key] for m in found.months]
    top = max((v.value or 0 for v in values), default=0)
    top = 100 if definition.unit == "%" else (top or 1)
    slot = CHART_WIDTH / max(1, len(values))
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    columns = []
    for i, (month, value) in enumerate(zip(found.months, values, strict=True)):
        height = plot * (value.value or 0) / top
        x = i * slot + 4
        columns.append(
            Column(
                x=round(x, 1),
                y=round(CHART_TOP + plot - height, 1),
                width=round(slot - 8, 1),
                height=round(height, 1),
                label=month.start.strftime("%b"),
                shown=shown(value, definition.unit),
                label_x=round(x + (slot - 8) / 2, 1),
                value_y=round(CHART_TOP + plot - height - 5, 1),
            )
        )
    description = f"{definition.label} by month: " + "; ".join(
        f"{m.label} {c.shown}" for m, c in zip(found.months, columns, strict=True)
    )
    period = shown(found.period[definition.key], definition.unit)
    return Trend(
        definition, period, columns, description, list(zip(found.months, columns, strict=True))
    )


def workbook_response(found: measures.Figures, errors: dict[str, str]) -> HttpResponse:
    """The figures and their definitions as a spreadsheet (no cell runs as a formula)."""
    if errors:
        from upstream.errors import InvalidFields

        raise InvalidFields(dict(errors))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Measures"
    sheet.append(COLUMNS)
    for row in found.rows():
        sheet.append([safe_cell(plain(row[c])) for c in COLUMNS])
    definitions = book.create_sheet("Definitions")
    definitions.append(["measure", "unit", "definition"])
    for d in measures.DEFINITIONS:
        definitions.append([safe_cell(d.label), d.unit, safe_cell(d.definition)])
    about = book.create_sheet("About")
    scope = found.scope
    about.append(["team", scope.team or "all"])
    about.append(["ward", scope.ward or "all"])
    about.append(["months", scope.months])
    about.append(["computed at", plain(found.computed_at)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(scope)}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
