"""Check staged text against a contract, in SQL: types, real dates, ranges, codes, patterns.

Each column gets one CASE expression naming its first problem (or NULL), so a row's problems
are one scan of the staging table. This module only writes SQL text; ingest.py runs it.
"""

from __future__ import annotations

from upstream.insight.contract import Column, Contract
from upstream.insight.staging import ROW


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def value_sql(column: Column) -> str:
    """The trimmed value, NULL when blank."""
    return f"NULLIF(TRIM(\"{column.name}\"), '')"


def date_sql(column: Column, value: str) -> str:
    parsed = [f"TRY_STRPTIME({value}, {quote(f)})::DATE" for f in column.formats]
    return parsed[0] if len(parsed) == 1 else f"COALESCE({', '.join(parsed)})"


def typed_sql(column: Column) -> str:
    """The value converted to its contract type (NULL when it does not convert)."""
    value = value_sql(column)
    if column.type == "integer":
        return f"TRY_CAST({value} AS BIGINT)"
    if column.type == "decimal":
        return f"TRY_CAST({value} AS DOUBLE)"
    if column.type == "date":
        return date_sql(column, value)
    return value


def _bound(column: Column, bound: str) -> str:
    if bound in {"today", "extract"}:
        return "CURRENT_DATE"
    if column.type == "date":
        return f"DATE {quote(bound)}"
    return bound


def _range_checks(column: Column, typed: str) -> list[tuple[str, str]]:
    checks: list[tuple[str, str]] = []
    if column.minimum:
        reason = (
            f"impossible value: before {column.minimum}"
            if column.type == "date"
            else f"below the minimum {column.minimum}"
        )
        checks.append((f"{typed} < {_bound(column, column.minimum)}", reason))
    if column.maximum:
        word = (
            "in the future" if column.maximum in {"today", "extract"} else f"after {column.maximum}"
        )
        reason = (
            f"impossible value: {word}"
            if column.type == "date"
            else f"above the maximum {column.maximum}"
        )
        checks.append((f"{typed} > {_bound(column, column.maximum)}", reason))
    return checks


def nhs_number_valid_sql(value: str) -> str:
    """NHS number modulus 11 check (NHS Data Dictionary, 'NHS Number'): weights 10..2."""
    digits = " + ".join(
        f"CAST(SUBSTR({value}, {i}, 1) AS INTEGER) * {11 - i}" for i in range(1, 10)
    )
    check = f"(11 - (({digits}) % 11)) % 11"
    return f"({check} != 10 AND {check} = CAST(SUBSTR({value}, 10, 1) AS INTEGER))"


def problem_sql(column: Column) -> str:
    """A CASE expression giving the column's first problem as text, or NULL."""
    value = value_sql(column)
    typed = typed_sql(column)
    whens: list[tuple[str, str]] = []
    if column.required:
        whens.append((f"{value} IS NULL", "missing value"))
    if column.type == "integer":
        whens.append((f"{typed} IS NULL", "not a whole number"))
    elif column.type == "decimal":
        whens.append((f"{typed} IS NULL", "not a number"))
    elif column.type == "date":
        whens.append(
            (f"{typed} IS NULL", f"not a real date in the format {' or '.join(column.formats)}")
        )
    elif column.type == "code":
        codes = ", ".join(quote(c) for c in column.codes)
        whens.append((f"{value} NOT IN ({codes})", "unknown code"))
    if column.pattern:
        whens.append(
            (
                f"NOT regexp_full_match({value}, {quote(column.pattern)})",
                "does not match the expected pattern",
            )
        )
    if column.check == "nhs_modulus_11":
        whens.append(
            (
                f"NOT regexp_full_match({value}, '[0-9]{{10}}') OR NOT {nhs_number_valid_sql(value)}",
                "fails the NHS number check digit",
            )
        )
    whens += _range_checks(column, typed)
    # Checks after "missing value" only apply to values that are present.
    cases = " ".join(
        f"WHEN {cond} THEN {quote(reason)}"
        if reason == "missing value"
        else f"WHEN {value} IS NOT NULL AND ({cond}) THEN {quote(reason)}"
        for cond, reason in whens
    )
    return f"CASE {cases} END" if cases else "NULL"


def checked_sql(contract: Contract, stage: str) -> str:
    """Staging rows with each column's problem (p_<i>) and a duplicate-record-id check."""
    problems = ", ".join(f"{problem_sql(c)} AS p_{i}" for i, c in enumerate(contract.columns))
    record_id = value_sql(contract.column(contract.record_id))
    duplicate = (
        f"CASE WHEN {record_id} IS NOT NULL AND row_number() OVER (PARTITION BY {record_id} ORDER BY {ROW}) > 1 "
        f"THEN 'duplicate record id (already on an earlier row)' END AS p_dup"
    )
    return (
        f'SELECT s.*, {problems}, {duplicate}, CAST(to_json(s) AS VARCHAR) AS raw FROM "{stage}" s'
    )


def problems_sql(contract: Contract, checked: str) -> str:
    """One row per problem: row, field, value, reason, action (rejected or blanked), raw row."""
    parts = []
    for i, column in enumerate(contract.columns):
        action = "rejected" if column.on_error == "reject" or column.required else "blanked"
        parts.append(
            f'SELECT {ROW} AS row_number, {quote(column.name)} AS field, "{column.name}" AS value, '
            f'p_{i} AS reason, {quote(action)} AS action, raw FROM "{checked}" WHERE p_{i} IS NOT NULL'
        )
    parts.append(
        f"SELECT {ROW}, {quote(contract.record_id)}, \"{contract.record_id}\", p_dup, 'rejected', raw "
        f'FROM "{checked}" WHERE p_dup IS NOT NULL'
    )
    return " UNION ALL ".join(parts)


def accepted_sql(contract: Contract, checked: str, problems: str, extract_id: str) -> str:
    """Typed rows with no rejecting problem; blanked fields become NULL."""
    selects = []
    for i, column in enumerate(contract.columns):
        blank = column.on_error == "blank" and not column.required
        typed = typed_sql(column)
        selects.append(
            f'CASE WHEN p_{i} IS NULL THEN {typed} END AS "{column.name}"'
            if blank
            else f'{typed} AS "{column.name}"'
        )
    return (
        f'SELECT {quote(extract_id)} AS _extract_id, {ROW} AS _row, {", ".join(selects)} FROM "{checked}" '
        f"WHERE {ROW} NOT IN (SELECT row_number FROM \"{problems}\" WHERE action = 'rejected')"
    )
