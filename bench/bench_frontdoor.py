"""Benchmark: the front-door officer's path (search → new request → triage → connect) through
the officer's pages, at one user and at 20 concurrent users, over HTTP on loopback, with a city in
PostgreSQL (the default) or SQLite; /healthz measured in the same run as the baseline.

    python bench/bench_frontdoor.py [--people 20000] [--users 20] [--seconds 15]
    python bench/bench_frontdoor.py --database-url sqlite:///var/bench-frontdoor.sqlite3

Each simulated officer is their own account and session, and walks whole journeys, each for a
different person with no open request (so no request is joined to another): find the person
(GET /front-door/new/?name=), start the contact (POST …/start/), the story told once (GET
/front-door/new/<person>/), take the phone request (POST), the request page with the triage
suggestion (GET), triage to a targeted team with a reason (POST …/triage/), record consent (POST
…/consent/) and connect to a directory service (POST …/connect/). Every request is a real,
audited request through the same pages an officer uses (the lead's frontdoor.urls).

The city, the web workers (two processes sharing one port) and the error counting are
bench_casework's: the published tables are filled with synthetic people when nothing is
published, and a worker names the exception behind a 500 in a header only the bench reads.
A step's error is any answer other than the one the page gives on success (200 for a page,
302 for a form), or no answer; a journey stops at its first error.

Three phases, each --seconds long: one officer; 20 officers who each read every page for
0.5–1.5 s (--think) before the next step, as officers on the phone do; and 20 officers with no
pause at all, a saturation test of this machine. Reported per step and phase: p50, p95, max and
errors, the p95 over the same step's one-user p95, and over /healthz's p95 at as many users
(this machine's floor, measured in the same run). Goal (issue 12): p95 ≤ 150 ms per step and
0 errors at 20 users; the bench prints whether it was met, it never fails on a time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_casework as city  # the bench next door: the city, the workers, errors

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/upstream_bench_frontdoor"
PASSWORD = "bench-password-not-secret"
TEAM = "Early help — North"  # a targeted team in the bundled triage rules
SERVICE = "Bench money advice drop-in"
STEPS = (
    "search",
    "start",
    "story",
    "take",
    "request page",
    "triage",
    "consent",
    "connect",
)
GOAL_MS = 150.0
REFERENCE = re.compile(r"/front-door/requests/([A-Za-z0-9-]+)/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Officer:
    username: str
    cookie: str  # "sessionid=…; csrftoken=…"
    token: str  # the CSRF token for forms


@dataclass
class Timings:
    """Latencies per step (seconds) and failures per step, for one phase."""

    users: int
    think: float = 0.0
    seconds: float = 0.0
    journeys: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)

    def percentile(self, step: str, p: float) -> float:
        ordered = sorted(self.latencies.get(step, []))
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    def slowest(self, step: str) -> float:
        return max(self.latencies.get(step, []), default=float("nan")) * 1000

    def errors(self, step: str) -> int:
        return sum(n for kind, n in self.failures.items() if kind.startswith(f"{step}: "))


def prepare(
    people: int, users: int, rebuild: bool
) -> tuple[list[tuple[str, str]], list[Officer], str]:
    """The city and its search index, a directory service, and one officer per user; returns
    the people to take requests for (no open request yet), the officers, the service's ID."""
    from django.core.management import call_command

    from upstream.casework.models import SearchKey
    from upstream.casework.search import rebuild_index
    from upstream.people.models import Person, PublishRun

    call_command("migrate", interactive=False, verbosity=0)
    published = PublishRun.objects.exclude(link_run_id="bench-synthetic").exists()
    if not published and (rebuild or Person.objects.count() != people):
        started = time.perf_counter()
        city.synthetic_city(people)
        print(
            f"Synthetic people: {Person.objects.count():,} in {time.perf_counter() - started:.0f} s"
        )
        SearchKey.objects.all().delete()
    if not SearchKey.objects.exists():
        started = time.perf_counter()
        print(f"Search index: {rebuild_index():,} keys in {time.perf_counter() - started:.0f} s")
        if not city.is_sqlite(os.environ["UPSTREAM_DATABASE_URL"]):
            city.analyse()
    return fresh_people(), officers(users), str(bench_service().pk)


def fresh_people(limit: int = 20_000) -> list[tuple[str, str]]:
    """People with no open request (earlier runs leave theirs open on a waiting list), as
    (person ID, name to search by), in a random order."""
    from upstream.frontdoor.models import OPEN_STATUSES, Request
    from upstream.people.models import Person

    busy = Request.objects.filter(status__in=OPEN_STATUSES).values("person_id")
    rows = Person.objects.exclude(person_id__in=busy).order_by("?")[:limit]
    return [(p.person_id, f"{p.given_name} {p.family_name}") for p in rows]


