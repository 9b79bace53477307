"""Cost of need: every service event priced from the unit-cost library, with the paying agency.

Unit costs come from the economics library (`upstream.economics.packs.gmca_unit_costs`: the
GMCA Unit Cost Database v1.4) and are uprated with HM Treasury's GDP deflator to PRICE_YEAR.
Each extract row names its GMCA code (docs/data-contracts.md); one row is one unit (an
attendance, an incident, a week of a placement). Totals per person, household, cohort, ward,
agency and financial year are SQL over the `cost_ledger` table.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from upstream.economics.packs import gdp_deflator, gmca_unit_costs
from upstream.economics.unitcosts import price

# The latest financial year the GDP deflator pack covers whole (calendar years to 2024).
PRICE_YEAR = "2023/24"


def unit_cost_table(codes: list[str]) -> pa.Table:
    """code, description, unit, unit_cost (GBP at PRICE_YEAR), paying_agency; unknown codes get none."""
    library, deflator = gmca_unit_costs(), gdp_deflator()
    rows = [library.costs[c] for c in sorted(set(codes)) if c in library.costs]
    priced = [price(cost, deflator, PRICE_YEAR) for cost in rows]
    return pa.table(
        {
            "unit_cost_code": [c.code for c in rows],
            "unit_cost_description": [c.description for c in rows],
            "unit": [c.unit for c in rows],
            "unit_cost": [round(p.value, 2) for p in priced],
            "source_price_year": [c.price_year for c in rows],
            "paying_agency": [c.paying_agency for c in rows],
        }
    )


def financial_year_sql(date_expr: str) -> str:
    """'2023/24' for dates from 1 April 2023 to 31 March 2024."""
    start = f"(year({date_expr}) - CASE WHEN month({date_expr}) < 4 THEN 1 ELSE 0 END)"
    return f"CAST({start} AS VARCHAR) || '/' || right(CAST({start} + 1 AS VARCHAR), 2)"


def build_cost_ledger(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """`cost_ledger`: one line per event with a known unit cost; `uncosted_events` the rest."""
    codes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unit_cost_code FROM person_records WHERE unit_cost_code IS NOT NULL"
        ).fetchall()
    ]
    con.register("unit_costs_in", unit_cost_table(codes))
    con.execute("CREATE OR REPLACE TABLE unit_costs AS SELECT * FROM unit_costs_in")
    con.unregister("unit_costs_in")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE cost_ledger AS
        SELECT e.record_key AS event_id, e.person_id, e.household_id, e.ward, u.unit_cost_code,
               u.unit_cost_description, 1.0 AS quantity, u.unit_cost, u.unit_cost AS amount,
               '{PRICE_YEAR}' AS price_year, u.paying_agency, {financial_year_sql("e.event_date")} AS financial_year
        FROM service_events e JOIN unit_costs u USING (unit_cost_code)
        """
    )
    con.execute(
        "CREATE OR REPLACE TABLE uncosted_events AS SELECT * FROM service_events "
        "WHERE unit_cost_code IS NULL OR unit_cost_code NOT IN (SELECT unit_cost_code FROM unit_costs)"
    )
    costed = con.execute("SELECT count(*) FROM cost_ledger").fetchall()[0][0]
    uncosted = con.execute("SELECT count(*) FROM uncosted_events").fetchall()[0][0]
    return {"costed_events": int(costed), "uncosted_events": int(uncosted)}


TOTALS = {
    "person": "person_id",
    "household": "household_id",
    "ward": "ward",
    "agency": "paying_agency",
    "year": "financial_year",
    "agency_year": "paying_agency, financial_year",
}


def cost_totals_sql(by: str) -> str:
    """Total cost and events grouped by one of TOTALS (cohorts: join person_id to a cohort list)."""
    columns = TOTALS[by]
    return f"SELECT {columns}, count(*) AS events, round(sum(amount), 2) AS total FROM cost_ledger GROUP BY {columns} ORDER BY total DESC"
