"""Directory test fixtures. Browser fixtures come from tests/browser/conftest.py."""

from __future__ import annotations

from tests.browser.conftest import browser, chromium  # noqa: F401
