"""Template context: the navigation for the signed-in person's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from upstream.accounts.roles import Role, navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for item in navigation_for(Role(user.role)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a capability not installed in this deployment
            continue
        items.append({"label": item.label, "url": url, "current": request.path == url})
    return {"navigation": items}
