"""Test tiers and shared factories.

Tiers (markers): `core` needs no database; `sqlite` uses the operational database (SQLite in
the default pass, PostgreSQL in the postgres pass that `make test` runs when
UPSTREAM_TEST_DATABASE_URL is set); `postgres` only runs in that pass; `browser` drives Debian's
Chromium. A test with no tier marker is `core` if it uses no database and `sqlite` if it does.
"""

from __future__ import annotations

import os

import pytest

# One definition of the browser fixtures and of the test city for the whole suite
# (tests/browser/fixtures.py, tests/city.py).
pytest_plugins = ["tests.browser.fixtures", "tests.city"]

TIERS = {"core", "sqlite", "postgres", "browser"}
ON_POSTGRES = os.environ.get("UPSTREAM_TEST_PASS") == "postgres"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_postgres = pytest.mark.skip(reason="PostgreSQL pass only (set UPSTREAM_TEST_DATABASE_URL)")
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        tiers = {m.name for m in item.iter_markers()} & TIERS
        if not tiers:
            uses_db = item.get_closest_marker("django_db") is not None or any(
                f in getattr(item, "fixturenames", ())
                for f in ("db", "transactional_db", "live_server")
            )
            item.add_marker(pytest.mark.sqlite if uses_db else pytest.mark.core)
        if "postgres" in tiers and not ON_POSTGRES:
            item.add_marker(skip_postgres)


@pytest.fixture
def on_postgres() -> bool:
    return ON_POSTGRES
