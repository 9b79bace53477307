"""Benchmark: the team measures page (issue 13 "Live measures") on a city's year of front-door
and conversations activity, in PostgreSQL (the default) or SQLite, over HTTP on loopback.

    python bench/bench_measures.py [--people 1100000] [--users 20] [--seconds 15]
    python bench/bench_measures.py --people 200000 --database-url sqlite:///var/bench-measures.sqlite3

The year is in proportion to --people, as the demo's is (upstream.synth.activity_mixes: 8,000
contacts a month per 1.1 million people; 25% triaged targeted, most of those to the two
early-help teams): every request of the year is written (all routes, 12% repeats), and the
early-help ones go through the demo's own conversations generator and writer
(upstream.synth.conversations_activity, upstream.jobs.conversations_activity), so the page
reads the same shape of data as the demo. Only the people who asked are published (the page
looks people up by ID, so the other residents change nothing it reads). The year is kept
between runs for the same --people; --rebuild writes it again.

Measured, in the same run:
- computing the figures, in process and without the cache, for every scope the page offers
  (each team, all teams, three wards; 3, 6 and 12 months): the cold cost a team manager pays
  at most once every `measures.FRESH_FOR` seconds per scope and web worker;
- the page through HTTP for signed-in team managers and commissioners over those scopes, at one
  user and at --users concurrent users, each user on one keep-alive connection;
- /healthz at as many users: this machine's floor.

Phases: one user; --users users who each read a page for 0.5–1.5 × --think seconds before the
next, as people do; and --users users with no pause at all, a saturation test of this machine.
Ratios, not timed assertions: p95 against one user and against /healthz. Goal (issue 13):
p95 ≤ 500 ms with people reading; the bench prints whether it was met.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_casework as city  # the bench next door: setup, the workers, the load, errors

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/upstream_bench_measures"
PASSWORD = "bench-password-not-secret"
GOAL_MS = 500.0
PREFIX = "R-SYN-B"  # synthetic (the demo step's mark), B for the bench
CONTACTS_A_MONTH_PER_PERSON = 8_000 / 1_100_000
ROUTES = {"universal": 0.58, "targeted": 0.25, "statutory": 0.17}
TARGETED_TEAMS = {"Early help — North": 0.43, "Early help — South": 0.42, "Housing support": 0.15}
NORTH_WARDS = ("Ashfield", "Brookvale", "Elmstead", "Fernlea", "Ivybridge")
SOUTH_WARDS = ("Copperhill", "Dovecote", "Granary", "Heronsgate", "Kingsmead")
REPEAT_SHARE = 0.12


def year_size(people: int) -> int:
    return round(people * CONTACTS_A_MONTH_PER_PERSON * 12)


def prepare(people: int, rebuild: bool) -> dict[str, Any]:
    """The year for `people` (written unless already there), and the signed-in users."""
    from django.core.management import call_command

    from upstream.frontdoor.models import Request

    call_command("migrate", interactive=False, verbosity=0)
    wanted = year_size(people)
    have = Request.objects.filter(reference__startswith=PREFIX).count()
    written: dict[str, Any] = {}
    if rebuild or have != wanted:
        written = write_year(people)
        if not city.is_sqlite(os.environ["UPSTREAM_DATABASE_URL"]):
            city.analyse()
    return {"written": written, "requests": wanted, "sessions": sessions()}


def write_year(people: int) -> dict[str, Any]:
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from upstream.conversations.models import Conversation
    from upstream.frontdoor.models import Request
    from upstream.jobs import conversations_activity as loader
    from upstream.people.models import Person

    rng = np.random.default_rng(7)
    now = timezone.now()
    count = year_size(people)
    started = time.perf_counter()
    with transaction.atomic():
        loader.remove_synthetic()
        Request.objects.filter(repeat_of__reference__startswith=PREFIX).update(repeat_of=None)
        Request.objects.filter(reference__startswith=PREFIX).delete()
        Person.objects.filter(person_id__startswith="B").delete()
        requests, persons, repeats = _requests(rng, count, now)
        Person.objects.bulk_create(persons, batch_size=5000)
        made = Request.objects.bulk_create(requests, batch_size=5000)
        _repeats(made, repeats)
    front_door = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        users = loader.ensure_users()
        team_requests = _team_requests(made, persons)
        from upstream.synth.conversations_activity import generate_conversations

        work = generate_conversations(
            team_requests,
            loader._workers(users),
            [_service()],
            loader._focus(users),
            now=timezone.localtime(now).replace(tzinfo=None),
            seed=7,
        )
        drawn = time.perf_counter() - started
        counts = loader.write_work(work, users)
    seconds = time.perf_counter() - started
    print(
        f"Year written: {count:,} requests in {front_door:.0f} s; "
        f"{Conversation.objects.count():,} conversations drawn in {drawn:.1f} s and written "
        f"with everything around them in {seconds:.0f} s ({counts})."
    )
    return counts


def _requests(rng: Any, count: int, now: datetime) -> tuple[list[Any], list[Any], dict[int, int]]:
    """The year's requests in order of arrival, the people who asked, and repeats (a later
    request's index → the earlier one's: 12% ask again, the same person)."""
    import numpy as np

    from upstream.frontdoor.models import Request
    from upstream.people.models import Person

    routes = rng.choice(list(ROUTES), size=count, p=list(ROUTES.values()))
    teams = rng.choice(list(TARGETED_TEAMS), size=count, p=list(TARGETED_TEAMS.values()))
    ages = rng.integers(0, 95, size=count)
    received_days = np.sort(rng.uniform(0, 365, size=count))
    repeats: dict[int, int] = {}
    requests, persons, asked_by = [], [], []
    for n in range(count):
        received = now - timedelta(days=365 - float(received_days[n]))
        route = str(routes[n])
        team = str(teams[n]) if route == "targeted" else ""
        if n and rng.random() < REPEAT_SHARE:
            repeats[n] = int(rng.integers(n))
            person = asked_by[repeats[n]]
        else:
            person = f"B{n:09d}"
            born = date.today() - timedelta(days=365 * int(ages[n]) + 100)
            persons.append(Person(person_id=person, ward=_ward(rng, team), date_of_birth=born))
        asked_by.append(person)
        triaged = received + timedelta(hours=float(rng.uniform(1, 72)))
        left = triaged + timedelta(days=float(28 * rng.lognormal(0, 0.4)))
        waiting = route == "targeted" and left > now and triaged < now
        if triaged > now:
            closed = None
        elif route == "targeted":
            closed = None if waiting else left
        else:
            closed = triaged
        requests.append(
            Request(
                reference=f"{PREFIX}{n:09d}",
                person_id=person,
                channel="phone",
                received_at=received,
                asked_by="person",
                what_matters="Help with money and the rent",
                needs=["financial-help"],
                preferred_contact="phone",
                status="waiting_list" if waiting else "closed" if closed else "awaiting_triage",
                route=route if triaged < now else "",
                team=team if triaged < now else "",
                triaged_at=triaged if triaged < now else None,
                closed_at=closed,
            )
        )
    return requests, persons, repeats


def _ward(rng: Any, team: str) -> str:
    wards = SOUTH_WARDS if team.endswith("South") else NORTH_WARDS
    return str(wards[int(rng.integers(len(wards)))])


def _repeats(made: list[Any], repeats: dict[int, int]) -> None:
    from upstream.frontdoor.models import Request

    for later, earlier in repeats.items():
        made[later].repeat_of_id = made[earlier].pk
    Request.objects.bulk_update([made[n] for n in repeats], ["repeat_of"], batch_size=5000)


def _team_requests(made: list[Any], persons: list[Any]) -> list[Any]:
    from django.utils import timezone

    from upstream.synth.conversations_activity import TeamRequest

    ward = {p.person_id: p.ward for p in persons}
    local = timezone.localtime
    return [
        TeamRequest(
            reference=r.reference,
            person_id=r.person_id,
            household_id=f"HB{int(r.person_id[1:]) // 3:08d}",
            ward=ward[r.person_id],
            team=r.team,
            received_at=local(r.received_at).replace(tzinfo=None),
            triaged_at=local(r.triaged_at).replace(tzinfo=None),
            left_list_at=local(r.closed_at).replace(tzinfo=None) if r.closed_at else None,
            age=40,
            needs=("financial-help",),
        )
        for r in made
        if r.team.startswith("Early help") and r.triaged_at is not None
    ]


def _service() -> Any:
    from upstream.directory.models import Organization, Service
    from upstream.synth.conversations_activity import Service as Offer

    organisation, _ = Organization.objects.get_or_create(
        name="Bench Advice Network", defaults={"description": "Free advice (bench)."}
    )
    service, _ = Service.objects.get_or_create(
        name="Bench money advice drop-in",
        organization=organisation,
        defaults={"description": "Help with debts and bills.", "status": "active"},
    )
    return Offer(str(service.pk), str(organisation.pk), ("financial-help",))


def sessions() -> list[str]:
    """Session cookies for a team manager of each early-help team and a commissioner."""
    from django.test import Client

    from upstream.accounts.models import User

    cookies = []
    for username, role, team in (
        ("bench-manager-north", "team_manager", "Early help — North"),
        ("bench-manager-south", "team_manager", "Early help — South"),
        ("bench-commissioner", "commissioner", ""),
    ):
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.team = role, team
        user.set_password(PASSWORD)
        user.save()
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        cookies.append(client.cookies["sessionid"].value)
    return cookies


def scopes() -> list[dict[str, str]]:
    """Every scope the bench asks for: each early-help team and all teams, three wards, and
    3, 6 and 12 months."""
    found = []
    for months in ("3", "6", "12"):
        for team in ("Early help — North", "Early help — South", ""):
            found.append({"team": team, "months": months})
        for ward in (NORTH_WARDS[0], SOUTH_WARDS[0], NORTH_WARDS[1]):
            found.append({"ward": ward, "months": months})
    return found


def cold(found: list[dict[str, str]]) -> list[float]:
    """Seconds to compute each scope's figures, without the cache."""
    from upstream.conversations import measures

    took = []
    for scope in found:
        started = time.perf_counter()
        measures.measure(
            measures.Scope(scope.get("team", ""), scope.get("ward", ""), int(scope["months"]))
        )
        took.append(time.perf_counter() - started)
    return took


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


