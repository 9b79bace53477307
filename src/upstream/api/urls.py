"""The API's URLs, built once (django-ninja refuses two APIs with the same namespace)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def api_urls() -> Any:
    from upstream.api.views import build_api
    from upstream.frontdoor.api import mount

    api = build_api()
    mount(api)  # the partner API, /api/frontdoor/ (issue 12): same errors, own keys
    return api.urls
