"""Benchmark: person search and the person page under 20 concurrent users, against the same
requests from one user, over HTTP on loopback, with a published city in PostgreSQL (the
default) or in SQLite (the embedded default of `upstream serve`).

    python bench/bench_casework.py [--people 20000] [--users 20] [--seconds 15]
    python bench/bench_casework.py --database-url sqlite:///var/upstream.sqlite3

The city comes from the insight pipeline's publish when one is in the database; otherwise the
published tables are filled with synthetic rows through the people models (about 2.4 people a
household, 8 costed events and 2 agency records a person) and the search index is rebuilt.
The web app runs as two worker processes (one per core) of Django's threaded WSGI server
sharing one port; the load generator is threads on 127.0.0.1, bounded in time and count, each
user on one keep-alive connection (as a browser), so database connections are reused; each
user's first request (which opens the connections) is checked for errors but not timed.
Every request is a real, audited request from a signed-in practitioner (team caseload access).
An error is any answer that is not 2xx, or no answer; a worker names the exception behind a
500 in a response header only the bench reads, so "database is locked" (SQLite's write lock
not granted in time, issue 10 item 12) is counted apart.
Goals (issue 5): p95 ≤ 150 ms and 0 errors under 20 users.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/upstream_bench_casework"
TEAM = "Bench team"
SOURCES = [
    "housing",
    "revs_benefits",
    "childrens",
    "adults",
    "schools",
    "police",
    "health_ae",
    "dwp",
    "youth_offending",
    "drug_alcohol",
]
MAX_REQUESTS_PER_PHASE = 20_000
EXCEPTION_HEADER = "X-Bench-Exception"  # set by the bench's workers only, never by the app
LOCKED = "database is locked"


def setup(database_url: str) -> None:
    os.environ.setdefault("UPSTREAM_ENV", "test")
    os.environ["UPSTREAM_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "upstream.web.settings"
    ensure_database(database_url)
    import django

    django.setup()


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite:")


def database_label(database_url: str) -> str:
    if is_sqlite(database_url):
        return f"SQLite ({sqlite_path(database_url)})"
    return "PostgreSQL"


def sqlite_path(database_url: str) -> str:
    """The file of a sqlite:///relative or sqlite:////absolute URL (as dj-database-url reads it)."""
    import dj_database_url

    return str(dj_database_url.parse(database_url)["NAME"])


def ensure_database(database_url: str) -> None:
    if is_sqlite(database_url):
        path = sqlite_path(database_url)
        if path == ":memory:" or not path:
            raise SystemExit("--database-url: SQLite needs a file the web workers can share")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def synthetic_city(people: int, seed: int = 7) -> None:
    """Fill the published tables with a synthetic city (only when no publish is there)."""
    from django.db import transaction

    from upstream.people import models as m
    from upstream.synth.names import FIRST_NAMES, RARE_SURNAMES, SURNAMES

    rng = random.Random(seed)
    given = sorted({n for pools in FIRST_NAMES.values() for names in pools.values() for n in names})
    family = sorted({n for names in SURNAMES.values() for n in names}) + list(RARE_SURNAMES[:2000])
    weights = [1 / (i + 1) ** 0.8 for i in range(len(family))]  # a few common surnames
    with transaction.atomic():
        for model in (
            m.CostEntry,
            m.ServiceEvent,
            m.SourceRecord,
            m.HouseholdMembership,
            m.Household,
            m.Person,
            m.PublishRun,
        ):
            model.objects.all().delete()
        m.PublishRun.objects.create(
            link_run_id="bench-synthetic", workspace="bench", counts={"people": people}
        )
        person_ids = [f"P{i:08d}" for i in range(1, people + 1)]
        households = _households(rng, person_ids)
        surnames = rng.choices(family, weights=weights, k=len(households))
        batch = Batches()
        for (uprn, members), surname in zip(households, surnames, strict=True):
            postcode = f"M{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            household = m.Household(
                household_id=f"H-{uprn}-20190401",
                uprn=uprn,
                address=f"{rng.randint(1, 200)} {surname} Road",
                postcode=postcode,
                start_date=date(2019, 4, 1),
                member_count=len(members),
            )
            batch.add(household)
            for person_id in members:
                born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 30000))
                person = m.Person(
                    person_id=person_id,
                    given_name=rng.choice(given),
                    family_name=surname,
                    date_of_birth=born,
                    current_postcode=postcode,
                    current_uprn=uprn,
                )
                batch.add(person)
                batch.add(
                    m.HouseholdMembership(
                        household_id=household.household_id,
                        person_id=person_id,
                        start_date=date(2019, 4, 1),
                    )
                )
                for k in range(2):
                    source = rng.choice(SOURCES)
                    batch.add(
                        m.SourceRecord(
                            record_key=f"{source}:{person_id}-{k}",
                            person_id=person_id,
                            source=source,
                            agency=source,
                            source_record_id=f"{source[:3].upper()}{rng.randint(10**6, 10**7)}",
                            given_name=person.given_name,
                            family_name=surname,
                            date_of_birth=born,
                            postcode=postcode,
                            extract_id="bench",
                            link_method="alone",
                        )
                    )
                for k in range(int(rng.expovariate(1 / 8))):
                    _event(batch, rng, person_id, household.household_id, k)
        batch.flush()


