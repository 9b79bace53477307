"""Rules against the synthetic truth: precision and recall per rule set and per need.

Only possible on the synthetic city, whose `truth/needs.parquet` says who is really in need.
A need's `truth` list names the latent needs it stands for; a subject truly has the need when
a counted member (in the need's age range) has any of them, and truly qualifies when it truly
has `min_needs` needs (each need on its own for `each` rule sets).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from upstream.identify import engine
from upstream.identify.inputs import person_key
from upstream.identify.rules import RuleSet


def load_truth_needs(
    con: duckdb.DuckDBPyConnection, city_dir: Path, *, linked_by_insight: bool = False
) -> None:
    """`truth_needs (person_id, latent)`: one row per person and latent need they have.

    With insight's linkage, person IDs are insight's own: each linked person stands for the true
    person most of their records belong to (the synthetic city's record truth), so the scores
    include linkage errors, as a practitioner would meet them.
    """
    path = city_dir / "truth" / "needs.parquet"
    latent = f"""
        SELECT {person_key("person_id")} AS truth_person_id, latent
        FROM (UNPIVOT (SELECT * FROM '{path}') ON COLUMNS(* EXCLUDE person_id)
              INTO NAME latent VALUE present)
        WHERE present"""
    if not linked_by_insight:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE truth_needs AS "
            f"SELECT truth_person_id AS person_id, latent FROM ({latent})"
        )
        return
    records = city_dir / "truth" / "record_truth.parquet"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE truth_needs AS
        WITH stands_for AS (
            SELECT e.person_id, mode({person_key("t.person_id")}) AS truth_person_id
            FROM events e JOIN '{records}' t ON e.event_id = t.source || ':' || t.record_id
            GROUP BY e.person_id)
        SELECT s.person_id, l.latent FROM stands_for s JOIN ({latent}) l USING (truth_person_id)
        """
    )


def _truth_status(con: duckdb.DuckDBPyConnection, ruleset: RuleSet) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rs_truth (need_id VARCHAR, latent VARCHAR, "
        "min_age INTEGER, max_age INTEGER, lives_alone BOOLEAN)"
    )
    rows = [[n.id, t, *n.member_ages, n.lives_alone] for n in ruleset.needs for t in n.truth]
    if rows:
        con.executemany("INSERT INTO rs_truth VALUES (?, ?, ?, ?, ?)", rows)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rs_truth_status AS
        SELECT DISTINCT m.subject_id, r.need_id
        FROM rs_members m JOIN truth_needs t USING (person_id)
        JOIN rs_truth r ON r.latent = t.latent
        WHERE m.age BETWEEN r.min_age AND r.max_age AND (NOT r.lives_alone OR m.lives_alone)
        """
    )


def _scores(flagged: int, truly: int, both: int) -> dict[str, object]:
    return {
        "flagged": flagged,
        "truly_in_need": truly,
        "true_positives": both,
        "precision": round(both / flagged, 3) if flagged else None,
        "recall": round(both / truly, 3) if truly else None,
    }


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> int:
    used = {k: v for k, v in params.items() if f"${k}" in sql}  # DuckDB refuses extra ones
    return int(con.execute(sql, used).fetchall()[0][0])


def _need_rows(
    con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date
) -> list[dict[str, object]]:
    rows = []
    for need in ruleset.needs:
        params: dict[str, object] = {"as_of": as_of, "rs": ruleset.id, "need": need.id}
        predicted = "SELECT subject_id FROM need_status WHERE as_of = $as_of AND ruleset_id = $rs AND need_id = $need"
        truth = "SELECT subject_id FROM rs_truth_status WHERE need_id = $need"
        rows.append(
            {
                "ruleset_id": ruleset.id,
                "level": "need",
                "code": need.id,
                "label": need.label,
                **_scores(
                    _count(con, f"SELECT count(*) FROM ({predicted})", params),
                    _count(con, f"SELECT count(*) FROM ({truth})", params),
                    _count(con, f"SELECT count(*) FROM ({predicted} INTERSECT {truth})", params),
                ),
            }
        )
    return rows


def _flag_rows(
    con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date
) -> list[dict[str, object]]:
    params: dict[str, object] = {"as_of": as_of, "rs": ruleset.id}
    if ruleset.each:
        return []  # each need is a flag: the need rows are the flag rows
    predicted = "SELECT subject_id FROM flags WHERE as_of = $as_of AND ruleset_id = $rs"
    truth = (
        "SELECT subject_id FROM rs_truth_status GROUP BY subject_id "
        f"HAVING count(*) >= {ruleset.min_needs}"
    )
    return [
        {
            "ruleset_id": ruleset.id,
            "level": "flag",
            "code": ruleset.id,
            "label": ruleset.qualify_label,
            **_scores(
                _count(con, f"SELECT count(*) FROM ({predicted})", params),
                _count(con, f"SELECT count(*) FROM ({truth})", params),
                _count(con, f"SELECT count(*) FROM ({predicted} INTERSECT {truth})", params),
            ),
        }
    ]


def measure_rules(
    con: duckdb.DuckDBPyConnection,
    rulesets: list[RuleSet],
    as_of: date,
    city_dir: Path,
    *,
    linked_by_insight: bool = False,
) -> pd.DataFrame:
    """Precision and recall of each rule set's flags and needs on `as_of` (after the run)."""
    load_truth_needs(con, city_dir, linked_by_insight=linked_by_insight)
    rows: list[dict[str, object]] = []
    for ruleset in rulesets:
        engine._members(con, ruleset, as_of)
        population = _count(con, "SELECT count(DISTINCT subject_id) FROM rs_members", {})
        _truth_status(con, ruleset)
        for row in _flag_rows(con, ruleset, as_of) + _need_rows(con, ruleset, as_of):
            rows.append({**row, "subject": ruleset.subject, "population": population})
    return pd.DataFrame(rows)