def first_views(port: int, paths: list[str], cookie: str) -> list[float]:
    """Each scope's first view, one after another: the page works its figures out and keeps
    them for every worker (seconds each)."""
    import http.client

    took = []
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        response.read()
        took.append(time.perf_counter() - started)
        conn.close()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
    return took


def report(
    computed: list[float],
    first: list[float],
    phases: list[city.Phase],
    floors: dict[int, city.Phase],
) -> None:
    print()
    print(
        f"computing the figures (no cache), {len(computed)} scopes: p50 {percentile(computed, 0.5):.0f} ms,"
        f" p95 {percentile(computed, 0.95):.0f} ms, max {max(computed) * 1000:.0f} ms"
    )
    print(
        f"first view of each scope (works them out and keeps them): p50 {percentile(first, 0.5):.0f} ms,"
        f" p95 {percentile(first, 0.95):.0f} ms, max {max(first) * 1000:.0f} ms"
    )
    print()
    print(
        f"{'scenario':<16}{'users':>7}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'max ms':>9}{'vs 1 user':>11}{'vs healthz':>12}{'goal':>8}"
    )
    one = phases[0].percentile(0.95)
    for phase in phases:
        p95 = phase.percentile(0.95)
        floor = floors[int(phase.users.split()[0])].percentile(0.95)
        saturation = phase is phases[-1] and len(phases) > 2
        meets = "met" if p95 <= GOAL_MS and phase.errors == 0 else "MISSED"
        meets = "(load)" if saturation else meets
        print(
            f"{'measures page':<16}{phase.users:>7}{len(phase.latencies):>10}{phase.errors:>8}"
            f"{phase.percentile(0.5):>9.1f}{p95:>9.1f}{phase.slowest():>9.0f}"
            f"{p95 / one:>10.1f}x{p95 / floor:>11.1f}x{meets:>8}"
        )
    for users, floor in sorted(floors.items()):
        print(
            f"{'healthz':<16}{users:>7}{len(floor.latencies):>10}{floor.errors:>8}"
            f"{floor.percentile(0.5):>9.1f}{floor.percentile(0.95):>9.1f}{floor.slowest():>9.0f}"
        )
    for phase in phases:
        for kind, count in phase.failures.most_common():
            print(f"  {phase.users} users: {count} × {kind}")
    print(
        f"\nGoal (issue 13): p95 ≤ {GOAL_MS:.0f} ms. Figures are kept per scope in a file cache "
        "every web worker on the machine shares (measures.store): the first view of a scope works "
        "them out (above); later views read them; past 10 minutes (measures.FRESH_FOR) they are "
        "still shown while a background thread works them out again, so the page says when they "
        "were worked out.\n'20 (1s)': each user reads each page 0.5–1.5 s before the next, as "
        "people do; '20': no pause at all, a saturation test of this machine (not judged against "
        "the goal)."
    )


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_100_000, help="people in the city")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per phase")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user reads each page"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="web processes")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("UPSTREAM_BENCH_DATABASE_URL", DEFAULT_URL),
        help="postgres://… (created if missing; the default) or sqlite:///PATH",
    )
    parser.add_argument("--rebuild", action="store_true", help="write the year again")
    return parser.parse_args(argv)