def _households(rng: random.Random, person_ids: list[str]) -> list[tuple[str, list[str]]]:
    households: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(person_ids):
        size = min(rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5]), len(person_ids) - i)
        households.append((f"1000{len(households):08d}", person_ids[i : i + size]))
        i += size
    return households


def _event(batch: Batches, rng: random.Random, person_id: str, household_id: str, k: int) -> None:
    from upstream.people import models as m

    source = rng.choice(SOURCES)
    day = date(2019, 4, 1) + timedelta(days=rng.randint(0, 2190))
    event_id = f"{source}:{person_id}-E{k}"
    batch.add(
        m.ServiceEvent(
            event_id=event_id,
            person_id=person_id,
            household_id=household_id,
            source=source,
            agency=source,
            event_type="EVT",
            description=f"{source.replace('_', ' ').title()} contact",
            start_date=day,
        )
    )
    amount = Decimal(rng.randint(50, 3000))
    start = day.year if day.month >= 4 else day.year - 1
    batch.add(
        m.CostEntry(
            event_id=event_id,
            person_id=person_id,
            household_id=household_id,
            unit_cost_code="B1",
            unit_cost_description="bench",
            quantity=Decimal(1),
            unit_cost=amount,
            amount=amount,
            price_year="2024/25",
            paying_agency=source,
            financial_year=f"{start}/{(start + 1) % 100:02d}",
        )
    )


class Batches:
    """bulk_create in parent-first order, a few thousand rows at a time."""

    ORDER = (
        "Household",
        "Person",
        "HouseholdMembership",
        "SourceRecord",
        "ServiceEvent",
        "CostEntry",
    )

    def __init__(self) -> None:
        self.rows: dict[str, list[object]] = {name: [] for name in self.ORDER}

    def add(self, row: object) -> None:
        self.rows[type(row).__name__].append(row)
        if len(self.rows["CostEntry"]) >= 20_000:
            self.flush()

    def flush(self) -> None:
        for name in self.ORDER:
            rows = self.rows[name]
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=5000)  # type: ignore[attr-defined]
            self.rows[name] = []


