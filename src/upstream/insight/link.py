"""`upstream link`: one linkage run over the workspace's current extracts.

Standardise → identities → rule and Splink edges → clusters → persistent person IDs →
households → service-event timeline → cost ledger → person index. A provisional source's
record (the front door's identity as given) belongs to a person only when it joined a person
another source knows. Each run has an id and a folder under `insight/runs/` holding the
trained model (Splink's JSON) and the quality report. `service.run_link` runs it, the quality report and `record_run` in one DuckDB transaction: a run
that is interrupted changes no table, and a folder it leaves under `runs/` is never recorded in
`link_runs`, so nothing reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from upstream import sources as catalogue
from upstream.insight.contract import Contract
from upstream.insight.costing import build_cost_ledger
from upstream.insight.faults import fault_point
from upstream.insight.households import build_households, household_on_date_sql, load_gazetteer
from upstream.insight.linkage.clusters import (
    assign_person_ids,
    cluster_identities,
    ensure_id_tables,
)
from upstream.insight.linkage.pipeline import (
    LinkOptions,
    build_identities,
    deterministic_edges,
    splink_edges,
)
from upstream.insight.standardise import build_person_records
from upstream.insight.validation import quote
from upstream.insight.workspace import Workspace


@dataclass
class LinkRun:
    run_id: str
    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def new_run(data_dir: Path) -> LinkRun:
    run_id = datetime.now().strftime("link-%Y%m%d-%H%M%S")
    folder = Workspace.insight(data_dir).folder / "runs" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    return LinkRun(run_id, folder)


def _timed(run: LinkRun, name: str, start: datetime) -> None:
    run.timings[name] = round((datetime.now() - start).total_seconds(), 2)


def previous_model(con: duckdb.DuckDBPyConnection) -> Path | None:
    rows = con.execute(
        "SELECT model_path FROM link_runs ORDER BY finished_at DESC LIMIT 1"
    ).fetchall()
    return Path(rows[0][0]) if rows and Path(rows[0][0]).exists() else None


def _new_identity_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    ensure_id_tables(con)
    rows = con.execute(
        "SELECT identity_key FROM identities WHERE identity_key NOT IN (SELECT identity_key FROM person_identity)"
    ).fetchall()
    return {r[0] for r in rows}


def _earlier_links_as_edges(con: duckdb.DuckDBPyConnection) -> None:
    """Incremental runs keep earlier people: each known identity joins its person's first identity."""
    con.execute(
        """
        INSERT INTO edges
        SELECT min(i.identity_id) OVER (PARTITION BY p.person_id), i.identity_id, 'earlier_run', CAST(1.0 AS DOUBLE)
        FROM identities i JOIN person_identity p USING (identity_key)
        """
    )
    con.execute("DELETE FROM edges WHERE identity_l = identity_r")


def link(
    con: duckdb.DuckDBPyConnection,
    contracts: list[Contract],
    data_dir: Path,
    *,
    options: LinkOptions | None = None,
    gazetteer: str | None = None,
) -> LinkRun:
    """Run the whole linkage over every source with a current extract."""
    options = options or LinkOptions()
    run = new_run(data_dir)
    start = datetime.now()
    sources = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT source FROM extracts WHERE status = 'current'"
        ).fetchall()
    ]
    run.counts["records"] = build_person_records(con, contracts, sources)
    build_identities(con)
    deterministic_edges(con)
    _timed(run, "standardise and rules", start)
    start = datetime.now()
    model = previous_model(con) if options.incremental else None
    new_keys = _new_identity_keys(con) if model else None
    if model:
        options = LinkOptions(options.threads, options.memory_limit, True, model, options.seed)
        _earlier_links_as_edges(con)
    splink_edges(con, options, run.folder / "model.json", new_keys)
    _timed(run, "splink", start)
    start = datetime.now()
    cluster_identities(con)
    run.counts.update(assign_person_ids(con, run.run_id))
    fault_point("link:person-ids-assigned")
    con.execute(record_person_sql([s for s in sources if s in catalogue.provisional_codes()]))
    _build_outputs(con, run, gazetteer)
    _timed(run, "clusters, households, costs", start)
    return run


def record_person_sql(provisional: list[str]) -> str:
    """`record_person`: each record's person. A provisional source's record (an identity the
    front door was given) has a person only when it joined someone another source knows;
    alone it is nobody yet, so it stays out of the people, households and everything published,
    and the next run tries again (the request keeps its provisional person until then)."""
    every = (
        "SELECT r.record_key, p.person_id FROM record_identity r "
        "JOIN identity_person p USING (identity_id)"
    )
    if not provisional:
        return f"CREATE OR REPLACE TABLE record_person AS {every}"
    names = ", ".join(quote(code) for code in provisional)
    known = (
        "SELECT DISTINCT p.person_id FROM identity_person p JOIN identities i USING (identity_id) "
        f"WHERE i.source NOT IN ({names})"
    )
    return f"CREATE OR REPLACE TABLE record_person AS {every} WHERE p.person_id IN ({known})"


