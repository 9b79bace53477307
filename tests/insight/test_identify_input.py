"""Identification runs on insight's linkage, not only on the synthetic truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.identify.inputs import INSIGHT_KIND, insight_linked_events
from upstream.identify.pipeline import run_identification
from upstream.insight.workspace import Workspace

pytestmark = pytest.mark.core


def workspace_total(data_dir: Path, sql: str) -> float:
    with Workspace.insight(data_dir).open(read_only=True) as con:
        return float(con.execute(sql).fetchone()[0])  # type: ignore[index]


def test_insight_linked_input_carries_every_linked_event_with_its_cost(linked_city) -> None:  # type: ignore[no-untyped-def]
    data_dir = linked_city["data_dir"]
    city = insight_linked_events(data_dir)
    assert city is not None and city.input_kind == INSIGHT_KIND
    events, cost = city.con.execute("SELECT count(*), sum(cost) FROM events").fetchone()  # type: ignore[misc]
    assert events == workspace_total(data_dir, "SELECT count(*) FROM service_events")
    assert cost == pytest.approx(workspace_total(data_dir, "SELECT sum(amount) FROM cost_ledger"))
    orphans = city.con.execute(
        "SELECT count(*) FROM events WHERE person_id NOT IN (SELECT person_id FROM people)"
    ).fetchone()
    assert orphans == (0,)


def test_rules_on_insight_linkage_are_measured_against_the_people_records_belong_to(
    linked_city,
    small_city,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    city = insight_linked_events(linked_city["data_dir"])
    assert city is not None
    run = run_identification(city, tmp_path, truth_dir=small_city, with_models=False)
    assert run.input_kind == INSIGHT_KIND
    measured = run.quality
    assert measured is not None and len(measured) > 0
    flagged = measured[measured["flagged"] > 0]
    assert not flagged.empty
    # Linked people stand for true people, so most flagged people are truly in need.
    assert (flagged["precision"].between(0, 1)).all()
    assert flagged["true_positives"].sum() > 0