def prepare(people: int, rebuild: bool, reindex: bool) -> tuple[list[str], list[str], str]:
    """The city, the index, a practitioner's session; returns names to search, people to open."""
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from upstream.accounts.models import User
    from upstream.casework.models import SearchKey
    from upstream.casework.search import rebuild_index
    from upstream.governance.models import Allocation
    from upstream.people.models import Person, PublishRun

    call_command("migrate", interactive=False, verbosity=0)
    published = PublishRun.objects.exclude(link_run_id="bench-synthetic").exists()
    if not published and (rebuild or Person.objects.count() != people):
        started = time.perf_counter()
        synthetic_city(people)
        print(
            f"Synthetic published tables: {Person.objects.count():,} people in {time.perf_counter() - started:.0f} s"
        )
        SearchKey.objects.all().delete()
    if not SearchKey.objects.exists() or reindex:
        started = time.perf_counter()
        keys = rebuild_index()
        print(f"Search index: {keys:,} keys in {time.perf_counter() - started:.0f} s")
        analyse()
    user, _ = User.objects.get_or_create(
        username="bench-practitioner", defaults={"role": "practitioner", "team": TEAM}
    )
    user.set_password("bench-password-not-secret")
    user.save()
    sample = list(
        Person.objects.order_by("?").values_list("person_id", "given_name", "family_name")[:500]
    )
    Allocation.objects.filter(team=TEAM).delete()  # people may have changed since the last run
    if sample:
        Allocation.objects.bulk_create(
            Allocation(person_id=p, team=TEAM, allocated_by=user, allocated_at=timezone.now())
            for p, _, _ in sample
        )
    opened = list(Allocation.objects.filter(team=TEAM).values_list("person_id", flat=True)[:500])
    client = Client()
    assert client.login(username=user.username, password="bench-password-not-secret")
    names = [f"{g} {f}" for _, g, f in sample]
    return names, opened, client.cookies["sessionid"].value


def analyse() -> None:
    """Fresh planner statistics after bulk loads (autovacuum may not have got there yet)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def serve(port: int) -> None:
    """A worker: Django's threaded WSGI server on a shared port (SO_REUSEPORT).

    When a request raises, the worker names the exception in a response header so the load
    generator can count "database is locked" apart from other errors (the 500 page says
    nothing, by design)."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.signals import got_request_exception
    from django.core.wsgi import get_wsgi_application

    raised = threading.local()

    def remember(**kwargs: object) -> None:
        # Sent from inside Django's `except` block, in the request's thread.
        error = sys.exc_info()[1]
        if error is not None:
            raised.name = f"{type(error).__name__}: {error}"

    got_request_exception.connect(remember, weak=False)
    django_app = get_wsgi_application()

    def app(environ: dict[str, object], start_response: Any) -> Any:
        raised.name = ""

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if raised.name:
                name = " ".join(raised.name.split())[:200]
                headers.append(
                    (EXCEPTION_HEADER, name.encode("latin-1", "replace").decode("latin-1"))
                )
            return start_response(status, headers, exc_info)

        return django_app(environ, start)

    class QuietHandler(WSGIRequestHandler):
        # Headers and body go out in separate writes; without this, Nagle's algorithm holds
        # the body for the client's delayed ACK (40 ms) on every keep-alive request.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

    class SharedPortServer(ThreadedWSGIServer):
        allow_reuse_port = True

    server = SharedPortServer(("127.0.0.1", port), QuietHandler)
    server.set_app(app)
    server.serve_forever()


def start_workers(port: int, count: int, database_url: str) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "UPSTREAM_DATABASE_URL": database_url}
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port), "--database-url", database_url],
            env=env,
        )
        for _ in range(count)
    ]
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                time.sleep(1)  # let the other workers finish starting
                return workers
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the web app did not start")


@dataclass
class Phase:
    name: str
    users: str  # "20", or "20 (1s)" with think time between a user's requests
    latencies: list[float]
    seconds: float
    failures: Counter[str] = field(default_factory=Counter)  # kind of error → how many

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def locked(self) -> int:
        return sum(n for kind, n in self.failures.items() if LOCKED in kind)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    def slowest(self) -> float:
        return max(self.latencies, default=float("nan")) * 1000


def run_phase(
    name: str,
    port: int,
    paths: list[str],
    cookie: str,
    users: int,
    seconds: float,
    think: float = 0.0,
) -> Phase:
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(seed: int) -> None:
        # One keep-alive connection per user, as a browser keeps one: the server thread and
        # its database connection then live as long as the user's session of requests.
        rng = random.Random(seed)
        conn: http.client.HTTPConnection | None = None
        first = True
        while time.perf_counter() < stop and len(latencies) < MAX_REQUESTS_PER_PHASE:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                response = conn.getresponse()
                response.read()
                failure = failure_kind(response)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                failure = f"no answer: {type(error).__name__}"
                if conn is not None:
                    conn.close()
                conn = None
            elapsed = time.perf_counter() - started
            with lock:
                # A user's first request opens the connection (and the server thread's
                # database connection); production workers keep theirs, so it is not timed.
                if not first:
                    latencies.append(elapsed)
                if failure:
                    failures[failure] += 1
            first = False
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    label = f"{users}" if not think else f"{users} ({think:g}s)"
    return Phase(name, label, latencies, time.perf_counter() - started, failures)