def main() -> None:
    args = arguments()
    city.setup(args.database_url)
    prepared = prepare(args.people, args.rebuild)
    from upstream.conversations import measures

    measures.forget()  # figures kept by an earlier run are not this year's
    found = scopes()
    computed = cold(found)
    paths = [f"/conversations/measures/?{urlencode(s)}" for s in found]
    workers = city.start_workers(args.port, args.workers, args.database_url)
    try:
        cookies = prepared["sessions"]
        first = first_views(args.port, paths, cookies[2])
        floors = {
            n: city.run_phase("healthz", args.port, ["/healthz"], "", n, 5) for n in (1, args.users)
        }
        phases = [
            city.run_phase("page", args.port, paths, cookies[2], 1, args.seconds),
            city.run_phase(
                "page", args.port, paths, cookies[2], args.users, args.seconds, args.think
            ),
            city.run_phase("page", args.port, paths, cookies[2], args.users, args.seconds),
        ]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
    from upstream.conversations.models import Conversation

    print(
        f"\nCity: {args.people:,} people's year ({prepared['requests']:,} requests, "
        f"{Conversation.objects.count():,} conversations) in {city.database_label(args.database_url)}; "
        f"{args.workers} web workers; {args.seconds:.0f} s per phase."
    )
    report(computed, first, phases, floors)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
