"""The engine's input: a plain table of linked service events, household memberships and people.

Three loaders give the same three tables (see :class:`LinkedCity`):

- :func:`insight_linked_events` reads the insight workspace once linkage has written its
  `linked_events`, `household_memberships` and `linked_people` tables (the real pipeline);
- the `upstream.flags` app reads the published tables (`people` app) the same way;
- :func:`truth_linked_events` builds them from the synthetic city's *truth*, for development,
  tests and measuring rules against truth. It is perfect linkage by construction and is never
  presented as the real pipeline's output: every result carries `input_kind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from upstream.errors import InputError
from upstream.synth.extracts.contracts import CONTRACTS

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

# How each extract writes its event date: a DuckDB strptime format and how many leading
# characters hold the date (times are dropped).
DATE_FORMATS = {
    "dd/mm/yyyy": ("%d/%m/%Y", 10),
    "yyyymmdd": ("%Y%m%d", 8),
    "yyyy-mm-dd": ("%Y-%m-%d", 10),
    "dd-Mon-yyyy": ("%d-%b-%Y", 11),
    "dd/mm/yyyy HH:MM": ("%d/%m/%Y", 10),
    "yyyy-mm-ddTHH:MM:SS": ("%Y-%m-%d", 10),
}


@dataclass(frozen=True)
class LinkedCity:
    """Names of three relations in `con`: events, memberships, people; and where they came from."""

    con: duckdb.DuckDBPyConnection
    input_kind: str  # "truth-linked (synthetic truth, development only)", "insight-linked", ...
    source: str  # a path or a description, for reports


def person_key(column: str) -> str:
    return f"'P' || lpad(CAST({column} AS VARCHAR), 8, '0')"


def _event_dates_sql(city_dir: Path, source: str) -> str:
    """SELECT source, record_id, event_date from one extract, reading only two columns."""
    contract = CONTRACTS[source]
    columns = list(contract.columns)
    record = next(c for c in columns if c.identifier == "record id")
    date = next(c for i, c in enumerate(columns[:-1]) if columns[i + 1].format == "code")
    path = city_dir / "extracts" / contract.file
    if contract.format == "parquet":
        relation = f"read_parquet('{path}')"
        date_sql = f'CAST("{date.name}" AS DATE)'
    else:
        # cp1252 names would upset a UTF-8 reader; the two columns we read are ASCII.
        encoding = "latin-1" if contract.encoding != "utf-8" else "utf-8"
        relation = (
            f"read_csv('{path}', delim='{contract.delimiter}', header=true, all_varchar=true, "
            f"encoding='{encoding}', quote='\"')"
        )
        fmt, width = DATE_FORMATS[date.format]
        date_sql = f"CAST(strptime(left(\"{date.name}\", {width}), '{fmt}') AS DATE)"
    return (
        f"SELECT '{source}' AS source, CAST(\"{record.name}\" AS VARCHAR) AS record_id, "
        f"{date_sql} AS event_date FROM {relation}"
    )


def truth_linked_events(city_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> LinkedCity:
    """Events, memberships and people from the synthetic truth: perfect linkage, for development
    and measurement only. Households are people at one UPRN in one truth household."""
    truth = city_dir / "truth"
    if not (truth / "record_truth.parquet").exists():
        raise InputError(
            "no synthetic truth here (truth/record_truth.parquet)", where=str(city_dir)
        )
    con = con or duckdb.connect()
    dates = " UNION ALL ".join(_event_dates_sql(city_dir, s) for s in CONTRACTS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE truth_residence AS
        SELECT r.person_id, r.uprn, r.from_date::DATE AS from_date, r.to_date::DATE AS to_date,
               p.ward,
               CASE WHEN r.uprn IS NULL THEN NULL ELSE
                 'H-' || r.uprn || '-' || strftime(min(r.from_date) OVER
                   (PARTITION BY r.household_id, r.uprn), '%Y%m%d') END AS household_id
        FROM '{truth}/residence.parquet' r
        LEFT JOIN '{truth}/properties.parquet' p USING (uprn)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE memberships AS
        SELECT {person_key("person_id")} AS person_id, household_id, from_date AS start_date,
               to_date AS end_date, ward
        FROM truth_residence WHERE household_id IS NOT NULL
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE events AS
        WITH dated AS ({dates})
        SELECT t.source || ':' || t.record_id AS event_id, {person_key("t.person_id")} AS person_id,
               r.household_id, t.source, t.event_type, d.event_date, t.unit_cost_code,
               t.unit_cost_gbp AS cost, r.ward
        FROM '{truth}/record_truth.parquet' t
        JOIN dated d USING (source, record_id)
        LEFT JOIN truth_residence r ON r.person_id = t.person_id
             AND d.event_date BETWEEN r.from_date AND coalesce(r.to_date, DATE '9999-12-31')
        QUALIFY row_number() OVER (PARTITION BY t.source, t.record_id ORDER BY r.from_date) = 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE people AS
        WITH latest AS (
            SELECT person_id, arg_max(ward, from_date) AS ward FROM truth_residence GROUP BY 1),
        disabled AS (  -- "where known": a Care Act assessment or care package on record
            SELECT DISTINCT person_id FROM '{truth}/record_truth.parquet' WHERE source = 'adults')
        SELECT {person_key("p.person_id")} AS person_id, p.dob::DATE AS date_of_birth, p.sex,
               p.ethnic_group AS ethnicity, d.person_id IS NOT NULL AS disability_known, l.ward,
               p.dod::DATE AS date_of_death
        FROM '{truth}/people.parquet' p
        LEFT JOIN latest l USING (person_id) LEFT JOIN disabled d USING (person_id)
    """)
    return LinkedCity(con, "truth-linked (synthetic truth; development only)", str(city_dir))


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
    path = data_dir / "insight" / "workspace.duckdb"
    if not path.exists():
        return None
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS ws (READ_ONLY)")
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'ws'"
        ).fetchall()
    }
    if not set(INSIGHT_TABLES) <= present:
        con.close()
        return None
    _copy_insight_tables(con)
    return LinkedCity(con, INSIGHT_KIND, str(path))


def _copy_insight_tables(con: duckdb.DuckDBPyConnection) -> None:
    # Copied into temp tables (not views) so the workspace file is released at once and a
    # later `upstream link` can write to it while identification results are being read.
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
    con.execute("DETACH ws")


def from_frames(events: object, memberships: object, people: object, input_kind: str) -> LinkedCity:
    """Wrap three pandas DataFrames (e.g. read from the published tables) as a LinkedCity."""
    con = duckdb.connect()
    for name, frame in (("events", events), ("memberships", memberships), ("people", people)):
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")
    return LinkedCity(con, input_kind, "frames")