def failure_kind(response: http.client.HTTPResponse) -> str:
    """ "" for a 2xx answer, else the status and, for a 500, the exception the worker named."""
    if 200 <= response.status < 300:
        return ""
    raised = response.getheader(EXCEPTION_HEADER, "")
    return f"{response.status}: {raised}" if raised else f"{response.status}"


def report(phases: list[Phase], goal_ms: float) -> None:
    print()
    print(
        f"{'scenario':<14}{'users':>9}{'requests':>10}{'req/s':>8}{'errors':>8}{'locked':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95 vs 1 user':>15}{'goal':>8}"
    )
    baseline: dict[str, float] = {}
    for phase in phases:
        p95 = phase.percentile(0.95)
        single = phase.users == "1"
        if single:
            baseline[phase.name] = p95
        ratio = p95 / baseline.get(phase.name, p95)
        meets = "" if single else ("met" if p95 <= goal_ms and phase.errors == 0 else "MISSED")
        print(
            f"{phase.name:<14}{phase.users:>9}{len(phase.latencies):>10}{len(phase.latencies) / phase.seconds:>8.0f}{phase.errors:>8}{phase.locked:>8}{phase.percentile(0.5):>9.1f}{p95:>9.1f}{phase.slowest():>9.0f}{ratio:>14.1f}x{meets:>8}"
        )
    print(
        f"\nGoal (issue 5): p95 ≤ {goal_ms:.0f} ms and 0 errors under concurrent users; ratio is p95 against one user."
        "\n'20 (1s)': 20 users each waiting 0.5–1.5 s between requests (reading the page);"
        " '20': the same users with no pause at all, a saturation test of this machine."
        "\nmax: the slowest timed request (SQLite's writers wait up to 20 s for the write lock)."
        "\nerrors: answers that were not 2xx, or no answer (first requests included);"
        f" locked: those that were a 500 '{LOCKED}'."
    )
    for phase in phases:
        for kind, count in phase.failures.most_common():
            print(f"  {phase.name}, {phase.users} users: {count} × {kind}")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people",
        type=int,
        default=20_000,
        help="people in the synthetic city (when nothing is published)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per phase")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user pauses between requests"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="web app processes"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("UPSTREAM_BENCH_DATABASE_URL", DEFAULT_URL),
        help="postgres://… (created if missing; the default) or sqlite:///PATH (a file, made if missing)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic city")
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the search index (after a publish)"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    args = arguments()
    setup(args.database_url)
    if args.serve:
        serve(args.serve)
        return
    names, opened, cookie = prepare(args.people, args.rebuild, args.reindex)
    from urllib.parse import urlencode

    scenarios = {
        "person search": [f"/people/?{urlencode({'name': n})}" for n in names],
        "person page": [f"/people/{p}/" for p in opened],
    }
    workers = start_workers(args.port, args.workers, args.database_url)
    try:
        phases = []
        for name, paths in scenarios.items():
            warm = run_phase(name, args.port, paths, cookie, 2, 2)  # warm up both workers
            for kind, count in warm.failures.items():
                print(f"Warm-up, {name}: {count} × {kind}")
            phases.append(run_phase(name, args.port, paths, cookie, 1, args.seconds))
            phases.append(
                run_phase(name, args.port, paths, cookie, args.users, args.seconds, args.think)
            )
            phases.append(run_phase(name, args.port, paths, cookie, args.users, args.seconds))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
    from upstream.people.models import Person

    print(
        f"\nCity: {Person.objects.count():,} people in {database_label(args.database_url)}; {args.workers} web workers; {args.seconds:.0f} s per phase."
    )
    report(phases, goal_ms=150)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
