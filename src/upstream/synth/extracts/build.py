"""One builder per agency extract: its own columns, ids, codes and date formats.

Builders return columns in the contract's order (extracts/contracts.py). Missing-value rates
quoted in the contracts are applied here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from upstream.synth.extracts import columns as cols
from upstream.synth.extracts.columns import CityView
from upstream.synth.places import CITY
from upstream.synth.records import SourceRecords

Columns = dict[str, pa.Array]


def _record_ids(view: CityView, n: int, start: int) -> pa.Array:
    return pa.array(cols.integer_ids(view, n, start))


def _postcode(view: CityView, r: SourceRecords) -> pa.Array:
    return cols.randomly_missing(view, cols.address_part(view, view.postcode, r.property), 0.03)


def housing(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    return {
        "CaseRef": cols.per_record(cols.local_ids(view, n_reg, "HC", 7, 1_000_000), r),
        "RecordNo": _record_ids(view, len(r.person), 1),
        "Forename": forename,
        "Surname": surname,
        "DOB": cols.randomly_missing(view, cols.dates(dob, "%d/%m/%Y"), 0.02),
        "Gender": cols.sex_codes(view, r, "M", "F"),
        "AddressLine1": cols.address_part(view, view.line1, r.property),
        "AddressLine2": cols.address_part(view, view.line2, r.property),
        "Postcode": _postcode(view, r),
        "UPRN": cols.randomly_missing(view, cols.uprn(view, r.property), 0.15),
        "NFA": pa.array(np.where(r.property == -1, "Y", "N")),
        "EventDate": cols.dates(r.day, "%d/%m/%Y"),
        "EventType": cols.stream_field(view, r.stream, "event_type"),
        "UnitCostCode": cols.stream_field(view, r.stream, "gmca_code"),
    }


def _titles(view: CityView, r: SourceRecords) -> pa.Array:
    sex = view.sex[r.person]
    female = np.where(
        view.rng.random(len(sex)) < 0.5,
        "Mrs",
        np.where(view.rng.random(len(sex)) < 0.5, "Ms", "Miss"),
    )
    return cols.randomly_missing(view, pa.array(np.where(sex == "M", "Mr", female)), 0.05)


def revs_benefits(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    return {
        "CLAIM_NO": cols.per_record(pa.array(cols.integer_ids(view, n_reg, 10_000_000)), r),
        "TRANS_ID": _record_ids(view, len(r.person), 500_000_000),
        "TITLE": _titles(view, r),
        "FIRST_NAME": cols.upper(forename),
        "SURNAME": cols.upper(surname),
        "BIRTH_DATE": cols.randomly_missing(view, cols.dates(dob, "%Y%m%d"), 0.01),
        "PROPERTY_REF": cols.uprn(view, r.property),
        "ADDR1": cols.upper(cols.address_part(view, view.line1, r.property)),
        "ADDR2": cols.upper(cols.address_part(view, view.line2, r.property)),
        "ADDR3": pa.array(np.full(len(r.person), CITY)),
        "POSTCODE": _postcode(view, r),
        "TRANS_DATE": cols.dates(r.day, "%Y%m%d"),
        "TRANS_TYPE": cols.stream_field(view, r.stream, "event_type"),
        "COST_CODE": cols.stream_field(view, r.stream, "gmca_code"),
    }


def childrens(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    return {
        "LAChildID": cols.per_record(cols.local_ids(view, n_reg, "C", 7, 2_000_000), r),
        "EventID": _record_ids(view, len(r.person), 1),
        "Forename": forename,
        "Surname": surname,
        "DateOfBirth": cols.dates(dob, "%Y-%m-%d"),
        "Gender": cols.sex_codes(view, r, "1", "2"),
        "Ethnicity": cols.randomly_missing(view, cols.ethnicity_codes(view, r, 3), 0.04),
        "Postcode": _postcode(view, r),
        # Case systems (Liquidlogic, Mosaic) hold the child's address with its UPRN; missing
        # where the address was typed free-text rather than picked from the gazetteer.
        "UPRN": cols.randomly_missing(view, cols.uprn(view, r.property), 0.12),
        "EventStartDate": cols.dates(r.day, "%Y-%m-%d"),
        "EventCode": cols.stream_field(view, r.stream, "event_type"),
        "UnitCost": cols.stream_field(view, r.stream, "gmca_code"),
    }


def _nhs_numbers(view: CityView, r: SourceRecords, missing: float) -> pa.Array:
    per_reg = pa.array(view.nhs_number[r.identity.person]).cast(pa.string())
    absent = view.rng.random(len(r.identity.person)) < np.where(r.identity.duplicate, 0.5, missing)
    return cols.per_record(cols.null_where(per_reg, absent), r)


def adults(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    return {
        "person_ref": cols.per_record(pa.array(cols.integer_ids(view, n_reg, 1_000_000)), r),
        "event_id": _record_ids(view, len(r.person), 1),
        "nhs_number": _nhs_numbers(view, r, 0.25),
        "given_name": forename,
        "family_name": surname,
        "date_of_birth": cols.date32(dob),
        "sex": cols.sex_codes(view, r, "Male", "Female"),
        "postcode": _postcode(view, r),
        "uprn": cols.randomly_missing(view, cols.uprn(view, r.property), 0.10),
        "event_date": cols.date32(r.day),
        "service_code": cols.stream_field(view, r.stream, "event_type"),
        "gmca_code": cols.stream_field(view, r.stream, "gmca_code"),
    }


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(serial: np.ndarray) -> pa.Array:
    """DfE unique pupil numbers: check letter + LA 999 (not a real LA) + 9 digits."""
    digits = np.char.add("999", np.char.zfill(serial.astype(str), 9))
    codes = np.array([list(map(int, d)) for d in digits]) if len(digits) else np.zeros((0, 12), int)
    check = (codes * np.arange(2, 14)).sum(axis=1) % 23
    return pa.array(np.char.add(np.array(list(_UPN_LETTERS))[check], digits))


def schools(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    nick = view.nickname[r.identity.person]
    preferred = cols.names(view, np.maximum(nick, 0))
    preferred = cols.null_where(preferred, (nick < 0) | (view.rng.random(n_reg) > 0.4))
    send = np.where(
        view.send[r.person], np.where(view.rng.random(len(r.person)) < 0.25, "E", "K"), "N"
    )
    return {
        "UPN": cols.per_record(upn(cols.integer_ids(view, n_reg, 100_000_000)), r),
        "RowID": _record_ids(view, len(r.person), 1),
        "LegalSurname": surname,
        "LegalForename": forename,
        "PreferredForename": cols.per_record(preferred, r),
        "DOB": cols.dates(dob, "%d-%b-%Y"),
        "Sex": cols.sex_codes(view, r, "M", "F"),
        "Ethnicity": cols.randomly_missing(view, cols.ethnicity_codes(view, r, 3), 0.03),
        "SENProvision": pa.array(send),
        "Postcode": _postcode(view, r),
        # The council geocodes pupils' census addresses to UPRNs; not every address matches.
        "UPRN": cols.randomly_missing(view, cols.uprn(view, r.property), 0.20),
        "Date": cols.dates(r.day, "%d-%b-%Y"),
        "EventType": cols.stream_field(view, r.stream, "event_type"),
        "UnitCostCode": cols.stream_field(view, r.stream, "gmca_code"),
    }


def police(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    when = cols.with_time(view, r.day)
    year = pc.strftime(pa.array(when.astype("datetime64[s]")), format="%y")
    serial = pc.utf8_lpad(
        pa.array(cols.integer_ids(view, len(r.person), 10_000_000)).cast(pa.string()),
        width=8,
        padding="0",
    )
    category = cols.stream_field(view, r.stream, "event_type")
    is_da = pc.equal(category, "DAIN").to_numpy(zero_copy_only=False)
    role = np.where(view.rng.random(len(r.person)) < 0.5, "SUSPECT", "SUBJECT")
    role = np.where(is_da, np.where(view.sex[r.person] == "F", "VICTIM", "SUSPECT"), role)
    sex = cols.sex_codes(view, r, "M", "F")
    return {
        "OccurrenceRef": pc.binary_join_element_wise("UP/", serial, "/", year, ""),
        "NominalID": cols.per_record(cols.local_ids(view, n_reg, "N", 8, 30_000_000), r),
        "Surname": cols.upper(surname),
        "Forenames": forename,
        "DOB": cols.randomly_missing(view, cols.dates(dob, "%d/%m/%Y"), 0.05),
        "Sex": pc.if_else(pa.array(view.rng.random(len(r.person)) < 0.01), "U", sex),
        "EthnicityIC": cols.ethnicity_codes(view, r, 5),
        "Address": cols.randomly_missing(view, cols.one_line_address(view, r.property), 0.04),
        "IncidentDateTime": pc.strftime(
            pa.array(when.astype("datetime64[s]")), format="%d/%m/%Y %H:%M"
        ),
        "Category": category,
        "UnitCostCode": cols.stream_field(view, r.stream, "gmca_code"),
        "Role": pa.array(role),
    }


def health(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    postcode = pc.if_else(pa.array(r.property == -1), cols.NFA_POSTCODE_NHS, _postcode(view, r))
    ethnic = cols.ethnicity_codes(view, r, 4)
    return {
        "NHSNumber": _nhs_numbers(view, r, 0.05),
        "LocalPatientID": cols.per_record(cols.local_ids(view, n_reg, "RUP", 7, 3_000_000), r),
        "ActivityID": _record_ids(view, len(r.person), 1),
        "Forename": forename,
        "Surname": surname,
        "DateOfBirth": cols.dates(dob, "%Y-%m-%d"),
        "PersonStatedGenderCode": cols.sex_codes(view, r, "1", "2"),
        "EthnicCategory": pc.if_else(pa.array(view.rng.random(len(r.person)) < 0.05), "Z", ethnic),
        "Postcode": postcode,
        "ActivityDateTime": pc.strftime(
            pa.array(cols.with_time(view, r.day).astype("datetime64[s]")),
            format="%Y-%m-%dT%H:%M:%S",
        ),
        "ActivityType": cols.stream_field(view, r.stream, "event_type"),
        "CostCode": cols.stream_field(view, r.stream, "gmca_code"),
    }


_NINO_SECOND = np.array(list("ABCEGHJKLMNPRSTWXYZ"))


def nino(index: np.ndarray) -> pa.Array:
    """National Insurance numbers with first letter Q, which HMRC never issues."""
    second = _NINO_SECOND[(index // 1_000_000) % len(_NINO_SECOND)]
    digits = np.char.zfill((index % 1_000_000).astype(str), 6)
    suffix = np.array(list("ABCD"))[index % 4]
    return pa.array(np.char.add(np.char.add(np.char.add("Q", second), digits), suffix))


def dwp(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    claimant = pc.binary_join_element_wise(cols.upper(surname), forename, ", ")
    nino_reg = nino(view.nino_index[r.identity.person])
    return {
        "RECORD_ID": _record_ids(view, len(r.person), 1),
        "NINO": cols.randomly_missing(view, cols.per_record(nino_reg, r), 0.02),
        "CLAIMANT_NAME": claimant,
        "DOB": cols.dates(dob, "%Y%m%d"),
        "SEX": cols.sex_codes(view, r, "M", "F"),
        "POSTCODE": _postcode(view, r),
        "EVENT_DATE": cols.dates(r.day, "%Y%m%d"),
        "EVENT_CODE": cols.stream_field(view, r.stream, "event_type"),
        "COST_CODE": cols.stream_field(view, r.stream, "gmca_code"),
    }


def youth_offending(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    return {
        "YOTRef": cols.per_record(cols.local_ids(view, n_reg, "YOT", 6, 100_000), r),
        "ContactID": _record_ids(view, len(r.person), 1),
        "Forename": forename,
        "Surname": surname,
        "DOB": cols.dates(dob, "%d/%m/%Y"),
        "Gender": cols.sex_codes(view, r, "Male", "Female"),
        "Ethnicity": cols.randomly_missing(view, cols.ethnicity_codes(view, r, 3), 0.05),
        "Postcode": _postcode(view, r),
        "ContactDate": cols.dates(r.day, "%d/%m/%Y"),
        "ContactType": cols.stream_field(view, r.stream, "event_type"),
        "UnitCostCode": cols.stream_field(view, r.stream, "gmca_code"),
    }


def drug_alcohol(view: CityView, r: SourceRecords) -> Columns:
    forename, surname, dob = cols.identity_columns(view, r)
    n_reg = len(r.identity.person)
    postcode = pc.if_else(pa.array(r.property == -1), "NFA", _postcode(view, r))
    return {
        "CLIENT_ID": cols.per_record(cols.local_ids(view, n_reg, "DA", 6, 100_000), r),
        "EVENT_ID": _record_ids(view, len(r.person), 1),
        "FINITIAL": cols.upper(pc.utf8_slice_codeunits(forename, 0, 1)),
        "SINITIAL": cols.upper(pc.utf8_slice_codeunits(surname, 0, 1)),
        "DOB": cols.dates(dob, "%Y-%m-%d"),
        "SEX": cols.sex_codes(view, r, "M", "F"),
        "POSTCODE": postcode,
        "EVENT_DATE": cols.dates(r.day, "%Y-%m-%d"),
        "EVENT_TYPE": cols.stream_field(view, r.stream, "event_type"),
        "COST_CODE": cols.stream_field(view, r.stream, "gmca_code"),
    }


# One builder per source in the catalogue (upstream.sources; tests/test_sources.py checks).
BUILDERS: dict[str, Callable[[CityView, SourceRecords], Columns]] = {
    "housing": housing,
    "revs_benefits": revs_benefits,
    "childrens": childrens,
    "adults": adults,
    "schools": schools,
    "police": police,
    "health": health,
    "dwp": dwp,
    "youth_offending": youth_offending,
    "drug_alcohol": drug_alcohol,
}
# Sources whose staff record the name people give (so nicknames appear in the forename).
USES_NICKNAMES = {"housing", "police", "health", "drug_alcohol", "youth_offending"}
