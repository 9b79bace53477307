"""The rule engine: each rule set becomes a few set-based DuckDB statements over the linked
events (no row loops), so the whole 1.1M-person city runs in seconds.

For an `as_of` date and a rule set:

1. *members*: who counts for which subject. A person subject counts themselves; a household
   subject counts the people living there on `as_of` (their events follow them: a need a
   person brought with them is the household's need now).
2. *matched*: each member's events in the look-back window that match a need's event
   patterns, for members in the need's age range (and living alone, if the need says so).
3. *need status*: per subject and need, the count and cost; `met_on`, the date the window's
   evidence first reached the need's thresholds; `lapses_on`, when the oldest event still
   needed leaves the window (the need lapses then unless something new happens).
4. *flags*: subjects with `min_needs` needs met (raised on the date the k-th need was met,
   lapsing when fewer than k would remain), or each need on its own (`each = true`).
5. *evidence*: the source records behind each flag (the most recent ten per need).
"""

from __future__ import annotations

from datetime import date

import duckdb

from upstream.identify.rules import RuleSet

EVIDENCE_PER_NEED = 10  # records shown on a card per need; the count says how many in all

RESULT_SCHEMA = """
CREATE TABLE IF NOT EXISTS population (
    as_of DATE, person_id VARCHAR, age INTEGER, household_id VARCHAR, hh_size INTEGER,
    hh_children INTEGER, ward VARCHAR, sex VARCHAR, ethnicity VARCHAR, disability_known BOOLEAN);
CREATE TABLE IF NOT EXISTS need_status (
    as_of DATE, ruleset_id VARCHAR, subject_type VARCHAR, subject_id VARCHAR, need_id VARCHAR,
    n_events BIGINT, cost DOUBLE, met_on DATE, lapses_on DATE);
CREATE TABLE IF NOT EXISTS flags (
    flag_id VARCHAR, as_of DATE, ruleset_id VARCHAR, ruleset_version VARCHAR, kind VARCHAR,
    code VARCHAR, label VARCHAR, subject_type VARCHAR, subject_id VARCHAR, needs VARCHAR[],
    raised_on DATE, lapses_on DATE, score DOUBLE);
CREATE TABLE IF NOT EXISTS evidence (
    flag_id VARCHAR, need_id VARCHAR, event_id VARCHAR, person_id VARCHAR, source VARCHAR,
    event_type VARCHAR, event_date DATE, cost DOUBLE);
CREATE TABLE IF NOT EXISTS flag_members (flag_id VARCHAR, person_id VARCHAR);
"""

POPULATION_FILTERS = {
    "everyone": "TRUE",
    "adults": "age >= 18",
    "children": "age < 18",
    "adults_without_dependent_children": "age >= 18 AND coalesce(hh_children, 0) = 0",
    "families": "hh_children > 0",
}


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Result tables, and the distinct event kinds (for turning wildcards into equi-joins)."""
    con.execute(RESULT_SCHEMA)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE event_kinds AS SELECT DISTINCT source, event_type FROM events"
    )


def snapshot_population(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Everyone alive and born on `as_of`: age, current household, its size and children."""
    con.execute("DELETE FROM population WHERE as_of = ?", [as_of])
    con.execute(
        """
        INSERT INTO population
        WITH alive AS (
            SELECT *, CAST(floor(date_diff('month', date_of_birth, $as_of) / 12) AS INTEGER) AS age
            FROM people
            WHERE date_of_birth <= $as_of AND (date_of_death IS NULL OR date_of_death > $as_of)),
        home AS (
            SELECT person_id, arg_max(household_id, start_date) AS household_id,
                   arg_max(ward, start_date) AS ward
            FROM memberships
            WHERE start_date <= $as_of AND coalesce(end_date, DATE '9999-12-31') >= $as_of
            GROUP BY person_id),
        placed AS (SELECT a.*, h.household_id, h.ward AS home_ward
                   FROM alive a LEFT JOIN home h USING (person_id))
        SELECT $as_of, person_id, age, household_id,
               CASE WHEN household_id IS NULL THEN 1
                    ELSE count(*) OVER (PARTITION BY household_id) END,
               CASE WHEN household_id IS NULL THEN CAST(age < 18 AS INTEGER)
                    ELSE count(*) FILTER (WHERE age < 18) OVER (PARTITION BY household_id) END,
               coalesce(home_ward, ward), sex, ethnicity, disability_known
        FROM placed
        """,
        {"as_of": as_of},
    )


