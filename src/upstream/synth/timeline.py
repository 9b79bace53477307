"""Life over the window: deaths, leaving home, separations, moves, no fixed abode.

Days are integers from the window start (0 = 2019-04-01). Households move as a unit through a
vacancy chain: a move frees the old property for a later mover, so no two households hold
one property at once. The chain is the one sequential step (a loop over move requests, about
a quarter of a million at 1.1M people); everything else is vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth import params
from upstream.synth.places import TENURES
from upstream.synth.population import HOUSEHOLD_KINDS, ROLE_CHILD, Population

W = params.WINDOW_DAYS
NFA = -1  # property index meaning no fixed abode


@dataclass
class LifeEvents:
    dod_day: np.ndarray  # per person, W if alive at the window end
    start_day: np.ndarray  # per household: arrival (0 if present at the start)
    end_day: np.ndarray  # per household: last day in the city
    leaver: np.ndarray  # person indices who set up a new household
    leave_day: np.ndarray
    leave_household: np.ndarray  # the new household index of each leaver
    leave_kind: np.ndarray  # "young_adult" or "separation"
    nfa_people: np.ndarray


def days(dates: np.ndarray) -> np.ndarray:
    return (dates - params.WINDOW_START).astype(np.int64)


def life_events(
    rng: np.random.Generator, pop: Population, needs: dict[str, np.ndarray]
) -> LifeEvents:
    n_households = len(pop.household_kind)
    dod = _deaths(rng, pop, needs)
    start, end = _migration(rng, n_households)
    young, young_day = _leaving_home(rng, pop, dod)
    sep, sep_day = _separations(rng, pop, needs, dod, end)
    leaver = np.concatenate([young, sep])
    leave_day = np.concatenate([young_day, sep_day])
    order = np.argsort(leave_day, kind="stable")
    leaver, leave_day = leaver[order], leave_day[order]
    kind = np.concatenate([np.full(len(young), "young_adult"), np.full(len(sep), "separation")])[
        order
    ]
    new_households = n_households + np.arange(len(leaver))
    nfa = _no_fixed_abode(rng, pop, needs)
    return LifeEvents(dod, start, end, leaver, leave_day, new_households, kind, nfa)


def _deaths(rng: np.random.Generator, pop: Population, needs: dict[str, np.ndarray]) -> np.ndarray:
    """Gompertz mortality (params), doubled by substance misuse or frailty."""
    age = np.maximum(pop.age, 0).astype(np.float64)
    q = params.MORTALITY_AT_40 * 2 ** ((age - 40) / params.MORTALITY_DOUBLING_YEARS)
    q = np.minimum(q * np.where(needs["substance_misuse"] | needs["frailty"], 2.0, 1.0), 0.5)
    dies = rng.random(len(age)) < 1 - (1 - q) ** params.WINDOW_YEARS
    born = np.maximum(days(pop.dob), 0)
    day = born + (rng.random(len(age)) * (W - born)).astype(np.int64)
    return np.where(dies & (day > born), day, W)


def _migration(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Some households arrive during the window and as many leave the city."""
    share = params.HOUSEHOLDS_LEAVING_CITY_PER_YEAR * params.WINDOW_YEARS / 2
    draw = rng.random(n)
    start = np.where(draw < share, rng.integers(1, W, n), 0)
    end = np.where(draw > 1 - share, rng.integers(1, W, n), W - 1)
    return start, end


