"""Directory search under load: 5,000 services, 20 concurrent users, against one user alone.

Issue 6's goal: search p95 ≤ 100 ms with 0 errors for 20 concurrent users. The baseline is
the same requests from one user in the same run, so the ratio shows what concurrency costs.

It builds a throwaway data directory (SQLite), loads a 5,000-service synthetic directory over
40 wards (the 1.1-million-person city's ward count), starts the web app on 127.0.0.1 only in
a child process, and replays citizen searches (need, postcode, age, day, words; the HTML page
and the ORUK API) from threads. Bounded: REQUESTS_PER_USER each, and a time limit.

    python bench/bench_directory.py
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SERVICES = 5_000
WARDS = 40
USERS = 20
REQUESTS_PER_USER = 25
TIME_LIMIT_S = 300
# A person reads a page of results before searching again: one second at least (an assumed
# floor; reading ten results takes longer). The zero-think-time row is a stress test.
THINK_TIME_S = 1.0
GOAL_P95_MS = 100.0
ROOT = Path(__file__).resolve().parents[1]


def environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "UPSTREAM_ENV": "test",
        "UPSTREAM_DATA_DIR": str(data_dir),
        "UPSTREAM_DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "upstream.web.settings",
    }


LOAD = """
from upstream.jobs.database import operational_database
operational_database()
from upstream.directory.demo import load_synthetic
from upstream.synth.places import ward_names
from upstream.directory import taxonomy
per_item = -(-{services} // len(taxonomy.all_items()))
report = load_synthetic(ward_names({wards}), per_item=per_item)
print(len(report.created))
"""

# One threaded WSGI server per worker process, all on one port (SO_REUSEPORT), as a
# production server would run one worker per core. Nagle's algorithm is off: headers and body
# go out in separate writes, and Nagle would hold the body for the client's delayed ACK.
SERVER_PROCESSES = 2
SERVE = """
from upstream.jobs.database import setup_django
setup_django()
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

class QuietHandler(WSGIRequestHandler):
    disable_nagle_algorithm = True
    def log_message(self, *args):
        pass

class SharedPortServer(ThreadedWSGIServer):
    allow_reuse_port = True

server = SharedPortServer(("127.0.0.1", {port}), QuietHandler)
server.set_app(get_wsgi_application())
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def search_paths(rng: random.Random, count: int) -> list[str]:
    """Citizen searches as people make them: a need or words, often a postcode, an age, a day."""
    from upstream.directory import taxonomy

    needs = [item.slug for _, item in taxonomy.all_items()]
    words = ["debt", "lunch club", "housing", "youth", "mental health", "benefits", "food bank"]
    paths = []
    for _ in range(count):
        ward = rng.randrange(WARDS)
        postcode = f"UP{ward * 2 + rng.choice((1, 2))}+{rng.randint(1, 9)}AB"
        word = urllib.parse.quote_plus(rng.choice(words))
        params = [f"need={rng.choice(needs)}" if rng.random() < 0.7 else f"q={word}"]
        params += [f"postcode={postcode}"] if rng.random() < 0.8 else []
        params += [f"age={rng.randint(5, 85)}"] if rng.random() < 0.6 else []
        params += [f"day={rng.choice(['MO', 'SA', 'WE'])}"] if rng.random() < 0.4 else []
        api = rng.random() < 0.25
        query = "&".join(params)
        if api:
            query = query.replace("need=", "taxonomy_term_id=").replace("q=", "search=")
        paths.append(("/directory/api/services?" if api else "/directory/?") + query)
    return paths


def timed_get(base: str, path: str) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            response.read()
            ok = response.status == 200
    except Exception:
        ok = False
    return (time.perf_counter() - start) * 1000, ok


def run_users(
    base: str, paths: list[str], users: int, deadline: float, think_s: float = 0.0
) -> tuple[list[float], int]:
    chunks = [paths[i::users] for i in range(users)]

    def user(chunk: list[str]) -> list[tuple[float, bool]]:
        results = []
        for n, path in enumerate(chunk):
            if time.monotonic() >= deadline:
                break
            if think_s and n:
                time.sleep(think_s * (0.5 + random.random()))  # jittered, so users drift apart
            results.append(timed_get(base, path))
        return results

    with ThreadPoolExecutor(max_workers=users) as pool:
        results = [r for rs in pool.map(user, chunks) for r in rs]
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok)


def percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def wait_for(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("the web app did not start")


def main() -> None:
    deadline = time.monotonic() + TIME_LIMIT_S
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        started = time.perf_counter()
        loaded = (
            subprocess.run(
                [sys.executable, "-c", LOAD.format(services=SERVICES, wards=WARDS)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        load_s = time.perf_counter() - started
        port = free_port()
        servers = [
            subprocess.Popen(
                [sys.executable, "-c", SERVE.format(port=port)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(SERVER_PROCESSES)
        ]
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base, deadline)
            paths = search_paths(random.Random(6), USERS * REQUESTS_PER_USER)
            run_users(base, paths[:40], 4, deadline)  # warm up: templates, caches
            one_ms, one_errors = run_users(base, paths, 1, deadline)
            many_ms, many_errors = run_users(base, paths, USERS, deadline, THINK_TIME_S)
            stress_ms, stress_errors = run_users(base, paths[:400], USERS, deadline)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
    report(int(loaded), load_s, one_ms, one_errors, many_ms, many_errors)
    print(
        f"stress, {USERS} users with no think time: {len(stress_ms)} requests, "
        f"p50 {statistics.median(stress_ms):.1f} ms, p95 {percentile(stress_ms, 95):.1f} ms, "
        f"{stress_errors} errors ({os.cpu_count()} CPUs, {SERVER_PROCESSES} server processes)"
    )


def report(
    loaded: int, load_s: float, one: list[float], one_err: int, many: list[float], many_err: int
) -> None:
    p95_one, p95_many = percentile(one, 95), percentile(many, 95)
    met = p95_many <= GOAL_P95_MS and many_err == 0
    print(
        f"Directory search: {loaded:,} services over {WARDS} wards (loaded in {load_s:.1f} s), SQLite"
    )
    print(f"{'run':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    print(
        f"{'1 user (baseline)':<22}{len(one):>9}{statistics.median(one):>9.1f}{p95_one:>9.1f}{one_err:>8}"
    )
    print(
        f"{f'{USERS} concurrent users':<22}{len(many):>9}{statistics.median(many):>9.1f}{p95_many:>9.1f}{many_err:>8}"
    )
    print(
        f"goal: p95 ≤ {GOAL_P95_MS:.0f} ms and 0 errors with {USERS} users — {'met' if met else 'NOT met'}"
    )
    print(f"ratio: p95 with {USERS} users / p95 with 1 user = {p95_many / p95_one:.2f}")


if __name__ == "__main__":
    main()