def officers(count: int) -> list[Officer]:
    from django.test import Client

    from upstream.accounts.models import User

    signed_in = []
    for i in range(1, count + 1):
        user, _ = User.objects.get_or_create(
            username=f"bench-officer-{i}", defaults={"role": "front_door_officer"}
        )
        user.set_password(PASSWORD)
        user.save()
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        page = client.get("/front-door/new/").content.decode()
        token = CSRF.search(page)
        assert token, "the find page has no form token"
        cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={client.cookies['csrftoken'].value}"
        signed_in.append(Officer(user.username, cookie, token.group(1)))
    return signed_in


def bench_service() -> Any:
    from upstream.directory.models import Organization, Service

    organisation, _ = Organization.objects.get_or_create(
        name="Bench Advice Network", defaults={"description": "Free advice (bench)."}
    )
    service, _ = Service.objects.get_or_create(
        name=SERVICE,
        organization=organisation,
        defaults={"description": "Help with debts and bills.", "status": "active"},
    )
    return service


def need() -> str:
    from upstream.frontdoor.intake import known_needs

    needs = known_needs()
    return "financial-help" if "financial-help" in needs else sorted(needs)[0]


class Journey:
    """One officer's whole path for one person, step by step on one keep-alive connection."""

    def __init__(self, port: int, officer: Officer, service_id: str, need_slug: str) -> None:
        self.port = port
        self.officer = officer
        self.service_id = service_id
        self.need = need_slug
        self.conn: http.client.HTTPConnection | None = None
        self.rng = random.Random(officer.username)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def send(
        self, method: str, path: str, form: dict[str, Any] | None = None
    ) -> tuple[int, str, float, str]:
        """(status, Location, seconds, failure kind or "")."""
        headers = {"Cookie": self.officer.cookie}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.officer.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn = self.conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            location = response.getheader("Location", "") or ""
            raised = response.getheader(city.EXCEPTION_HEADER, "")
            if response.will_close:
                self.close()
            expected = 302 if method == "POST" else 200
            failure = (
                ""
                if response.status == expected
                else f"{response.status}{': ' + raised if raised else ''}"
            )
            return response.status, location, elapsed, failure
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, "", time.perf_counter() - started, f"no answer: {type(error).__name__}"

    def walk(self, person_id: str, name: str, think: float = 0.0) -> list[tuple[str, float, str]]:
        """The steps done, each (step, seconds, failure); stops at the first failure. With
        `think`, the officer reads each page for 0.5–1.5 × think seconds before the next."""
        done: list[tuple[str, float, str]] = []
        reference = ""
        for step, method, path, form in self.plan(person_id, name):
            if think and done:
                time.sleep(self.rng.uniform(0.5 * think, 1.5 * think))
            path = path.replace("{reference}", reference)
            _, location, elapsed, failure = self.send(method, path, form)
            done.append((step, elapsed, failure))
            if failure:
                break
            if step == "take":
                found = REFERENCE.search(location)
                if not found:
                    done[-1] = (step, elapsed, "take: no request reference in the redirect")
                    break
                reference = found.group(1)
        return done

    def plan(self, person_id: str, name: str) -> list[tuple[str, str, str, dict[str, Any] | None]]:
        ask = {
            "channel": "phone",
            "place": "contact_centre",
            "asked_by": "person",
            "what_matters": "Behind on the rent since losing my job; I want to keep my flat.",
            "needs": [self.need],
            "urgency": "soon",
            "preferred_contact": "phone",
            "contact_detail": "07700 900123",
            "language": "English",
        }
        request = "/front-door/requests/{reference}/"
        return [
            ("search", "GET", "/front-door/new/?" + urlencode({"name": name}), None),
            ("start", "POST", f"/front-door/new/{person_id}/start/", {}),
            ("story", "GET", f"/front-door/new/{person_id}/", None),
            ("take", "POST", f"/front-door/new/{person_id}/", ask),
            ("request page", "GET", request, None),
            (
                "triage",
                "POST",
                request + "triage/",
                {"route": "targeted", "team": TEAM, "override_reason": "Bench: a key worker."},
            ),
            (
                "consent",
                "POST",
                request + "consent/",
                {
                    "purpose": "connect_to_help",
                    "categories": ["contact", "needs"],
                    "types": ["any_directory"],
                    "state": "given",
                    "method": "verbal",
                },
            ),
            (
                "connect",
                "POST",
                request + "connect/",
                {"service": self.service_id, "message": "Rent arrears; mornings are best."},
            ),
        ]


