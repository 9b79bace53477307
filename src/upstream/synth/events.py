"""Service events generated from latent needs, one stream per (source, event type).

Each stream (data/event_streams.csv) has an age range, a base rate per person-year and
multipliers for the needs that drive it; a person's rate is base x product of multipliers of
the needs they have x a personal gamma frailty (heavy tail: frequent attenders). Counts are
Poisson over the years the person lives in the city; dates are uniform over that time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

from upstream.synth import params

MAX_RATE_PER_YEAR = 26.0  # fortnightly: caps the product of multipliers


@dataclass(frozen=True)
class Stream:
    source: str
    event_type: str  # named for people in the source catalogue (upstream.sources)
    gmca_code: str
    gmca_description: str
    gmca_cost_gbp: float
    min_age: int
    max_age: int
    base_rate: float
    drivers: tuple[tuple[str, float], ...]


@dataclass
class Events:
    person: np.ndarray
    stream: np.ndarray  # index into streams
    day: np.ndarray  # days from the window start


def load_streams() -> tuple[Stream, ...]:
    text = resources.files("upstream.synth").joinpath("data/event_streams.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(
        Stream(
            source=r["source"],
            event_type=r["event_type"],
            gmca_code=r["gmca_code"],
            gmca_description=r["gmca_description"],
            gmca_cost_gbp=float(r["gmca_cost_gbp"]),
            min_age=int(r["min_age"]),
            max_age=int(r["max_age"]),
            base_rate=float(r["base_rate_per_year"]),
            drivers=tuple(
                (k, float(v)) for k, v in (d.split(":") for d in r["drivers"].split(";"))
            ),
        )
        for r in rows
    )


def generate_events(
    rng: np.random.Generator,
    streams: tuple[Stream, ...],
    age: np.ndarray,
    needs: dict[str, np.ndarray],
    present_from: np.ndarray,
    present_to: np.ndarray,
) -> Events:
    """Events for every stream, sorted by person then day."""
    frailty = rng.gamma(params.EVENT_RATE_GAMMA_SHAPE, 1 / params.EVENT_RATE_GAMMA_SHAPE, len(age))
    years = np.maximum(present_to - present_from + 1, 0) / 365.25
    persons, kinds, dayss = [], [], []
    for index, stream in enumerate(streams):
        eligible = np.flatnonzero((age >= stream.min_age) & (age <= stream.max_age) & (years > 0))
        rate = np.full(len(eligible), stream.base_rate)
        for need, multiplier in stream.drivers:
            rate *= np.where(needs[need][eligible], multiplier, 1.0)
        rate = np.minimum(rate * frailty[eligible], MAX_RATE_PER_YEAR)
        count = rng.poisson(rate * years[eligible])
        who = np.repeat(eligible, count)
        span = present_to[who] - present_from[who] + 1
        persons.append(who)
        kinds.append(np.full(len(who), index, dtype=np.int16))
        dayss.append(present_from[who] + (rng.random(len(who)) * span).astype(np.int64))
    person, stream_ix, day = np.concatenate(persons), np.concatenate(kinds), np.concatenate(dayss)
    order = np.lexsort((day, person))
    return Events(person[order], stream_ix[order], day[order])


def parental_toxic_trio(
    household: np.ndarray, is_child: np.ndarray, needs: dict[str, np.ndarray]
) -> np.ndarray:
    """Children (and adults) living where an adult has domestic abuse, mental ill-health or
    substance misuse: the Children's Commissioner's (2018) "toxic trio"."""
    trio = (
        needs["domestic_abuse"] | needs["mental_ill_health"] | needs["substance_misuse"]
    ) & ~is_child
    household_has = np.zeros(int(household.max()) + 1, dtype=bool)
    household_has[household[trio]] = True
    flags: np.ndarray = household_has[household]
    return flags
