"""The engine's input: a plain table of linked service events, household memberships and people.

Loaders give the same three tables (see :class:`LinkedCity`):

- :func:`insight_linked_events` reads the insight workspace once linkage has written its
  `service_events`, `household_memberships` and `person_index` tables (the real pipeline);
- :func:`from_frames` wraps three data frames (hand-made cases in tests);
- `upstream.synth.truth_linked` builds them from the synthetic city's *truth*, for
  development, tests and measuring rules against truth. It lives with the generator, which
  sits above identification: production code never reads the synthetic city. Every result
  carries `input_kind`, so truth-linked output is never presented as the real pipeline's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from upstream.insight.workspace import Workspace, scratch

EVENT_COLUMNS = (
    "event_id",  # SOURCE:record id, as published
    "person_id",
    "household_id",  # the household they lived in at the event date (may be null)
    "source",
    "event_type",
    "event_date",
    "unit_cost_code",
    "cost",  # GBP
    "ward",  # ward of the address at the event date (may be null)
)
MEMBERSHIP_COLUMNS = ("person_id", "household_id", "start_date", "end_date", "ward")
PEOPLE_COLUMNS = ("person_id", "date_of_birth", "sex", "ethnicity", "disability_known", "ward")


@dataclass(frozen=True)
class LinkedCity:
    """Names of three relations in `con`: events, memberships, people; and where they came from."""

    con: duckdb.DuckDBPyConnection
    input_kind: str  # "truth-linked (synthetic truth, development only)", "insight-linked", ...
    source: str  # a path or a description, for reports


def person_key(column: str) -> str:
    return f"'P' || lpad(CAST({column} AS VARCHAR), 8, '0')"


# The insight workspace's published-to-be tables (see docs/insight.md): the adapter below maps
# them onto the engine's three relations, so rules run on the real pipeline's linkage.
INSIGHT_TABLES = (
    "service_events",
    "cost_ledger",
    "household_memberships",
    "households",
    "person_index",
)
INSIGHT_KIND = "insight-linked"
# Two years: councils treat an address as current until contact shows otherwise; past two
# years without any record there we no longer place the person (a documented judgement, not a
# published figure; change it here).
LAST_KNOWN_ADDRESS_DAYS = 730


def insight_linked_events(data_dir: Path) -> LinkedCity | None:
    """The insight workspace's linked output, when linkage has written it; else None."""
    workspace = Workspace.insight(data_dir)
    if not workspace.exists():
        return None
    con = scratch()
    # Copied into temp tables (not views) so the workspace file is released at once and a
    # later `upstream link` can write to it while identification results are being read.
    with workspace.attached(con, "ws"):
        linked = set(INSIGHT_TABLES) <= workspace.tables(con, "ws")
        if linked:
            _copy_insight_tables(con)
    if not linked:
        con.close()
        return None
    return LinkedCity(con, INSIGHT_KIND, str(workspace.path))


def _copy_insight_tables(con: duckdb.DuckDBPyConnection) -> None:
    """events, memberships and people from the workspace attached as `ws`."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE events AS
        SELECT e.record_key AS event_id, e.person_id, e.household_id, e.source, e.event_type,
               e.event_date, e.unit_cost_code, coalesce(c.amount, 0)::DOUBLE AS cost, e.ward
        FROM ws.service_events e LEFT JOIN ws.cost_ledger c ON c.event_id = e.record_key
    """)
    # Insight's memberships are *observed* intervals: first to last record at the address. The
    # rules ask where someone lives on a date, so a last known address holds until a newer one
    # is seen, for up to LAST_KNOWN_ADDRESS_DAYS after it was last seen.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE memberships AS
        SELECT m.person_id, m.household_id, m.start_date,
               CAST(least(
                   coalesce(lead(m.start_date) OVER w - INTERVAL 1 DAY, DATE '9999-12-31'),
                   m.end_date + INTERVAL {LAST_KNOWN_ADDRESS_DAYS} DAY) AS DATE) AS end_date,
               h.ward
        FROM ws.household_memberships m LEFT JOIN ws.households h USING (household_id)
        WINDOW w AS (PARTITION BY m.person_id ORDER BY m.start_date)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE people AS
        WITH disabled AS (  -- "where known": a Care Act assessment or care package on record
            SELECT DISTINCT person_id FROM ws.service_events WHERE source = 'adults')
        SELECT p.person_id, p.date_of_birth, p.sex, p.ethnicity,
               d.person_id IS NOT NULL AS disability_known, p.ward,
               CAST(NULL AS DATE) AS date_of_death
        FROM ws.person_index p LEFT JOIN disabled d USING (person_id)
    """)


def from_frames(events: object, memberships: object, people: object, input_kind: str) -> LinkedCity:
    """Wrap three pandas DataFrames (e.g. read from the published tables) as a LinkedCity."""
    con = scratch()
    for name, frame in (("events", events), ("memberships", memberships), ("people", people)):
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")
    return LinkedCity(con, input_kind, "frames")
