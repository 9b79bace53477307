"""bench/bench_frontdoor.py walks the officer's real pages: one journey against a live server
takes, triages and connects a request without an error, and the report counts per step."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_frontdoor.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_frontdoor", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_one_journey_takes_triages_and_connects_a_request(
    bench: ModuleType, live_server: Any, family: dict[str, Any]
) -> None:
    from upstream.casework.search import index_people
    from upstream.frontdoor.models import Connection, Request

    mother = family["mother"]
    index_people([mother.person_id])
    [officer] = bench.officers(1)
    service_id = str(bench.bench_service().pk)
    journey = bench.Journey(urlsplit(live_server.url).port, officer, service_id, bench.need())
    done = journey.walk(mother.person_id, "Sarah Khan")
    journey.close()
    assert [(step, failure) for step, _, failure in done] == [(s, "") for s in bench.STEPS]
    request = Request.objects.get(person_id=mother.person_id)
    assert request.team == bench.TEAM and request.route == "targeted"
    assert Connection.objects.get(request=request).service_id is not None


def test_errors_are_counted_per_step_and_the_report_prints_every_step(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    from collections import Counter

    def timings(users: int, think: float = 0.0) -> Any:
        t = bench.Timings(users=users, think=think, seconds=1.0, journeys=1)
        for step in bench.STEPS:
            t.latencies[step].extend([0.01, 0.02, 0.2])
        t.failures = Counter({"take: 500: OperationalError": 2, "triage: 400": 1})
        return t

    phases = [timings(1), timings(20, 1.0), timings(20)]
    assert phases[0].errors("take") == 2 and phases[0].errors("triage") == 1
    assert phases[0].errors("search") == 0
    floor = bench.city.Phase("healthz", "1", [0.001, 0.002], 1.0)
    bench.report(phases, {1: floor, 20: floor})
    out = capsys.readouterr().out
    for step in bench.STEPS:
        assert out.count(f"\n{step:<14}") == 3, step
    assert "MISSED" in out, "an error misses the goal whatever the time"