def _build_outputs(con: duckdb.DuckDBPyConnection, run: LinkRun, gazetteer: str | None) -> None:
    load_gazetteer(con, gazetteer)
    run.counts.update(build_households(con))
    build_service_events(con)
    run.counts.update(build_cost_ledger(con))
    build_person_index(con)
    run.counts["people"] = int(con.execute("SELECT count(*) FROM person_index").fetchall()[0][0])
    run.counts["identities"] = int(con.execute("SELECT count(*) FROM identities").fetchall()[0][0])


def build_service_events(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE events_base AS
        SELECT r.record_key, p.person_id, r.source, r.agency, r.event_type, r.event_date, r.unit_cost_code,
               r.postcode, coalesce(g.ward, w.ward) AS ward
        FROM person_records r JOIN record_person p USING (record_key)
        LEFT JOIN gazetteer g ON g.uprn = r.uprn LEFT JOIN postcode_ward w ON w.postcode = r.postcode
        WHERE r.event_date IS NOT NULL
        """
    )
    con.execute(
        f"CREATE OR REPLACE TABLE service_events AS SELECT e.*, h.household_id FROM events_base e "
        f"LEFT JOIN ({household_on_date_sql()}) h USING (record_key)"
    )


# person_index column -> (person_records column, which values count)
MOST_FREQUENT = {
    "given_name": ("forename", ""),
    "family_name": ("surname", ""),
    "date_of_birth": ("dob", ""),
    "sex": ("sex", "AND sex IN ('M', 'F')"),
    "ethnicity": ("ethnicity", ""),
    "nhs_number": ("nhs_number", ""),
}


def most_frequent_sql(column: str, condition: str = "") -> str:
    """Each person's most frequent value of a column in `r`. A tie goes to the value recorded
    latest, then the greater value: mode() breaks ties arbitrarily, and two runs over the same
    records (a re-run after a crash) must give the same person."""
    return (
        f"SELECT person_id, arg_max({column}, (n, latest, {column})) AS value FROM ("
        f"SELECT person_id, {column}, count(*) AS n, "
        f"coalesce(max(event_date), DATE '0001-01-01') AS latest "
        f"FROM r WHERE {column} IS NOT NULL {condition} GROUP BY ALL) GROUP BY person_id"
    )


def build_person_index(con: duckdb.DuckDBPyConnection) -> None:
    """One row per person: the most frequent name and birth date, the latest address, totals.
    Every choice has a tie-break, so the same records always give the same index."""
    frequent = "".join(
        f"m_{name} AS ({most_frequent_sql(column, condition)}),\n"
        for name, (column, condition) in MOST_FREQUENT.items()
    )
    chosen = ", ".join(f"any_value(m_{name}.value) AS {name}" for name in MOST_FREQUENT)
    joins = " ".join(f"LEFT JOIN m_{name} USING (person_id)" for name in MOST_FREQUENT)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE person_index AS
        WITH r AS (SELECT * FROM person_records JOIN record_person USING (record_key)),
        {frequent}
        latest AS (SELECT person_id,
                          arg_max(uprn, (event_date, uprn)) FILTER (WHERE uprn IS NOT NULL AND event_date IS NOT NULL) AS uprn,
                          arg_max(postcode, (event_date, postcode)) FILTER (WHERE postcode IS NOT NULL AND event_date IS NOT NULL) AS postcode
                   FROM r GROUP BY person_id),
        costs AS (SELECT person_id, sum(amount) AS total_cost FROM cost_ledger GROUP BY person_id)
        SELECT r.person_id, {chosen},
               string_agg(DISTINCT r.forename || ' ' || r.surname, '; ' ORDER BY r.forename || ' ' || r.surname) AS other_names,
               any_value(l.uprn) AS current_uprn, any_value(l.postcode) AS current_postcode,
               any_value(w.ward) AS ward, string_agg(DISTINCT r.agency, ',' ORDER BY r.agency) AS sources,
               count(*) AS record_count, min(r.event_date) AS first_seen, max(r.event_date) AS last_seen,
               coalesce(any_value(c.total_cost), 0) AS total_cost
        FROM r JOIN latest l USING (person_id) LEFT JOIN costs c USING (person_id) {joins}
        LEFT JOIN postcode_ward w ON w.postcode = l.postcode
        GROUP BY r.person_id
        """
    )


def record_run(con: duckdb.DuckDBPyConnection, run: LinkRun) -> None:
    import json

    con.execute(
        "INSERT INTO link_runs VALUES (?, ?, ?, ?)",
        [run.run_id, datetime.now(), str(run.folder / "model.json"), json.dumps(run.counts)],
    )
