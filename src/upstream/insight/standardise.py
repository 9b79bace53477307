"""Standardise every source's identity columns into one shape for linkage, in SQL.

Each contract says which column plays which role (forename, surname, dob, postcode, …); here
every source's current rows become rows of `person_records` with the same columns: names in
upper case without accents or punctuation, nickname aliases, dates of birth, one postcode
format (no-fixed-abode pseudo-postcodes removed), UPRNs, NHS numbers, and the event each row
records. Names are never rewritten: nicknames become a list of aliases to compare.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import duckdb

from upstream.insight.contract import Column, Contract
from upstream.insight.ingest import current_records_sql
from upstream.insight.validation import quote, value_sql
from upstream.insight.workspace import scalar

# A UK postcode at the end of a one-line address (police "lines, town, postcode").
POSTCODE_AT_END = r"([A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})\s*$"
# Pseudo-postcodes that mean "no fixed abode" (NHS Data Dictionary: ZZ99 3VZ), and NFA.
NO_ABODE = ("ZZ993VZ", "NFA")

PERSON_RECORD_COLUMNS = (
    "record_key",
    "source",
    "agency",
    "record_id",
    "local_key",
    "forename",
    "surname",
    "known_as",
    "forename_initial",
    "surname_initial",
    "dob",
    "sex",
    "postcode",
    "uprn",
    "address",
    "nhs_number",
    "ethnicity",
    "event_date",
    "event_type",
    "unit_cost_code",
    "extract_id",
)


def nickname_pairs() -> list[tuple[str, str]]:
    path = Path(str(resources.files("upstream.insight") / "data" / "nicknames.csv"))
    with path.open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)
        return [(r[0], r[1]) for r in rows if len(r) == 2]


def clean_name_sql(expr: str) -> str:
    """Upper case, accents stripped, only letters, hyphens and single spaces kept."""
    upper = f"upper(strip_accents({expr}))"
    letters = f"regexp_replace({upper}, '[^A-Z\\- ]', '', 'g')"
    return f"NULLIF(trim(regexp_replace({letters}, '\\s+', ' ', 'g')), '')"


def postcode_sql(expr: str) -> str:
    """One format, 'UP4 8NN'; pseudo-postcodes for no fixed abode become NULL."""
    squashed = f"upper(regexp_replace({expr}, '\\s', '', 'g'))"
    nfa = ", ".join(quote(p) for p in NO_ABODE)
    spaced = f"regexp_replace({squashed}, '^(.+)(...)$', '\\1 \\2')"
    return f"CASE WHEN {squashed} IN ({nfa}) OR {squashed} = '' THEN NULL ELSE {spaced} END"


def _first(roles: dict[str, list[Column]], role: str) -> Column | None:
    columns = roles.get(role)
    return columns[0] if columns else None


def _standard_sql(column: Column) -> str:
    if not column.standard:
        return value_sql(column)
    cases = " ".join(f"WHEN {quote(k)} THEN {quote(v)}" for k, v in column.standard)
    return f"NULLIF(CASE {value_sql(column)} {cases} ELSE {value_sql(column)} END, '')"


def _names_sql(roles: dict[str, list[Column]]) -> tuple[str, str]:
    full = _first(roles, "full_name")
    fore, sur = _first(roles, "forename"), _first(roles, "surname")
    if full:  # "SURNAME, Forename"
        return (
            clean_name_sql(f"split_part({value_sql(full)}, ',', 2)"),
            clean_name_sql(f"split_part({value_sql(full)}, ',', 1)"),
        )
    forename = clean_name_sql(f"split_part({value_sql(fore)}, ' ', 1)") if fore else "NULL"
    return forename, clean_name_sql(value_sql(sur)) if sur else "NULL"


def _address_sql(roles: dict[str, list[Column]]) -> str:
    lines = roles.get("address", [])
    if not lines:
        return "NULL"
    joined = f"concat_ws(', ', {', '.join(value_sql(c) for c in lines)})"
    return f"NULLIF(upper({joined}), '')"


def _postcode_source_sql(roles: dict[str, list[Column]]) -> str:
    column = _first(roles, "postcode")
    if column:
        return postcode_sql(value_sql(column))
    lines = roles.get("address", [])
    if lines:  # the postcode is the end of a one-line address
        return postcode_sql(
            f"NULLIF(regexp_extract({value_sql(lines[-1])}, {quote(POSTCODE_AT_END)}, 1), '')"
        )
    return "NULL"


def _initial_sql(roles: dict[str, list[Column]], role: str, name: str) -> str:
    column = _first(roles, role)
    if column:
        return f"upper(left({value_sql(column)}, 1))"
    return f"left({name}, 1)"


def _text(roles: dict[str, list[Column]], role: str) -> str:
    column = _first(roles, role)
    return f"CAST({_standard_sql(column)} AS VARCHAR)" if column else "NULL"


def select_person_records_sql(contract: Contract) -> str:
    """The contract's current rows as person records (columns: PERSON_RECORD_COLUMNS)."""
    roles = contract.role_columns()
    forename, surname = _names_sql(roles)
    event = contract.event
    known_as = _first(roles, "known_as")
    local = (
        f'{quote(contract.source + ":")} || CAST("{contract.local_id}" AS VARCHAR)'
        if contract.local_id
        else "NULL"
    )
    dob = _first(roles, "dob")
    values = {
        "record_key": f'{quote(contract.source + ":")} || CAST("{contract.record_id}" AS VARCHAR)',
        "source": quote(contract.source),
        "agency": quote(contract.agency),
        "record_id": f'CAST("{contract.record_id}" AS VARCHAR)',
        "local_key": local,
        "forename": forename,
        "surname": surname,
        "known_as": clean_name_sql(value_sql(known_as)) if known_as else "NULL",
        "forename_initial": _initial_sql(roles, "forename_initial", forename),
        "surname_initial": _initial_sql(roles, "surname_initial", surname),
        "dob": f'"{dob.name}"' if dob else "NULL",
        "sex": _text(roles, "sex"),
        "postcode": _postcode_source_sql(roles),
        "uprn": _text(roles, "uprn"),
        "address": _address_sql(roles),
        "nhs_number": _text(roles, "nhs_number"),
        "ethnicity": _text(roles, "ethnicity"),
        "event_date": f'CAST("{event.date}" AS DATE)' if event and event.date else "NULL",
        "event_type": f'"{event.type_column}"'
        if event and event.type_column
        else quote(event.event_type if event else ""),
        "unit_cost_code": f'"{event.unit_cost_column}"'
        if event and event.unit_cost_column
        else "NULL",
        "extract_id": "_extract_id",
    }
    columns = ", ".join(f"{values[c]} AS {c}" for c in PERSON_RECORD_COLUMNS)
    return f"SELECT {columns} FROM ({current_records_sql(contract.source)})"


