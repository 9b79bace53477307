"""Data contracts: what each agency extract must look like, read from one TOML file per source.

A contract names the source and its agency, where its files are, how they are encoded and
delimited, every column with its type and rules, which columns identify a person (the roles the
linkage uses) and what service event a row records. Contracts live in `insight/contracts/`, one
per source in the source catalogue (`upstream.sources`); the format is documented in
docs/insight.md. Pure: no database, no Django.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from upstream import sources
from upstream.errors import InputError

COLUMN_TYPES = ("string", "integer", "decimal", "date", "code")
# Identity roles a column can play in linkage (see insight/standardise.py).
ROLES = (
    "forename",
    "surname",
    "known_as",  # a preferred forename, e.g. Bob for Robert
    "full_name",  # "SURNAME, Forename" in one field
    "forename_initial",
    "surname_initial",
    "dob",
    "sex",
    "postcode",
    "address",
    "uprn",
    "nhs_number",
    "ethnicity",
)
ON_ERROR = ("reject", "blank")  # reject the row, or keep it with this field blanked (logged)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"
    required: bool = False
    formats: tuple[str, ...] = ()  # strptime formats for dates, tried in order
    codes: tuple[str, ...] = ()  # allowed values for type "code"
    pattern: str = ""  # a regular expression the whole value must match
    minimum: str = ""  # inclusive bounds: numbers, ISO dates, or "extract" (the extract date)
    maximum: str = ""
    on_error: str = "reject"
    role: str = ""  # identity role in linkage, if any
    check: str = ""  # a named check, e.g. "nhs_modulus_11"
    standard: tuple[tuple[str, str], ...] = ()  # source code -> standard value, e.g. 1 -> M


@dataclass(frozen=True)
class EventSpec:
    """What service event a row records, and how to cost it."""

    event_type: str = ""  # a literal event type, or empty when `type_column` gives it
    type_column: str = ""
    date: str = ""  # column with the event's (start) date
    end_date: str = ""  # column with its end date, if a spell
    description: str = ""
    unit_cost_column: str = ""  # column holding the GMCA Unit Cost Database code


@dataclass(frozen=True)
class Contract:
    source: str
    agency: str
    description: str
    files: tuple[str, ...]
    format: str
    encoding: str
    delimiter: str
    record_id: str
    columns: tuple[Column, ...]
    event: EventSpec | None = None
    local_id: str = ""  # the source's own person reference (one person may hold two)
    path: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def role_columns(self) -> dict[str, list[Column]]:
        """Identity role -> the columns playing it, in file order (addresses span several)."""
        roles: dict[str, list[Column]] = {}
        for column in self.columns:
            if column.role:
                roles.setdefault(column.role, []).append(column)
        return roles


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _column(raw: dict[str, Any], where: str) -> Column:
    name = raw.get("name")
    if not name:
        raise InputError("every column needs a name", where=where)
    column = Column(
        name=str(name),
        type=str(raw.get("type", "string")),
        required=bool(raw.get("required", False)),
        formats=_tuple(raw.get("formats", raw.get("format"))),
        codes=_tuple(raw.get("codes")),
        pattern=str(raw.get("pattern", "")),
        minimum=str(raw.get("min", "")),
        maximum=str(raw.get("max", "")),
        on_error=str(raw.get("on_error", "reject")),
        role=str(raw.get("role", "")),
        check=str(raw.get("check", "")),
        standard=tuple((str(k), str(v)) for k, v in raw.get("standard", {}).items()),
    )
    _check_column(column, f"{where} column {name}")
    return column


def _check_column(column: Column, where: str) -> None:
    if column.type not in COLUMN_TYPES:
        raise InputError(f"type must be one of {', '.join(COLUMN_TYPES)}", where=where)
    if column.type == "date" and not column.formats:
        raise InputError("a date column needs formats (strptime, e.g. %d/%m/%Y)", where=where)
    if column.type == "code" and not column.codes:
        raise InputError("a code column needs its code list (codes)", where=where)
    if column.on_error not in ON_ERROR:
        raise InputError(f"on_error must be one of {', '.join(ON_ERROR)}", where=where)
    if column.role and column.role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}", where=where)


def _event(raw: dict[str, Any] | None) -> EventSpec | None:
    if not raw:
        return None
    return EventSpec(
        event_type=str(raw.get("type", "")),
        type_column=str(raw.get("type_column", "")),
        date=str(raw.get("date", "")),
        end_date=str(raw.get("end_date", "")),
        description=str(raw.get("description", "")),
        unit_cost_column=str(raw.get("unit_cost_column", "")),
    )


def parse_contract(raw: dict[str, Any], where: str) -> Contract:
    source = raw.get("source", {})
    for key in ("name", "agency", "files", "record_id"):
        if not source.get(key):
            raise InputError(f"[source] needs {key}", where=where)
    columns = tuple(_column(c, where) for c in raw.get("columns", []))
    if not columns:
        raise InputError("a contract lists its columns ([[columns]])", where=where)
    contract = Contract(
        source=str(source["name"]),
        agency=str(source["agency"]),
        description=str(source.get("description", "")),
        files=_tuple(source["files"]),
        format=str(source.get("format", "csv")),
        encoding=str(source.get("encoding", "utf-8")),
        delimiter=str(source.get("delimiter", ",")),
        record_id=str(source["record_id"]),
        columns=columns,
        event=_event(raw.get("event")),
        local_id=str(source.get("local_id", "")),
        path=where,
    )
    _check_references(contract)
    return contract


def _check_references(contract: Contract) -> None:
    """Every column the contract refers to must be one it declares."""
    names = set(contract.column_names)
    referred = [contract.record_id, contract.local_id]
    if contract.event:
        spec = contract.event
        referred += [spec.date, spec.end_date, spec.type_column, spec.unit_cost_column]
    for name in filter(None, referred):
        if name not in names:
            raise InputError(
                f"refers to column {name!r}, which it does not declare", where=contract.path
            )
    if contract.format not in {"csv", "parquet"}:
        raise InputError("format must be csv or parquet", where=contract.path)


def load_contract(path: Path) -> Contract:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=str(path)) from error
    return parse_contract(raw, str(path))


def bundled_contracts_dir() -> Path:
    return Path(str(resources.files("upstream.insight") / "contracts"))


def load_contracts(directory: Path | None = None) -> list[Contract]:
    """Every contract in a folder, or by default the bundled contract of every source in the
    source catalogue; sorted by source name."""
    if directory is None:
        bundled = bundled_contracts_dir()
        paths = [bundled / entry.contract for entry in sources.catalogue()]
    else:
        paths = sorted(directory.glob("*.toml"))
    contracts = [load_contract(p) for p in paths]
    seen: set[str] = set()
    for contract in contracts:
        if contract.source in seen:
            raise InputError(f"two contracts for source {contract.source!r}", where=contract.path)
        seen.add(contract.source)
    return sorted(contracts, key=lambda c: c.source)
