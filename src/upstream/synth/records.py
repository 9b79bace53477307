"""From true events to what one source holds: registrations, noisy identities, addresses.

A source registers a person once (sometimes twice, a duplicate with its own local id); each
registration carries the identity as that source captured it, with noise. Each record (one
event) carries the address at the event date, sometimes a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth import noise, params
from upstream.synth.identity import Names
from upstream.synth.residence import Residence

UNKNOWN = -2  # property index when the source has no address for the record


@dataclass
class Identity:
    """As the person's details stand in one source, per registration."""

    person: np.ndarray
    duplicate: np.ndarray
    forename: np.ndarray
    surname: np.ndarray
    dob: np.ndarray
    true_dob: np.ndarray
    noise_flags: dict[str, np.ndarray]


@dataclass
class SourceRecords:
    source: str
    registration: np.ndarray  # per record: index into identity rows
    person: np.ndarray
    day: np.ndarray
    stream: np.ndarray
    property: np.ndarray  # index into places, -1 no fixed abode, UNKNOWN missing
    stale_address: np.ndarray
    identity: Identity


def registrations(
    rng: np.random.Generator, person: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Registration index per record, and per registration its person and duplicate flag."""
    dup_person = (
        rng.random(int(person.max()) + 1 if len(person) else 0)
        < params.NOISE["duplicate_registration"]
    )
    second = dup_person[person] & (rng.random(len(person)) < 0.5)
    key = person * 2 + second
    unique, reg = np.unique(key, return_inverse=True)
    return reg, unique // 2, (unique % 2).astype(bool)


def noisy_identity(
    rng: np.random.Generator,
    names: Names,
    dob: np.ndarray,
    person: np.ndarray,
    duplicate: np.ndarray,
    first_day: np.ndarray,
    uses_nicknames: bool,
) -> Identity:
    vocab = names.vocabulary
    forename = names.forename[person].copy()
    flags: dict[str, np.ndarray] = {"nickname": np.zeros(len(person), dtype=bool)}
    if uses_nicknames:
        has = names.nickname[person] >= 0
        flags["nickname"] = has & (rng.random(len(person)) < params.NOISE["nickname"])
        forename[flags["nickname"]] = names.nickname[person][flags["nickname"]]
    surname = _surname_as_recorded(rng, names, person, first_day, flags)
    forename, flags["forename_typo"] = noise.with_typos(
        rng, vocab, forename, params.NOISE["forename_typo"]
    )
    surname, flags["surname_typo"] = noise.with_typos(
        rng, vocab, surname, params.NOISE["surname_typo"]
    )
    flags["name_swap"] = rng.random(len(person)) < params.NOISE["name_swap"]
    forename, surname = (
        np.where(flags["name_swap"], surname, forename),
        np.where(flags["name_swap"], forename, surname),
    )
    recorded, flags["dob_transposed"] = noise.transpose_day_month(
        rng, dob[person], params.NOISE["dob_day_month_transposed"]
    )
    recorded = noise.shift_year(rng, recorded, params.NOISE["dob_year_typo"])
    return Identity(person, duplicate, forename, surname, recorded, dob[person], flags)


def _surname_as_recorded(
    rng: np.random.Generator,
    names: Names,
    person: np.ndarray,
    first_day: np.ndarray,
    flags: dict[str, np.ndarray],
) -> np.ndarray:
    """Current surname; the birth surname if registered before the change (not updated) or,
    in some records, still the old one after the change; one half of hyphenated names."""
    changed_day = (names.surname_changed_on[person] - params.WINDOW_START).astype(np.int64)
    has_change = ~np.isnat(names.surname_changed_on[person])
    registered_before = has_change & (first_day < changed_day)
    stale = has_change & (rng.random(len(person)) < params.NOISE["old_surname_after_marriage"])
    flags["old_surname"] = registered_before | stale
    surname = np.where(flags["old_surname"], names.birth_surname[person], names.surname[person])
    return noise.one_part_of_hyphenated(
        rng, names.vocabulary, surname, params.NOISE["hyphenated_surname_variant"]
    )


def address_at(
    rng: np.random.Generator, residence: Residence, person: np.ndarray, day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Property at the event date (or the previous one: stale), UNKNOWN if none or missing."""
    span = int(residence.to_day.max()) + 2 if len(residence.to_day) else 1
    keys = residence.person * span + residence.from_day
    at = np.searchsorted(keys, person * span + day, side="right") - 1
    at = np.maximum(at, 0)
    found = (residence.person[at] == person) & (residence.to_day[at] >= day)
    prev = np.maximum(at - 1, 0)
    can_be_stale = (
        found & (at > 0) & (residence.person[prev] == person) & (day - residence.from_day[at] < 365)
    )
    stale = can_be_stale & (rng.random(len(person)) < params.NOISE["stale_address"])
    prop = np.where(stale, residence.property[prev], residence.property[at])
    prop = np.where(found, prop, UNKNOWN)
    return prop, stale


def source_records(
    rng: np.random.Generator,
    source: str,
    person: np.ndarray,
    day: np.ndarray,
    stream: np.ndarray,
    names: Names,
    dob: np.ndarray,
    residence: Residence,
    uses_nicknames: bool,
) -> SourceRecords:
    reg, reg_person, reg_dup = registrations(rng, person)
    first_day = np.full(len(reg_person), np.iinfo(np.int64).max)
    np.minimum.at(first_day, reg, day)
    identity = noisy_identity(rng, names, dob, reg_person, reg_dup, first_day, uses_nicknames)
    prop, stale = address_at(rng, residence, person, day)
    return SourceRecords(source, reg, person, day, stream, prop, stale, identity)