def run_journeys(
    port: int,
    officers_: list[Officer],
    people: Iterator[tuple[str, str]],
    service_id: str,
    seconds: float,
    think: float = 0.0,
) -> Timings:
    timings = Timings(users=len(officers_), think=think)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    slug = need()

    def user(officer: Officer) -> None:
        journey = Journey(port, officer, service_id, slug)
        first = True
        while time.perf_counter() < stop:
            with lock:
                person = next(people, None)
            if person is None:
                break
            done = journey.walk(*person, think=think)
            with lock:
                timings.journeys += 1
                for step, elapsed, failure in done:
                    # A user's first request opens the connection (and the server thread's
                    # database connection); production workers keep theirs: not timed.
                    if not first:
                        timings.latencies[step].append(elapsed)
                    first = False
                    if failure:
                        timings.failures[f"{step}: {failure}"] += 1
        journey.close()

    threads = [threading.Thread(target=user, args=(o,)) for o in officers_]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings.seconds = time.perf_counter() - started
    return timings


def healthz(port: int, users: int, seconds: float) -> city.Phase:
    return city.run_phase("healthz", port, ["/healthz"], "", users, seconds)


def label(timings: Timings) -> str:
    return f"{timings.users}" if not timings.think else f"{timings.users} ({timings.think:g}s)"


def report(phases: list[Timings], floors: dict[int, city.Phase]) -> None:
    """One table: each step at each phase, against one user and against /healthz."""
    one = phases[0]
    print()
    print(
        f"{'step':<14}{'users':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}"
        f"{'vs 1 user':>11}{'vs healthz':>12}{'goal':>8}"
    )
    for step in STEPS:
        for timings in phases:
            p95 = timings.percentile(step, 0.95)
            floor = floors[timings.users].percentile(0.95)
            errors = timings.errors(step)
            single = timings is one
            meets = "" if single else ("met" if p95 <= GOAL_MS and errors == 0 else "MISSED")
            print(
                f"{step:<14}{label(timings):>9}{timings.percentile(step, 0.5):>9.1f}{p95:>9.1f}"
                f"{timings.slowest(step):>9.0f}{errors:>8}"
                f"{p95 / one.percentile(step, 0.95):>10.1f}x{p95 / floor:>11.1f}x{meets:>8}"
            )
    for users, floor in sorted(floors.items()):
        print(
            f"{'healthz':<14}{users:>9}{floor.percentile(0.5):>9.1f}{floor.percentile(0.95):>9.1f}"
            f"{floor.slowest():>9.0f}{floor.errors:>8}"
        )
    print()
    for timings in phases:
        print(
            f"{label(timings)} users: {timings.journeys:,} journeys in {timings.seconds:.0f} s "
            f"({timings.journeys / timings.seconds:.2f} a second)."
        )
    print(
        f"Goal (issue 12): p95 ≤ {GOAL_MS:.0f} ms per step and 0 errors at 20 users."
        " 'vs 1 user': p95 over the same step's p95 at one user; 'vs healthz': over /healthz's"
        " p95 at as many users, measured in the same run (this machine's floor)."
        f"\n'{label(phases[1])}': each officer reads every page 0.5–1.5 × {phases[1].think:g} s"
        f" before the next step; '{label(phases[-1])}': no pause at all, a saturation test."
    )
    for timings in phases:
        for kind, count in timings.failures.most_common():
            print(f"  {label(timings)} users: {count} × {kind}")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="people in the synthetic city")
    parser.add_argument("--users", type=int, default=20, help="concurrent officers")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per phase")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds an officer reads each page"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="web app processes"
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("UPSTREAM_BENCH_DATABASE_URL", DEFAULT_URL),
        help="postgres://… (created if missing; the default) or sqlite:///PATH",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic city")
    return parser.parse_args(argv)


def main() -> None:
    args = arguments()
    city.setup(args.database_url)
    people, officers_, service_id = prepare(args.people, args.users, args.rebuild)
    if len(people) < 50:
        raise SystemExit("fewer than 50 people without an open request: run with --rebuild")
    queue = iter(people)
    workers = city.start_workers(args.port, args.workers, args.database_url)
    try:
        warm = run_journeys(args.port, officers_[:2], queue, service_id, 3)
        for kind, count in warm.failures.items():
            print(f"Warm-up: {count} × {kind}")
        floors = {n: healthz(args.port, n, min(5, args.seconds)) for n in (1, args.users)}
        phases = [
            run_journeys(args.port, officers_[:1], queue, service_id, args.seconds),
            run_journeys(args.port, officers_, queue, service_id, args.seconds, args.think),
            run_journeys(args.port, officers_, queue, service_id, args.seconds),
        ]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
    from upstream.people.models import Person

    print(
        f"\nCity: {Person.objects.count():,} people in {city.database_label(args.database_url)}; "
        f"{args.workers} web workers; {args.seconds:.0f} s per phase; measured through the "
        "officer's pages (frontdoor.urls)."
    )
    report(phases, floors)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