def _load_rule_tables(con: duckdb.DuckDBPyConnection, ruleset: RuleSet) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rs_needs (need_id VARCHAR, need_order INTEGER, "
        "min_events INTEGER, min_cost DOUBLE, min_age INTEGER, max_age INTEGER, "
        "lives_alone BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO rs_needs VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [n.id, i, n.min_events, n.min_cost, *n.member_ages, n.lives_alone]
            for i, n in enumerate(ruleset.needs)
        ],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rs_patterns (need_id VARCHAR, source VARCHAR, event_type VARCHAR)"
    )
    con.executemany(
        "INSERT INTO rs_patterns VALUES (?, ?, ?)",
        [[n.id, *p] for n in ruleset.needs for p in n.patterns()],
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rs_map AS
        SELECT DISTINCT p.need_id, k.source, k.event_type
        FROM rs_patterns p JOIN event_kinds k
          ON (p.source = '*' OR p.source = k.source)
         AND (p.event_type = '*' OR p.event_type = k.event_type)
        """
    )


def _members(con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date) -> None:
    where = POPULATION_FILTERS[ruleset.population]
    subject = "person_id" if ruleset.subject == "person" else "household_id"
    household_only = "AND household_id IS NOT NULL" if ruleset.subject == "household" else ""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rs_members AS
        SELECT {subject} AS subject_id, person_id, age, hh_size <= 1 AS lives_alone, ward
        FROM population WHERE as_of = $as_of AND {where} {household_only}
        """,
        {"as_of": as_of},
    )
    if ruleset.subject == "household":
        # The population filter chose households; count every member living there.
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE rs_members AS
            SELECT household_id AS subject_id, person_id, age, hh_size <= 1 AS lives_alone, ward
            FROM population
            WHERE as_of = $as_of AND household_id IN (SELECT subject_id FROM rs_members)
            """,
            {"as_of": as_of},
        )


def _need_status(con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date) -> None:
    months = int(ruleset.lookback_months)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rs_ranked AS
        WITH matched AS (
            SELECT m.subject_id, r.need_id, e.event_id, e.person_id, e.source, e.event_type,
                   e.event_date, coalesce(e.cost, 0) AS cost
            FROM events e
            JOIN rs_map r ON r.source = e.source AND r.event_type = e.event_type
            JOIN rs_members m ON m.person_id = e.person_id
            JOIN rs_needs n ON n.need_id = r.need_id
            WHERE e.event_date > $as_of - INTERVAL {months} MONTH AND e.event_date <= $as_of
              AND m.age BETWEEN n.min_age AND n.max_age
              AND (NOT n.lives_alone OR m.lives_alone))
        SELECT *,
            row_number() OVER asc_w AS rn_asc, sum(cost) OVER asc_w AS cum_cost,
            row_number() OVER desc_w AS rn_desc, sum(cost) OVER desc_w AS rev_cost
        FROM matched
        WINDOW asc_w AS (PARTITION BY subject_id, need_id ORDER BY event_date, event_id
                         ROWS UNBOUNDED PRECEDING),
               desc_w AS (PARTITION BY subject_id, need_id ORDER BY event_date DESC, event_id DESC
                          ROWS UNBOUNDED PRECEDING)
        """,
        {"as_of": as_of},
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rs_status AS
        SELECT r.subject_id, r.need_id, any_value(n.need_order) AS need_order,
               count(*) AS n_events, sum(r.cost) AS cost,
               min(r.event_date) FILTER (WHERE r.rn_asc >= n.min_events
                                          AND r.cum_cost >= n.min_cost) AS met_on,
               CAST(max(r.event_date) FILTER (WHERE r.rn_desc >= n.min_events
                                               AND r.rev_cost >= n.min_cost)
                    + INTERVAL {months} MONTH AS DATE) AS lapses_on
        FROM rs_ranked r JOIN rs_needs n USING (need_id)
        GROUP BY r.subject_id, r.need_id, n.min_events, n.min_cost
        HAVING count(*) >= n.min_events AND sum(r.cost) >= n.min_cost
        """
    )
    con.execute(
        "INSERT INTO need_status SELECT $as_of, $rs, $subject, subject_id, need_id, n_events, "
        "cost, met_on, lapses_on FROM rs_status",
        {"as_of": as_of, "rs": ruleset.id, "subject": ruleset.subject},
    )


def _flags(con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date) -> None:
    params = {
        "as_of": as_of,
        "rs": ruleset.id,
        "version": ruleset.version,
        "subject": ruleset.subject,
        "label": ruleset.qualify_label,
    }
    flag_id = "$rs || '/' || code || '/' || subject_id || '/' || strftime($as_of, '%Y-%m-%d')"
    if ruleset.each:
        labels = ", ".join(
            f"('{n.id}', '{n.label.replace(chr(39), chr(39) * 2)}')" for n in ruleset.needs
        )
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE rs_flags AS
            WITH labels(need_id, label) AS (VALUES {labels}),
            f AS (SELECT s.subject_id, s.need_id AS code, l.label, [s.need_id] AS needs,
                         s.met_on AS raised_on, s.lapses_on
                  FROM rs_status s JOIN labels l USING (need_id))
            SELECT {flag_id} AS flag_id, * FROM f
            """,
            {"as_of": as_of, "rs": ruleset.id},
        )
    else:
        k = ruleset.min_needs
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE rs_flags AS
            WITH f AS (
                SELECT subject_id, $rs AS code, $label AS label,
                       list(need_id ORDER BY need_order) AS needs,
                       list_sort(list(met_on))[{k}] AS raised_on,
                       list_sort(list(lapses_on), 'DESC')[{k}] AS lapses_on
                FROM rs_status GROUP BY subject_id HAVING count(*) >= {k})
            SELECT {flag_id} AS flag_id, * FROM f
            """,
            {"as_of": as_of, "rs": ruleset.id, "label": ruleset.qualify_label},
        )
    con.execute(
        "INSERT INTO flags SELECT flag_id, $as_of, $rs, $version, 'rule', code, label, $subject, "
        "subject_id, needs, raised_on, lapses_on, NULL FROM rs_flags",
        {k: v for k, v in params.items() if k != "label"},
    )


def _evidence(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        INSERT INTO evidence
        SELECT f.flag_id, r.need_id, r.event_id, r.person_id, r.source, r.event_type,
               r.event_date, r.cost
        FROM rs_flags f
        JOIN rs_ranked r ON r.subject_id = f.subject_id AND list_contains(f.needs, r.need_id)
        WHERE r.rn_desc <= {EVIDENCE_PER_NEED}
        """
    )
    con.execute(
        "INSERT INTO flag_members SELECT DISTINCT f.flag_id, m.person_id "
        "FROM rs_flags f JOIN rs_members m USING (subject_id)"
    )


def run_ruleset(con: duckdb.DuckDBPyConnection, ruleset: RuleSet, as_of: date) -> int:
    """Evaluate one rule set on `as_of` (after :func:`snapshot_population`); flags raised."""
    for table in ("need_status", "flags"):
        con.execute(f"DELETE FROM {table} WHERE as_of = ? AND ruleset_id = ?", [as_of, ruleset.id])
    _load_rule_tables(con, ruleset)
    _members(con, ruleset, as_of)
    _need_status(con, ruleset, as_of)
    _flags(con, ruleset, as_of)
    _evidence(con)
    return int(con.execute("SELECT count(*) FROM rs_flags").fetchall()[0][0])


def run_rules(
    con: duckdb.DuckDBPyConnection, rulesets: list[RuleSet], as_of: date
) -> dict[str, int]:
    """Every rule set on one date; flags raised per rule set."""
    prepare(con)
    snapshot_population(con, as_of)
    return {r.id: run_ruleset(con, r, as_of) for r in rulesets}