def _leaving_home(
    rng: np.random.Generator, pop: Population, dod: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    age_at_leaving = 18 + rng.random(len(pop.age)) * 4
    day = days(pop.dob) + (age_at_leaving * 365.25).astype(np.int64)
    eligible = (pop.role == ROLE_CHILD) & (day > 0) & (day < dod) & (day < W - 1)
    chosen = np.flatnonzero(eligible & (rng.random(len(day)) < params.YOUNG_ADULT_LEAVES_HOME))
    return chosen, day[chosen]


def _separations(
    rng: np.random.Generator,
    pop: Population,
    needs: dict[str, np.ndarray],
    dod: np.ndarray,
    end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """A partner leaves; domestic abuse in the couple triples the rate."""
    leaving_partner = np.flatnonzero((pop.partner >= 0) & (pop.role == 1))
    other = pop.partner[leaving_partner]
    abuse = needs["domestic_abuse"][leaving_partner] | needs["domestic_abuse"][other]
    rate = params.SEPARATION_RATE_PER_YEAR * np.where(abuse, 3.0, 1.0)
    splits = rng.random(len(leaving_partner)) < 1 - (1 - rate) ** params.WINDOW_YEARS
    day = rng.integers(1, W - 1, len(leaving_partner))
    alive = (
        (day < dod[leaving_partner])
        & (day < dod[other])
        & (day < end[pop.household[leaving_partner]])
    )
    keep = splits & alive
    return leaving_partner[keep], day[keep]


def _no_fixed_abode(
    rng: np.random.Generator, pop: Population, needs: dict[str, np.ndarray]
) -> np.ndarray:
    """Adults living alone with housing insecurity and the highest other needs."""
    single = pop.household_kind[pop.household] == HOUSEHOLD_KINDS.index("one_person")
    candidates = np.flatnonzero(single & needs["housing_insecurity"] & (pop.age >= 18))
    count = min(len(candidates), round(params.NFA_SHARE_OF_ADULTS * (pop.age >= 18).sum()))
    return np.sort(rng.choice(candidates, size=count, replace=False))


def initial_allocation(
    rng: np.random.Generator,
    pop: Population,
    adversity: np.ndarray,
    tenure: np.ndarray,
    deprivation: np.ndarray,
) -> np.ndarray:
    """Property of each household at its start: house shares in HMOs, then by need.

    Households ranked by adversity (plus noise) take properties ranked by deprivation, so
    needs concentrate in social rented and temporary accommodation as in EHS 2021-22.
    """
    n_households = len(pop.household_kind)
    spare = rng.random(len(tenure)) < params.SPARE_PROPERTY_SHARE
    home = np.full(n_households, NFA, dtype=np.int64)
    shares = np.flatnonzero(pop.household_kind == HOUSEHOLD_KINDS.index("house_share"))
    hmo = np.flatnonzero(~spare & (tenure == TENURES.index("hmo")))
    take = min(len(hmo), len(shares))
    home[shares[:take]] = hmo[:take]
    used = np.zeros(len(tenure), dtype=bool)
    used[hmo[:take]] = True
    rest = np.flatnonzero(home == NFA)
    free = np.flatnonzero(~spare & ~used)
    free = free[np.argsort(-deprivation[free], kind="stable")][: len(rest)]
    ranked = rest[np.argsort(-(adversity[rest] + rng.normal(0, 0.7, len(rest))), kind="stable")]
    home[ranked[: len(free)]] = free
    return home


@dataclass
class MoveRequests:
    day: np.ndarray
    household: np.ndarray
    target: np.ndarray  # tenure index, or NFA


def household_moves(
    rng: np.random.Generator,
    home: np.ndarray,
    tenure: np.ndarray,
    life: LifeEvents,
    insecure: np.ndarray,
    nfa_households: np.ndarray,
) -> MoveRequests:
    """Ordinary moves by tenure rate, TA episodes for insecure households, new households."""
    n_households = len(home)
    current = tenure[np.maximum(home, 0)]
    rate = np.array([params.MOVE_RATE_PER_YEAR[t] for t in TENURES])[current]
    span = np.maximum(life.end_day - life.start_day, 0)
    count = rng.poisson(rate * span / 365.25)
    hh = np.repeat(np.arange(n_households), count)
    day = life.start_day[hh] + (rng.random(len(hh)) * span[hh]).astype(np.int64)
    target = np.where(
        rng.random(len(hh)) < 0.8,
        current[hh],
        rng.choice(len(TENURES), len(hh), p=list(params.TENURE_SHARES.values())),
    )
    out_of_ta = current[hh] == TENURES.index("temporary_accommodation")
    target[out_of_ta] = np.where(
        rng.random(out_of_ta.sum()) < 0.6,
        TENURES.index("social_rented"),
        TENURES.index("private_rented"),
    )
    ta_hh = np.flatnonzero(
        insecure
        & (current != TENURES.index("temporary_accommodation"))
        & (rng.random(n_households) < 0.5)
    )
    ta_in = life.start_day[ta_hh] + (rng.random(len(ta_hh)) * span[ta_hh]).astype(np.int64)
    ta_out = ta_in + rng.integers(60, 540, len(ta_hh))
    new_target = np.where(
        life.leave_kind == "young_adult", TENURES.index("hmo"), TENURES.index("private_rented")
    )
    new_target = np.where(
        rng.random(len(new_target)) < 0.5, new_target, TENURES.index("private_rented")
    )
    nfa_from = np.where(
        rng.random(len(nfa_households)) < 0.3, 0, rng.integers(0, W, len(nfa_households))
    )
    rehoused = nfa_from + rng.integers(60, 720, len(nfa_households))
    parts = [
        (day, hh, target),
        (nfa_from, nfa_households, np.full(len(nfa_households), NFA)),
        (rehoused, nfa_households, np.full(len(nfa_households), TENURES.index("hmo"))),
        (ta_in, ta_hh, np.full(len(ta_hh), TENURES.index("temporary_accommodation"))),
        (ta_out, ta_hh, np.full(len(ta_hh), TENURES.index("social_rented"))),
        (life.leave_day, life.leave_household, new_target),
    ]
    d, h, t = (np.concatenate([p[i] for p in parts]) for i in range(3))
    keep = d < W
    order = np.lexsort((h[keep], d[keep]))
    return MoveRequests(d[keep][order], h[keep][order], t[keep][order].astype(np.int64))


def vacancy_chain(
    rng: np.random.Generator,
    home: np.ndarray,
    n_households: int,
    tenure: np.ndarray,
    requests: MoveRequests,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the moves in date order; returns spells (household, property, from_day)."""
    tenure_list = tenure.tolist()
    occupied = np.zeros(len(tenure), dtype=bool)
    occupied[home[home >= 0]] = True
    stacks: list[list[int]] = [
        list(np.flatnonzero(~occupied & (tenure == t))) for t in range(len(TENURES))
    ]
    current = np.full(n_households, NFA, dtype=np.int64)
    current[: len(home)] = home
    current_list = current.tolist()
    picks = rng.random(len(requests.day)).tolist()
    spells_h, spells_p, spells_d = [], [], []
    for i, (day, hh, target) in enumerate(
        zip(
            requests.day.tolist(),
            requests.household.tolist(),
            requests.target.tolist(),
            strict=True,
        )
    ):
        new = NFA if target == NFA else _take(stacks, target, picks[i])
        old = current_list[hh]
        if old >= 0:
            stacks[tenure_list[old]].append(old)
        current_list[hh] = new
        spells_h.append(hh)
        spells_p.append(new)
        spells_d.append(day)
    return (
        np.array(spells_h, dtype=np.int64),
        np.array(spells_p, dtype=np.int64),
        np.array(spells_d, dtype=np.int64),
    )


def _take(stacks: list[list[int]], target: int, pick: float) -> int:
    """A random vacant property of the target tenure (or of the tenure with most vacancies)."""
    stack = stacks[target] if stacks[target] else max(stacks, key=len)
    j = int(pick * len(stack))
    stack[j], stack[-1] = stack[-1], stack[j]
    return stack.pop()
