"""Vectorised column helpers shared by the extract builders (pyarrow arrays out)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from upstream.synth import params
from upstream.synth.events import Stream
from upstream.synth.places import CITY, Places
from upstream.synth.records import SourceRecords

NFA_POSTCODE_NHS = "ZZ99 3VZ"  # NHS Data Dictionary pseudo-postcode for no fixed abode


@dataclass
class CityView:
    """Everything an extract builder may read, as arrays."""

    rng: np.random.Generator
    vocabulary: pa.Array
    sex: np.ndarray
    ethnic_group: np.ndarray
    nhs_number: np.ndarray  # int64 per person
    nino_index: np.ndarray  # per person
    nickname: np.ndarray  # vocabulary id per person, -1 none
    send: np.ndarray  # bool per person (SEND need)
    places: Places
    line1: pa.Array
    line2: pa.Array
    postcode: pa.Array
    streams: tuple[Stream, ...]


def names(view: CityView, ids: np.ndarray) -> pa.Array:
    return view.vocabulary.take(pa.array(ids))


def null_where(array: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, array.type), array)


def randomly_missing(view: CityView, array: pa.Array, rate: float) -> pa.Array:
    return null_where(array, view.rng.random(len(array)) < rate)


def dates(days_or_dates: np.ndarray, fmt: str) -> pa.Array:
    """Format days-from-window-start (ints) or datetime64 values with strftime."""
    values = days_or_dates
    if values.dtype.kind in "iu":
        values = params.WINDOW_START + values.astype("timedelta64[D]")
    return pc.strftime(pa.array(values.astype("datetime64[s]")), format=fmt)


def date32(days_or_dates: np.ndarray) -> pa.Array:
    values = days_or_dates
    if values.dtype.kind in "iu":
        values = params.WINDOW_START + values.astype("timedelta64[D]")
    return pa.array(values.astype("datetime64[D]"), type=pa.date32())


def with_time(view: CityView, day: np.ndarray) -> np.ndarray:
    """Event days with a time of day, busiest in the afternoon and evening."""
    minutes = (np.clip(view.rng.normal(15.5 * 60, 300, len(day)), 0, 1439)).astype(np.int64)
    stamped: np.ndarray = (params.WINDOW_START + day.astype("timedelta64[D]")).astype(
        "datetime64[m]"
    ) + minutes.astype("timedelta64[m]")
    return stamped


def address_part(view: CityView, part: pa.Array, prop: np.ndarray) -> pa.Array:
    return null_where(part.take(pa.array(np.maximum(prop, 0))), prop < 0)


def uprn(view: CityView, prop: np.ndarray) -> pa.Array:
    return null_where(pa.array(view.places.uprn[np.maximum(prop, 0)]), prop < 0)


def stream_field(view: CityView, stream: np.ndarray, field: str) -> pa.Array:
    values = pa.array([getattr(s, field) for s in view.streams])
    return values.take(pa.array(stream))


def local_ids(
    view: CityView, n_registrations: int, prefix: str, digits: int, start: int
) -> pa.Array:
    """Shuffled sequential ids, so a source's ids say nothing about the true person."""
    numbers = start + view.rng.permutation(n_registrations)
    text = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width=digits, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def integer_ids(view: CityView, n: int, start: int) -> np.ndarray:
    return start + view.rng.permutation(n)


def per_record(array: pa.Array, records: SourceRecords) -> pa.Array:
    return array.take(pa.array(records.registration))


def sex_codes(view: CityView, records: SourceRecords, male: str, female: str) -> pa.Array:
    sex = view.sex[records.person]
    return pa.array(np.where(sex == "M", male, female))


def ethnicity_codes(view: CityView, records: SourceRecords, column: int) -> pa.Array:
    codes = np.array([g[column] for g in params.ETHNIC_GROUPS])
    return pa.array(codes[view.ethnic_group[records.person]])


def one_line_address(view: CityView, prop: np.ndarray) -> pa.Array:
    line1 = address_part(view, view.line1, prop)
    line2 = address_part(view, view.line2, prop)
    postcode = address_part(view, view.postcode, prop)
    road = pc.if_else(
        pc.equal(pc.fill_null(line2, ""), ""),
        line1,
        pc.binary_join_element_wise(line1, line2, ", "),
    )
    joined = pc.binary_join_element_wise(road, pa.scalar(CITY), postcode, ", ")
    return pc.if_else(pa.array(prop == -1), pa.scalar("NO FIXED ABODE"), joined)


def upper(array: pa.Array) -> pa.Array:
    return pc.utf8_upper(array)


def identity_columns(
    view: CityView, records: SourceRecords
) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Forename, surname (per record) and recorded date of birth (per record)."""
    ident = records.identity
    forename = per_record(names(view, ident.forename), records)
    surname = per_record(names(view, ident.surname), records)
    return forename, surname, ident.dob[records.registration]
