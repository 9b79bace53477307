"""bench/bench_measures.py writes a city's year in proportion (requests on every route, the
early-help ones through the demo's own conversations writer), and every scope it asks for is
answered by the page, first working the figures out and then reading them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_measures.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCH.parent))  # it uses bench_casework next door
    spec = importlib.util.spec_from_file_location("bench_measures", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_year_is_written_and_every_scope_is_answered(
    bench: ModuleType, live_server: Any
) -> None:
    from upstream.conversations import measures
    from upstream.conversations.models import Conversation
    from upstream.frontdoor.models import Request

    counts = bench.write_year(20_000)
    assert Request.objects.filter(reference__startswith=bench.PREFIX).count() == 1_745
    assert counts["conversations"] == Conversation.objects.count() > 100
    assert counts["family_plans"] > 0 and counts["connections"] > 0
    measures.forget()
    [_, _, commissioner] = bench.sessions()
    scopes = bench.scopes()
    paths = [f"/conversations/measures/?{bench.urlencode(s)}" for s in scopes]
    port = urlsplit(live_server.url).port
    first = bench.first_views(port, paths, commissioner)  # each answered 200, or it stops
    assert len(first) == len(scopes) == 18
    again = bench.city.run_phase("page", port, paths[:3], commissioner, 1, 1.0)
    assert again.errors == 0 and again.latencies
