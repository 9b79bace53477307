"""The start page, each role's home page, and the synthetic city summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from upstream.accounts.roles import Role, navigation_for
from upstream.edge.twins import respond


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "start.html", {"roles": list(Role)})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = Role(request.user.role)  # type: ignore[union-attr]
    return render(
        request,
        "home.html",
        {"role": role, "offers": [i for i in navigation_for(role) if i.url_name != "home"]},
    )


def city_manifest_path() -> Path:
    return Path(settings.UPSTREAM.data_dir) / "city" / "manifest.json"


def load_city_manifest() -> dict[str, Any] | None:
    path = city_manifest_path()
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


CITY_ROLES = {Role.ANALYST, Role.COMMISSIONER, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR}


@login_required
def city(request: HttpRequest) -> HttpResponse:
    if Role(request.user.role) not in CITY_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("The synthetic city summary is for analysts and governance roles.")
    manifest = load_city_manifest()
    context = {"manifest": manifest, "path": city_manifest_path()}
    return respond(request, "city.html", context, data={"manifest": manifest})


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})
