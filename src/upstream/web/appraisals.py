"""Business cases for commissioners: the appraisals `upstream appraise` wrote, in the web app.

Reads the reports in $UPSTREAM_DATA_DIR/reports/NAME/ (the demo appraises the example cases
there). The HTML report is self-contained; it is served with a policy that allows its own
inline styles and nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse

from upstream.accounts.roles import Role
from upstream.edge.twins import respond
from upstream.errors import NotFound

APPRAISAL_ROLES = {Role.COMMISSIONER, Role.ANALYST, Role.ADMINISTRATOR}
# The report's charts are inline SVG and its styles inline; it runs no scripts.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)
# A folder or file name, short enough for any file system (a 300-character name was a 500:
# "File name too long").
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def reports_root() -> Path:
    return Path(settings.UPSTREAM.data_dir) / "reports"


def _allowed(request: HttpRequest) -> None:
    if Role(request.user.role) not in APPRAISAL_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("Business cases are for commissioners and analysts.")


def _summary(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "appraisal.json").read_text(encoding="utf-8"))
    return {
        "name": folder.name,
        "title": data["title"],
        "kind": data["kind"],
        "sentence": data["headline"]["sentence"],
        "figures": data["headline"]["figures"],
        "files": sorted(p.name for p in folder.iterdir() if p.is_file()),
    }


def appraisals_on_disk() -> list[dict[str, Any]]:
    root = reports_root()
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if (p / "appraisal.json").is_file())
    return [_summary(folder) for folder in folders]


def _report_folder(name: str) -> Path:
    folder = reports_root() / name
    if not SAFE_NAME.match(name) or not (folder / "appraisal.json").is_file():
        raise NotFound("No such appraisal.")
    return folder


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    appraisals = appraisals_on_disk()
    context = {"appraisals": appraisals, "root": reports_root()}
    return respond(request, "appraisals.html", context, data={"appraisals": appraisals})


@login_required
def appraisal_file(request: HttpRequest, name: str, filename: str) -> FileResponse:
    _allowed(request)
    folder = _report_folder(name)
    path = folder / filename
    # Only files the report folder holds, by exact name: no paths, no traversal.
    if not SAFE_NAME.match(filename) or not path.is_file():
        raise NotFound("No such file in this appraisal.")
    response = FileResponse(path.open("rb"), as_attachment=filename != "report.html")
    if filename == "report.html":
        response["Content-Security-Policy"] = REPORT_POLICY
    return response
