"""Data contracts of the agency extracts: the single source for docs/data-contracts.md.

Each extract is shaped the way its own system would export it. `docs/data-contracts.md` is
generated from these definitions (`python -m upstream.synth.extracts.contracts`), and a test
checks every written file against them.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream import sources
from upstream.synth import params

SEX_MF = "M = male, F = female"
CIN_ETHNICITY = ", ".join(sorted({g[3] for g in params.ETHNIC_GROUPS}))
NHS_ETHNICITY = ", ".join(sorted({g[4] for g in params.ETHNIC_GROUPS}))
POLICE_IC = ", ".join(sorted({g[5] for g in params.ETHNIC_GROUPS}))


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, date (parquet date32)
    format: str
    meaning: str
    missing: str = "never"
    identifier: str = ""


@dataclass(frozen=True)
class Contract:
    source: str
    system: str
    file: str
    format: str  # csv or parquet
    encoding: str
    delimiter: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _event_columns(date: Column, type_name: str, cost_name: str, source: str) -> tuple[Column, ...]:
    return (
        date,
        Column(
            type_name,
            "string",
            "code",
            f"event type: {', '.join(sources.source(source).events)} (named in the source catalogue)",
        ),
        Column(cost_name, "string", "GMCA code", "GMCA Unit Cost Database v1.4 code, e.g. HO3.0.2"),
    )


CONTRACTS: dict[str, Contract] = {
    "housing": Contract(
        "housing",
        "council housing and homelessness case system",
        "housing_homelessness.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "CaseRef",
                "string",
                "HC + 7 digits",
                "housing person reference",
                identifier="local person id (duplicates possible)",
            ),
            Column(
                "RecordNo", "integer", "", "record number, unique in file", identifier="record id"
            ),
            Column("Forename", "string", "", "forename as recorded (nicknames, typos)"),
            Column("Surname", "string", "", "surname as recorded (old/hyphenated/typos)"),
            Column("DOB", "string", "dd/mm/yyyy", "date of birth", missing="~2%"),
            Column("Gender", "string", SEX_MF, "sex"),
            Column(
                "AddressLine1",
                "string",
                "",
                "address line 1 at the event date",
                missing="when NFA or unknown",
            ),
            Column(
                "AddressLine2", "string", "", "address line 2 (street for flats)", missing="often"
            ),
            Column(
                "Postcode", "string", "UK postcode shape, area UP", "postcode", missing="~3%; NFA"
            ),
            Column(
                "UPRN",
                "integer",
                "12 digits",
                "property UPRN",
                missing="~15%; NFA",
                identifier="UPRN",
            ),
            Column("NFA", "string", "Y/N", "no fixed abode at the event date"),
            *_event_columns(
                Column("EventDate", "string", "dd/mm/yyyy", "event date"),
                "EventType",
                "UnitCostCode",
                "housing",
            ),
        ),
    ),
    "revs_benefits": Contract(
        "revs_benefits",
        "revenues and benefits (housing benefit, council tax support)",
        "revenues_benefits.txt",
        "csv",
        "cp1252",
        "|",
        (
            Column(
                "CLAIM_NO",
                "integer",
                "8 digits",
                "claim number",
                identifier="local person id (duplicates possible)",
            ),
            Column(
                "TRANS_ID", "integer", "", "transaction id, unique in file", identifier="record id"
            ),
            Column("TITLE", "string", "Mr, Mrs, Ms, Miss", "title", missing="~5%"),
            Column("FIRST_NAME", "string", "upper case", "forename"),
            Column("SURNAME", "string", "upper case", "surname"),
            Column("BIRTH_DATE", "string", "yyyymmdd", "date of birth", missing="~1%"),
            Column(
                "PROPERTY_REF",
                "integer",
                "12 digits",
                "UPRN of the liable property",
                missing="NFA or unknown",
                identifier="UPRN",
            ),
            Column("ADDR1", "string", "upper case", "address line 1", missing="NFA or unknown"),
            Column("ADDR2", "string", "upper case", "address line 2", missing="often"),
            Column("ADDR3", "string", "upper case", "town"),
            Column("POSTCODE", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            *_event_columns(
                Column("TRANS_DATE", "string", "yyyymmdd", "transaction date"),
                "TRANS_TYPE",
                "COST_CODE",
                "revs_benefits",
            ),
        ),
    ),
    "childrens": Contract(
        "childrens",
        "children's social care and early help (CIN census style)",
        "childrens_social_care.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "LAChildID",
                "string",
                "C + 7 digits",
                "child reference",
                identifier="local person id (duplicates possible)",
            ),
            Column("EventID", "integer", "", "event id, unique in file", identifier="record id"),
            Column("Forename", "string", "", "forename"),
            Column("Surname", "string", "", "surname"),
            Column("DateOfBirth", "string", "yyyy-mm-dd", "date of birth"),
            Column("Gender", "string", "1 = male, 2 = female", "sex (CIN census codes)"),
            Column("Ethnicity", "string", CIN_ETHNICITY, "ethnicity (DfE codes)", missing="~4%"),
            Column("Postcode", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            Column(
                "UPRN",
                "integer",
                "12 digits",
                "UPRN of the child's address",
                missing="~12%",
                identifier="UPRN",
            ),
            *_event_columns(
                Column("EventStartDate", "string", "yyyy-mm-dd", "event date"),
                "EventCode",
                "UnitCost",
                "childrens",
            ),
        ),
    ),
    "adults": Contract(
        "adults",
        "adult social care case system",
        "adult_social_care.parquet",
        "parquet",
        "binary",
        "",
        (
            Column(
                "person_ref",
                "integer",
                "7 digits",
                "adult social care person id",
                identifier="local person id (duplicates possible)",
            ),
            Column("event_id", "integer", "", "event id, unique in file", identifier="record id"),
            Column(
                "nhs_number",
                "string",
                "10 digits, Modulus 11",
                "NHS number",
                missing="~25%",
                identifier="NHS number",
            ),
            Column("given_name", "string", "", "forename"),
            Column("family_name", "string", "", "surname"),
            Column("date_of_birth", "date", "date32", "date of birth"),
            Column("sex", "string", "Male, Female", "sex"),
            Column("postcode", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            Column("uprn", "integer", "12 digits", "UPRN", missing="~10%", identifier="UPRN"),
            *_event_columns(
                Column("event_date", "date", "date32", "event date"),
                "service_code",
                "gmca_code",
                "adults",
            ),
        ),
    ),
    "schools": Contract(
        "schools",
        "schools MIS (attendance, exclusions, SEND)",
        "school_pupil_events.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "UPN",
                "string",
                "check letter + 12 digits (DfE UPN)",
                "unique pupil number",
                identifier="UPN (duplicates possible)",
            ),
            Column("RowID", "integer", "", "row id, unique in file", identifier="record id"),
            Column("LegalSurname", "string", "", "legal surname"),
            Column("LegalForename", "string", "", "legal forename"),
            Column(
                "PreferredForename",
                "string",
                "",
                "known-as name (e.g. Bob for Robert)",
                missing="usually",
            ),
            Column("DOB", "string", "dd-Mon-yyyy", "date of birth"),
            Column("Sex", "string", SEX_MF, "sex"),
            Column("Ethnicity", "string", CIN_ETHNICITY, "ethnicity (DfE codes)", missing="~3%"),
            Column(
                "SENProvision", "string", "N = none, K = SEN support, E = EHC plan", "SEN provision"
            ),
            Column("Postcode", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            Column(
                "UPRN",
                "integer",
                "12 digits",
                "UPRN the council geocoded the pupil's address to",
                missing="~20%",
                identifier="UPRN",
            ),
            *_event_columns(
                Column("Date", "string", "dd-Mon-yyyy", "event date"),
                "EventType",
                "UnitCostCode",
                "schools",
            ),
        ),
    ),
    "police": Contract(
        "police",
        "police records management (nominals linked to occurrences)",
        "police_nominals_incidents.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "OccurrenceRef",
                "string",
                "UP/ + 8 digits + /yy",
                "occurrence reference, unique in file",
                identifier="record id",
            ),
            Column(
                "NominalID",
                "string",
                "N + 8 digits",
                "nominal (person) id",
                identifier="local person id (duplicates possible)",
            ),
            Column("Surname", "string", "upper case", "surname"),
            Column("Forenames", "string", "", "forename as given (nicknames)"),
            Column("DOB", "string", "dd/mm/yyyy", "date of birth", missing="~5%"),
            Column("Sex", "string", "M, F, U", "sex"),
            Column("EthnicityIC", "string", POLICE_IC, "officer-defined ethnicity (IC code)"),
            Column(
                "Address",
                "string",
                "one line: lines, town, postcode",
                "address at the occurrence; NO FIXED ABODE",
                missing="~4%",
            ),
            *_event_columns(
                Column(
                    "IncidentDateTime", "string", "dd/mm/yyyy HH:MM", "occurrence date and time"
                ),
                "Category",
                "UnitCostCode",
                "police",
            ),
            Column("Role", "string", "VICTIM, SUSPECT, SUBJECT", "the nominal's role"),
        ),
    ),
    "health": Contract(
        "health",
        "acute and mental health trust activity (A&E, admissions, MH contacts)",
        "health_activity.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "NHSNumber",
                "string",
                "10 digits, Modulus 11",
                "NHS number",
                missing="~5%",
                identifier="NHS number",
            ),
            Column(
                "LocalPatientID",
                "string",
                "RUP + 7 digits",
                "hospital number",
                identifier="local person id (duplicates possible)",
            ),
            Column(
                "ActivityID", "integer", "", "activity id, unique in file", identifier="record id"
            ),
            Column("Forename", "string", "", "forename"),
            Column("Surname", "string", "", "surname"),
            Column("DateOfBirth", "string", "yyyy-mm-dd", "date of birth"),
            Column(
                "PersonStatedGenderCode",
                "string",
                "1 = male, 2 = female",
                "sex (NHS data dictionary)",
            ),
            Column(
                "EthnicCategory",
                "string",
                NHS_ETHNICITY + ", Z = not stated",
                "ethnic category (NHS codes)",
            ),
            Column(
                "Postcode",
                "string",
                "UK postcode shape; ZZ99 3VZ = no fixed abode",
                "postcode",
                missing="~3%",
            ),
            *_event_columns(
                Column(
                    "ActivityDateTime", "string", "yyyy-mm-ddTHH:MM:SS", "arrival or contact time"
                ),
                "ActivityType",
                "CostCode",
                "health",
            ),
        ),
    ),
    "dwp": Contract(
        "dwp",
        "DWP / Jobcentre Plus worklessness share",
        "dwp_worklessness.tsv",
        "csv",
        "utf-8",
        "\t",
        (
            Column("RECORD_ID", "integer", "", "record id, unique in file", identifier="record id"),
            Column(
                "NINO",
                "string",
                "2 letters + 6 digits + A-D (Q-prefixed: never issued)",
                "National Insurance number",
                missing="~2%",
                identifier="NINO (duplicates possible)",
            ),
            Column("CLAIMANT_NAME", "string", "SURNAME, Forename", "name in one field"),
            Column("DOB", "string", "yyyymmdd", "date of birth"),
            Column("SEX", "string", SEX_MF, "sex"),
            Column("POSTCODE", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            *_event_columns(
                Column("EVENT_DATE", "string", "yyyymmdd", "event date"),
                "EVENT_CODE",
                "COST_CODE",
                "dwp",
            ),
        ),
    ),
    "youth_offending": Contract(
        "youth_offending",
        "youth offending service case system",
        "youth_offending.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "YOTRef",
                "string",
                "YOT + 6 digits",
                "young person reference",
                identifier="local person id (duplicates possible)",
            ),
            Column(
                "ContactID", "integer", "", "contact id, unique in file", identifier="record id"
            ),
            Column("Forename", "string", "", "forename"),
            Column("Surname", "string", "", "surname"),
            Column("DOB", "string", "dd/mm/yyyy", "date of birth"),
            Column("Gender", "string", "Male, Female", "sex"),
            Column("Ethnicity", "string", CIN_ETHNICITY, "ethnicity (DfE codes)", missing="~5%"),
            Column("Postcode", "string", "UK postcode shape, area UP", "postcode", missing="~3%"),
            *_event_columns(
                Column("ContactDate", "string", "dd/mm/yyyy", "contact date"),
                "ContactType",
                "UnitCostCode",
                "youth_offending",
            ),
        ),
    ),
    "drug_alcohol": Contract(
        "drug_alcohol",
        "drug and alcohol treatment (NDTMS-style attributors)",
        "drug_alcohol_treatment.csv",
        "csv",
        "utf-8",
        ",",
        (
            Column(
                "CLIENT_ID",
                "string",
                "DA + 6 digits",
                "client id",
                identifier="local person id (duplicates possible)",
            ),
            Column("EVENT_ID", "integer", "", "event id, unique in file", identifier="record id"),
            Column("FINITIAL", "string", "one letter", "first initial of forename"),
            Column("SINITIAL", "string", "one letter", "first initial of surname"),
            Column("DOB", "string", "yyyy-mm-dd", "date of birth"),
            Column("SEX", "string", SEX_MF, "sex"),
            Column(
                "POSTCODE", "string", "UK postcode shape, area UP; NFA", "postcode", missing="~3%"
            ),
            *_event_columns(
                Column("EVENT_DATE", "string", "yyyy-mm-dd", "event date"),
                "EVENT_TYPE",
                "COST_CODE",
                "drug_alcohol",
            ),
        ),
    ),
}


def render_markdown() -> str:
    """docs/data-contracts.md, generated from CONTRACTS."""
    lines = [
        "# Data contracts: synthetic agency extracts",
        "",
        "Generated from `src/upstream/synth/extracts/contracts.py` by",
        "`python -m upstream.synth.extracts.contracts > docs/data-contracts.md`; a test keeps them equal.",
        "Files live in `DIR/extracts/` after `upstream synth --out DIR`. Every row is one service event",
        "with a date and a GMCA Unit Cost Database v1.4 code. Each source's event types and what they",
        "are called are in the source catalogue (`src/upstream/data/sources.toml`, docs/sources.md);",
        "their GMCA codes in `src/upstream/synth/data/event_streams.csv`. Identity fields carry noise",
        "(typos, nicknames, old or hyphenated surnames, transposed day/month, stale addresses,",
        "duplicate registrations with a second local id) at the rates in `docs/synth.md`.",
        "CSV files have a header row; values are quoted only when needed; empty = missing.",
        "",
    ]
    for contract in CONTRACTS.values():
        lines += [
            f"## {contract.source}: `{contract.file}`",
            "",
            f"- system: {contract.system}",
            f"- format: {contract.format}; encoding: {contract.encoding}; delimiter: {_delimiter(contract.delimiter)}",
            "",
            "| column | type | format / codes | meaning | missing | identifier |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {c.name} | {c.type} | {_cell(c.format)} | {c.meaning} | {c.missing} | {c.identifier} |"
            for c in contract.columns
        ]
        lines.append("")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def _delimiter(value: str) -> str:
    return {",": "comma", "|": "pipe (|)", "\t": "tab", "": "n/a"}[value]


if __name__ == "__main__":
    print(render_markdown(), end="")
