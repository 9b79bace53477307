"""Households: the people living at one property (UPRN) over dated intervals.

A person is at a UPRN from the first to the last date a source recorded them there. A household
is a UPRN with the span its members cover; a membership is one person's interval there. Only
addresses with a UPRN count: a shared surname, or a shared postcode, never makes a household or
a relationship. None of the synthetic sources states relationships, so none are published.
"""

from __future__ import annotations

import duckdb

GAZETTEER_SQL = """
CREATE OR REPLACE TABLE gazetteer AS
SELECT CAST(uprn AS VARCHAR) AS uprn, address_line_1, address_line_2, postcode, ward FROM read_parquet(?)
"""


def load_gazetteer(con: duckdb.DuckDBPyConnection, path: str | None) -> None:
    """The address gazetteer (a council's LLPG: UPRN, address, postcode, ward); empty if absent."""
    if path:
        con.execute(GAZETTEER_SQL, [path])
    else:
        con.execute(
            "CREATE OR REPLACE TABLE gazetteer (uprn VARCHAR, address_line_1 VARCHAR, "
            "address_line_2 VARCHAR, postcode VARCHAR, ward VARCHAR)"
        )
    # A postcode's ward is the one most of its addresses are in; a tie goes to the greater name
    # (mode() would pick any, and a re-run must give the same wards).
    con.execute(
        "CREATE OR REPLACE TABLE postcode_ward AS SELECT postcode, arg_max(ward, (n, ward)) AS ward "
        "FROM (SELECT postcode, ward, count(*) AS n FROM gazetteer WHERE ward IS NOT NULL GROUP BY ALL) "
        "GROUP BY postcode"
    )


def build_households(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """`household_memberships` and `households` from records with a UPRN and a date."""
    con.execute(
        """
        CREATE OR REPLACE TABLE household_memberships AS
        SELECT 'H-' || r.uprn AS household_id, p.person_id, r.uprn,
               min(r.event_date) AS start_date, max(r.event_date) AS end_date
        FROM person_records r JOIN record_person p USING (record_key)
        WHERE r.uprn IS NOT NULL AND r.event_date IS NOT NULL
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE households AS
        SELECT m.household_id, m.uprn, any_value(concat_ws(', ', g.address_line_1, g.address_line_2)) AS address,
               any_value(g.postcode) AS postcode, any_value(g.ward) AS ward,
               min(m.start_date) AS start_date, max(m.end_date) AS end_date,
               count(DISTINCT m.person_id) AS member_count
        FROM household_memberships m LEFT JOIN gazetteer g USING (uprn)
        GROUP BY m.household_id, m.uprn
        """
    )
    n = con.execute("SELECT count(*) FROM households").fetchall()[0][0]
    return {"households": int(n)}


def household_on_date_sql() -> str:
    """The household a person was in on an event's date (latest start on or before it; of two
    starting the same day, the greater id, so that every run agrees)."""
    return """
        SELECT e.record_key, arg_max(m.household_id, (m.start_date, m.household_id)) AS household_id
        FROM events_base e JOIN household_memberships m
          ON m.person_id = e.person_id AND e.event_date BETWEEN m.start_date AND m.end_date
        GROUP BY e.record_key
    """
