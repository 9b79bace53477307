"""The API's URLs, built once (django-ninja refuses two APIs with the same namespace)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def api_urls() -> Any:
    from upstream.api.views import build_api

    return build_api().urls