def build_person_records(
    con: duckdb.DuckDBPyConnection, contracts: list[Contract], sources: list[str]
) -> int:
    """(Re)build `person_records` from the current extracts of the given sources."""
    selects = [select_person_records_sql(c) for c in contracts if c.source in sources]
    con.execute("CREATE OR REPLACE TABLE person_records AS " + " UNION ALL BY NAME ".join(selects))
    _add_aliases(con)
    return int(str(scalar(con, "SELECT count(*) FROM person_records")))


def _add_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """forename_aliases: the name itself, its known-as name, and the formal names it shortens."""
    con.execute("CREATE OR REPLACE TEMP TABLE nicknames (nickname VARCHAR, formal VARCHAR)")
    con.executemany("INSERT INTO nicknames VALUES (?, ?)", nickname_pairs())
    con.execute(
        """
        CREATE OR REPLACE TABLE person_records AS
        WITH names AS (
            SELECT DISTINCT forename AS name FROM person_records WHERE forename IS NOT NULL
            UNION SELECT DISTINCT known_as FROM person_records WHERE known_as IS NOT NULL
        ), aliases AS (
            SELECT n.name, list_distinct(list_concat([n.name], list(k.formal) FILTER (WHERE k.formal IS NOT NULL))) AS aliases
            FROM names n LEFT JOIN nicknames k ON k.nickname = n.name GROUP BY n.name
        )
        SELECT p.*, list_distinct(list_concat(coalesce(a.aliases, []), coalesce(b.aliases, []))) AS forename_aliases
        FROM person_records p
        LEFT JOIN aliases a ON a.name = p.forename
        LEFT JOIN aliases b ON b.name = p.known_as
        """
    )
