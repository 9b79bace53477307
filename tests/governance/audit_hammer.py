"""Run by test_concurrency.py in its own process, against a file-based SQLite database:

    python tests/governance/audit_hammer.py migrate|write|verify [THREADS WRITES]

`write` runs several threads at once, without pauses, each reading for a while and then
appending an audit entry, as the person page does, and prints the errors as JSON; `verify`
prints the chain's verification and the journal mode as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import threading

# What a person page does before its audit write: read for a while (~50 ms here, holding
# SQLite's read lock throughout, as a page's queries over a city do).
SLOW_READ = """
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000)
SELECT count(*) FROM governance_signinfailure, n
"""


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.web.settings")
    import django

    django.setup()


def write(threads: int, writes: int) -> list[str]:
    from django.db import connection

    from upstream.governance.audit import Actor, Event, record

    errors: list[str] = []
    start = threading.Barrier(threads)

    def hammer(number: int) -> None:
        start.wait()  # all at once
        try:
            for n in range(writes):
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(SLOW_READ)
                    record(
                        Actor(f"user-{os.getpid()}-{number}", "practitioner"),
                        Event(action="view-person", person=f"P{n:08d}"),
                    )
                except Exception as error:  # every failure counts, whatever it is
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=hammer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def main() -> None:
    setup()
    mode = sys.argv[1]
    if mode == "migrate":
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from django.utils import timezone

        from upstream.governance.models import SignInFailure

        # One row for the slow read to hold its lock on.
        SignInFailure.objects.create(username="u", ip_address="203.0.113.1", at=timezone.now())
    elif mode == "write":
        print(json.dumps({"errors": write(int(sys.argv[2]), int(sys.argv[3]))}))
    else:
        from django.db import connection

        from upstream.governance.audit import verify

        result = verify()
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        outcome = {"ok": result.ok, "checked": result.checked, "problem": result.problem}
        print(json.dumps({**outcome, "journal": journal}))


if __name__ == "__main__":
    main()
