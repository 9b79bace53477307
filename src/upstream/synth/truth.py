"""Truth tables (DIR/truth/), kept apart from the extracts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from upstream.synth import params
from upstream.synth.identity import Names
from upstream.synth.needs import NEED_NAMES
from upstream.synth.places import TENURES, Places
from upstream.synth.population import HOUSEHOLD_KINDS, Population
from upstream.synth.residence import Residence


def nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """10-digit NHS numbers with a valid Modulus 11 check digit, in a 99-prefixed range that
    is never issued (England issues 400-499 and 600-799 million; 999 is the test range)."""
    candidates = 990_000_000 + rng.choice(10_000_000, size=int(n * 1.2) + 20, replace=False)
    digits = (candidates[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    remainder = (digits * np.arange(10, 1, -1)).sum(axis=1) % 11
    check = 11 - remainder
    check[check == 11] = 0
    valid = check != 10
    numbers: np.ndarray = (candidates[valid][:n] * 10 + check[valid][:n]).astype(np.int64)
    return numbers


def _day_dates(days: np.ndarray) -> pa.Array:
    return pa.array(
        (params.WINDOW_START + days.astype("timedelta64[D]")).astype("datetime64[D]"),
        type=pa.date32(),
    )


def people_table(pop: Population, names: Names, dod_day: np.ndarray, nhs: np.ndarray) -> pa.Table:
    vocab = pa.array(names.vocabulary)
    dod = params.WINDOW_START + dod_day.astype("timedelta64[D]")
    dod = np.where(dod_day >= params.WINDOW_DAYS, np.datetime64("NaT", "D"), dod)
    return pa.table(
        {
            "person_id": pa.array(np.arange(len(pop.sex), dtype=np.int64)),
            "forename": vocab.take(pa.array(names.forename)),
            "surname": vocab.take(pa.array(names.surname)),
            "birth_surname": vocab.take(pa.array(names.birth_surname)),
            "surname_changed_on": pa.array(names.surname_changed_on, type=pa.date32()),
            "married_on": pa.array(names.married_on, type=pa.date32()),
            "nickname": _nickname(vocab, names),
            "sex": pa.array(pop.sex),
            "dob": pa.array(pop.dob, type=pa.date32()),
            "dod": pa.array(dod, type=pa.date32()),
            "ethnic_group": pa.array(
                np.array([g[0] for g in params.ETHNIC_GROUPS])[pop.ethnic_group]
            ),
            "nhs_number": pa.array(nhs).cast(pa.string()),
            "twin_of": _nullable(pop.twin_of),
            "mother_id": _nullable(pop.mother),
            "father_id": _nullable(pop.father),
            "partner_id": _nullable(pop.partner),
        }
    )


def _nickname(vocab: pa.Array, names: Names) -> pa.Array:
    values = vocab.take(pa.array(np.maximum(names.nickname, 0)))
    return pa.compute.if_else(pa.array(names.nickname < 0), pa.scalar(None, pa.string()), values)


def _nullable(ids: np.ndarray) -> pa.Array:
    return pa.array(ids, mask=ids < 0, type=pa.int64())


def properties_table(places: Places) -> pa.Table:
    return pa.table(
        {
            "uprn": pa.array(places.uprn),
            "address_line_1": pa.array(places.address_line_1),
            "address_line_2": pa.array(places.address_line_2),
            "postcode": pa.array(places.postcode),
            "ward": pa.array(np.array(places.ward_names)[places.ward]),
            "tenure": pa.array(np.array(TENURES)[places.tenure]),
        }
    )


def residence_table(res: Residence, places: Places) -> pa.Table:
    uprn = np.where(res.property >= 0, places.uprn[np.maximum(res.property, 0)], 0)
    ongoing = res.to_day >= params.WINDOW_DAYS - 1
    to = pa.array((params.WINDOW_START + res.to_day.astype("timedelta64[D]")), type=pa.date32())
    return pa.table(
        {
            "person_id": pa.array(res.person),
            "uprn": pa.array(uprn, mask=res.property < 0),
            "no_fixed_abode": pa.array(res.property == -1),
            "household_id": pa.array(res.household),
            "from_date": _day_dates(res.from_day),
            "to_date": pa.compute.if_else(pa.array(ongoing), pa.scalar(None, pa.date32()), to),
        }
    )


def households_table(pop: Population, n_new: int, adversity: np.ndarray) -> pa.Table:
    kinds = np.concatenate(
        [np.array(HOUSEHOLD_KINDS)[pop.household_kind], np.full(n_new, "one_person")]
    )
    return pa.table(
        {
            "household_id": pa.array(np.arange(len(kinds), dtype=np.int64)),
            "kind_at_start": pa.array(kinds),
            "adversity": pa.array(np.concatenate([adversity, np.zeros(n_new)]).round(4)),
        }
    )


def needs_table(needs: dict[str, np.ndarray]) -> pa.Table:
    n = len(next(iter(needs.values())))
    return pa.table(
        {
            "person_id": pa.array(np.arange(n, dtype=np.int64)),
            **{k: pa.array(needs[k]) for k in NEED_NAMES if k in needs},
            "parental_toxic_trio": pa.array(needs["parental_toxic_trio"]),
        }
    )


def record_truth_table(
    source: str,
    record_id: pa.Array,
    local_id: pa.Array,
    person: np.ndarray,
    duplicate: np.ndarray,
    stale: np.ndarray,
    event_type: pa.Array,
    cost_code: pa.Array,
    cost: np.ndarray,
    flags: dict[str, np.ndarray],
) -> pa.Table:
    noise_columns = {f"noise_{k}": pa.array(v) for k, v in sorted(flags.items())}
    return pa.table(
        {
            "source": pa.array(np.full(len(person), source)),
            "record_id": record_id.cast(pa.string()),
            "local_id": local_id.cast(pa.string()),
            "person_id": pa.array(person),
            "duplicate_registration": pa.array(duplicate),
            "stale_address": pa.array(stale),
            "event_type": event_type,
            "unit_cost_code": cost_code,
            "unit_cost_gbp": pa.array(cost),
            **noise_columns,
        }
    )
