"""Cohorts: saved definitions (combinations of flags, age and area), their sizes over time,
overlaps (who is in several), cost of need per cohort, by ward and by agency.

Cohorts count people: a household flag puts everyone living there in the cohort, so person
and household rule sets can be combined and overlaps are comparable.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from upstream.errors import InputError

COST_WINDOW_MONTHS = 12  # cost of need: what services spent on the cohort in the year to the date


@dataclass(frozen=True)
class Cohort:
    id: str
    title: str
    flags: tuple[str, ...]
    ages: tuple[int, int] = (0, 120)
    wards: tuple[str, ...] = ()


def default_cohorts_file() -> Path:
    return Path(str(resources.files("upstream.identify") / "cohorts.toml"))


def load_cohorts(path: Path | None = None) -> list[Cohort]:
    path = path or default_cohorts_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=str(path)) from error
    cohorts = []
    for raw in data.get("cohort", []):
        if not raw.get("id") or not raw.get("flags"):
            raise InputError("every [[cohort]] needs an `id` and `flags`", where=str(path))
        ages = raw.get("ages", [0, 120])
        cohorts.append(
            Cohort(
                raw["id"],
                raw.get("title", raw["id"]),
                tuple(raw["flags"]),
                (int(ages[0]), int(ages[1])),
                tuple(raw.get("wards", ())),
            )
        )
    return cohorts


def _flag_condition(spec: str) -> str:
    ruleset, _, code = spec.partition("/")
    code_sql = f"AND f.code = '{code}'" if code else ""
    return (
        "EXISTS (SELECT 1 FROM flag_members fm JOIN flags f USING (flag_id) "
        f"WHERE fm.person_id = p.person_id AND f.as_of = p.as_of "
        f"AND f.ruleset_id = '{ruleset}' {code_sql})"
    )


def _quote(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def build_members(con: duckdb.DuckDBPyConnection, cohorts: list[Cohort]) -> None:
    """`cohort_members (as_of, cohort_id, person_id)` on every date the rules ran."""
    con.execute(
        "CREATE OR REPLACE TABLE cohort_members (as_of DATE, cohort_id VARCHAR, person_id VARCHAR)"
    )
    for cohort in cohorts:
        conditions = [_flag_condition(s) for s in cohort.flags]
        conditions.append(f"p.age BETWEEN {cohort.ages[0]} AND {cohort.ages[1]}")
        if cohort.wards:
            conditions.append(f"p.ward IN ({_quote(cohort.wards)})")
        con.execute(
            f"INSERT INTO cohort_members SELECT p.as_of, '{cohort.id}', p.person_id "
            f"FROM population p WHERE {' AND '.join(conditions)}"
        )


def build_person_costs(con: duckdb.DuckDBPyConnection) -> None:
    """`person_cost (as_of, person_id, source, cost)`: spend in the year to each date."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE person_cost AS
        SELECT d.as_of, e.person_id, e.source, sum(coalesce(e.cost, 0)) AS cost
        FROM (SELECT DISTINCT as_of FROM population) d
        JOIN events e ON e.event_date > d.as_of - INTERVAL {COST_WINDOW_MONTHS} MONTH
                     AND e.event_date <= d.as_of
        GROUP BY ALL
        """
    )


def sizes_over_time(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        WITH cost AS (SELECT as_of, person_id, sum(cost) AS cost FROM person_cost GROUP BY ALL)
        SELECT m.cohort_id, m.as_of, count(*) AS people,
               count(DISTINCT p.household_id) AS households,
               round(coalesce(sum(c.cost), 0)) AS cost,
               round(coalesce(sum(c.cost), 0) / count(*)) AS cost_per_person
        FROM cohort_members m
        JOIN population p USING (as_of, person_id)
        LEFT JOIN cost c USING (as_of, person_id)
        GROUP BY ALL ORDER BY m.cohort_id, m.as_of
        """
    ).df()


def overlaps(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """People in both of each pair of cohorts (the diagonal is each cohort's size)."""
    return con.execute(
        """
        SELECT a.cohort_id AS cohort, b.cohort_id AS other, count(*) AS people
        FROM cohort_members a JOIN cohort_members b USING (as_of, person_id)
        WHERE a.as_of = $as_of GROUP BY ALL ORDER BY 1, 2
        """,
        {"as_of": as_of},
    ).df()


def in_several(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """How many people are in one cohort, two, three…"""
    return con.execute(
        """
        SELECT cohorts, count(*) AS people FROM (
            SELECT person_id, count(*) AS cohorts FROM cohort_members
            WHERE as_of = $as_of GROUP BY person_id)
        GROUP BY cohorts ORDER BY cohorts
        """,
        {"as_of": as_of},
    ).df()


def by_ward(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    return con.execute(
        """
        WITH cost AS (SELECT as_of, person_id, sum(cost) AS cost FROM person_cost GROUP BY ALL),
        ward_people AS (SELECT ward, count(*) AS residents FROM population
                        WHERE as_of = $as_of GROUP BY ward)
        SELECT m.cohort_id, coalesce(p.ward, 'unknown') AS ward, count(*) AS people,
               round(1000.0 * count(*) / any_value(w.residents), 1) AS per_1000_residents,
               round(coalesce(sum(c.cost), 0)) AS cost
        FROM cohort_members m JOIN population p USING (as_of, person_id)
        LEFT JOIN ward_people w ON w.ward IS NOT DISTINCT FROM p.ward
        LEFT JOIN cost c USING (as_of, person_id)
        WHERE m.as_of = $as_of GROUP BY ALL ORDER BY 1, 2
        """,
        {"as_of": as_of},
    ).df()


def by_agency(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    return con.execute(
        """
        SELECT m.cohort_id, c.source, round(sum(c.cost)) AS cost
        FROM cohort_members m JOIN person_cost c USING (as_of, person_id)
        WHERE m.as_of = $as_of GROUP BY ALL ORDER BY 1, 3 DESC
        """,
        {"as_of": as_of},
    ).df()


def truth_in_need(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """How many in each cohort the synthetic truth says have any latent need (after
    :func:`upstream.identify.quality.load_truth_needs`)."""
    return con.execute(
        """
        SELECT cohort_id, count(*) AS people,
               count(*) FILTER (WHERE person_id IN (SELECT person_id FROM truth_needs))
                   AS truly_in_need
        FROM cohort_members WHERE as_of = $as_of GROUP BY cohort_id ORDER BY cohort_id
        """,
        {"as_of": as_of},
    ).df()
