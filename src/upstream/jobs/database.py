"""The operational database for jobs: Django set up once and migrated once per process.

Steps and commands ask for it when they need it (`operational_database()`), never at import
time, so `upstream --help` and the pure jobs (synth, link, appraise) stay quick.
"""

from __future__ import annotations

import os

_migrated: set[str] = set()  # the databases this process has migrated


def setup_django(*, make_data_dir: bool = True) -> None:
    """Configure Django once, on demand. Jobs that only read an existing database (the audit
    checks) pass `make_data_dir=False`, so a mistyped path creates nothing."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if make_data_dir:
        from django.conf import settings

        # The SQLite default lives in the data directory; make it on first use.
        settings.UPSTREAM.data_dir.mkdir(parents=True, exist_ok=True)


def operational_database(verbosity: int = 0) -> None:
    """Set Django up and apply migrations, once per database per process (the demo's steps
    each ask; only the first migrates)."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if name in _migrated:
        return
    call_command("migrate", interactive=False, verbosity=verbosity)
    _migrated.add(name)
