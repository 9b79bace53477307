"""Directory test fixtures. Browser fixtures come from tests/browser/fixtures.py (loaded by tests/conftest.py)."""

from __future__ import annotations
