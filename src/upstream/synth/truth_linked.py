"""Events linked by the synthetic city's truth: perfect linkage, to develop and measure rules.

The identification engine's input (`upstream.identify.inputs.LinkedCity`) built from the
generator's truth rather than from insight's linkage: every extract record joined to the true
person who made it, households as people at one UPRN in one true household. It is never the
real pipeline's output, and says so in its `input_kind`. It lives here, with the generator
that wrote the truth, because production code never reads the synthetic city; jobs (which run
the generator) and tests use it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from upstream.errors import InputError
from upstream.identify.inputs import LinkedCity, person_key
from upstream.insight.workspace import scratch
from upstream.synth.extracts.contracts import CONTRACTS

TRUTH_KIND = "truth-linked (synthetic truth; development only)"

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
    con = con or scratch()
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
    return LinkedCity(con, TRUTH_KIND, str(city_dir))
