"""The residence truth table: person x property x household x from/to days.

A person belongs to households over time (their first one; a new one if they leave home or
separate); a household occupies properties over time (its spells). Residence intervals are
the overlaps of the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth.population import Population
from upstream.synth.timeline import LifeEvents, W, days


@dataclass
class Residence:
    person: np.ndarray
    property: np.ndarray  # index into places, or -1 (no fixed abode)
    household: np.ndarray
    from_day: np.ndarray
    to_day: np.ndarray  # inclusive


def household_spells(
    home: np.ndarray,
    life: LifeEvents,
    moved: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_households: int,
) -> tuple[np.ndarray, ...]:
    """(household, property, from, to) sorted by household and date."""
    start = np.concatenate([life.start_day, life.leave_day])
    end = np.concatenate([life.end_day, np.full(len(life.leave_day), W - 1)])
    hh = np.concatenate([np.arange(len(home)), moved[0]])
    prop = np.concatenate([home, moved[1]])
    frm = np.concatenate([life.start_day, moved[2]])
    order = np.lexsort((frm, hh))
    hh, prop, frm = hh[order], prop[order], frm[order]
    nxt = np.append(frm[1:], W)
    same = np.append(hh[1:] == hh[:-1], False)
    to = np.where(same, nxt - 1, end[hh])
    frm = np.maximum(frm, start[hh])
    keep = to >= frm
    del n_households
    return hh[keep], prop[keep], frm[keep], to[keep]


def memberships(pop: Population, life: LifeEvents) -> tuple[np.ndarray, ...]:
    """(person, household, from, to): first household, then any new one after leaving."""
    n = len(pop.household)
    born = np.maximum(days(pop.dob), 0)
    last = np.minimum(life.dod_day - 1, W - 1)
    leave = np.full(n, W, dtype=np.int64)
    leave[life.leaver] = life.leave_day
    first = (
        np.arange(n),
        pop.household,
        np.maximum(born, life.start_day[pop.household]),
        np.minimum(last, leave - 1),
    )
    first_end = np.minimum(first[3], life.end_day[pop.household])
    second = (life.leaver, life.leave_household, life.leave_day, last[life.leaver])
    person = np.concatenate([first[0], second[0]])
    hh = np.concatenate([first[1], second[1]])
    frm = np.concatenate([first[2], second[2]])
    to = np.concatenate([first_end, second[3]])
    keep = to >= frm
    return person[keep], hh[keep], frm[keep], to[keep]


def residence_intervals(
    members: tuple[np.ndarray, ...], spells: tuple[np.ndarray, ...], n_households: int
) -> Residence:
    """Intersect memberships with household spells, vectorised by repeat."""
    person, m_hh, m_from, m_to = members
    s_hh, s_prop, s_from, s_to = spells
    count = np.bincount(s_hh, minlength=n_households)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    reps = count[m_hh]
    row = np.repeat(np.arange(len(person)), reps)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(reps) - reps, reps)
    spell = first[m_hh[row]] + offset
    frm = np.maximum(m_from[row], s_from[spell])
    to = np.minimum(m_to[row], s_to[spell])
    keep = to >= frm
    order = np.lexsort((frm[keep], person[row][keep]))
    return Residence(
        person=person[row][keep][order],
        property=s_prop[spell][keep][order],
        household=m_hh[row][keep][order],
        from_day=frm[keep][order],
        to_day=to[keep][order],
    )
