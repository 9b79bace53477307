"""People and the households they live in at the window start, plus births in the window.

Households are built first and people inside them, so that parents are older than their
children, twins share a birthday and couples have similar ages. Family households are made
until the children match the age pyramid; the remaining adults form couples, single-person
households and house shares drawn from the pyramid's deficit, so the whole city matches the
pyramid closely (see docs/synth.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth import params

HOUSEHOLD_KINDS = tuple(params.HOUSEHOLD_TYPE_SHARES)
ROLE_ADULT, ROLE_PARTNER, ROLE_CHILD = 0, 1, 2


@dataclass
class Population:
    """One row per person (arrays of equal length) and per household."""

    household: np.ndarray  # household index at the window start (or at birth)
    role: np.ndarray  # ROLE_*
    age: np.ndarray  # whole years at the window start (-1 for babies born in the window)
    sex: np.ndarray  # "M" / "F"
    dob: np.ndarray  # datetime64[D]
    ethnic_group: np.ndarray  # index into params.ETHNIC_GROUPS
    partner: np.ndarray  # person index or -1
    mother: np.ndarray
    father: np.ndarray
    twin_of: np.ndarray
    household_kind: np.ndarray  # per household: index into HOUSEHOLD_KINDS
    household_ethnic_group: np.ndarray  # per household


def target_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    """Whole-year ages drawn from the five-year pyramid, spread evenly inside a band."""
    band = rng.choice(len(params.AGE_BAND_SHARES), size=n, p=params.AGE_BAND_SHARES)
    width = np.where(band == len(params.AGE_BAND_SHARES) - 1, params.MAX_AGE - 90, 5)
    return (band * 5 + rng.integers(0, 1_000_000, n) % width).astype(np.int16)


class _Builder:
    """Accumulates people household by household kind, in arrays."""

    def __init__(self) -> None:
        self.cols: dict[str, list[np.ndarray]] = {
            k: []
            for k in ("household", "role", "age", "sex", "partner", "mother", "father", "twin")
        }
        self.n = 0
        self.kinds: list[np.ndarray] = []
        self.n_households = 0

    def add(
        self, household: np.ndarray, role: np.ndarray, age: np.ndarray, sex: np.ndarray
    ) -> np.ndarray:
        ids = np.arange(self.n, self.n + len(household))
        for key, value in (("household", household), ("role", role), ("age", age), ("sex", sex)):
            self.cols[key].append(np.asarray(value))
        for key in ("partner", "mother", "father", "twin"):
            self.cols[key].append(np.full(len(household), -1, dtype=np.int64))
        self.n += len(household)
        return ids

    def new_households(self, count: int, kind: str) -> np.ndarray:
        ids = np.arange(self.n_households, self.n_households + count)
        self.kinds.append(np.full(count, HOUSEHOLD_KINDS.index(kind), dtype=np.int8))
        self.n_households += count
        return ids

    def column(self, key: str) -> np.ndarray:
        return np.concatenate(self.cols[key])


def _families(
    rng: np.random.Generator, b: _Builder, count: int, kind: str, ages: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Families with dependent children: mother (or lone father), partner, children."""
    hh = b.new_households(count, kind)
    mother_age = rng.choice(ages[(ages >= 20) & (ages <= 52)], size=count)
    lone_father = (kind == "lone_parent") & (rng.random(count) > params.LONE_PARENT_FEMALE_SHARE)
    parent_sex = np.where(lone_father, "M", "F")
    parents = b.add(hh, np.full(count, ROLE_ADULT), mother_age, parent_sex)
    links = []
    if kind == "couple_with_children":
        partner_age = np.clip(mother_age + np.rint(rng.normal(2, 3, count)), 18, 80).astype(
            np.int16
        )
        same_sex = rng.random(count) < params.SAME_SEX_COUPLE_SHARE
        partners = b.add(
            hh, np.full(count, ROLE_PARTNER), partner_age, np.where(same_sex, "F", "M")
        )
        links.append((parents, partners))
    kids_per = rng.choice(
        list(params.CHILDREN_PER_FAMILY), size=count, p=list(params.CHILDREN_PER_FAMILY.values())
    )
    family = np.repeat(np.arange(count), kids_per)
    order = np.arange(len(family)) - np.repeat(np.cumsum(kids_per) - kids_per, kids_per)
    # The eldest child skews older (younger siblings fill the low ages): U^0.5 keeps the
    # children's ages close to the pyramid's flat 0-17 shape.
    oldest = np.floor((np.minimum(17, mother_age - 17) + 1) * rng.random(count) ** 0.5).astype(
        np.int64
    )
    twin = (order > 0) & (rng.random(len(family)) < params.TWIN_MATERNITY_RATE * 2)
    gap = np.where(twin, 0, params.BIRTH_GAP_YEARS + rng.poisson(2.0, len(family)))
    gap[order == 0] = 0
    step = np.cumsum(gap) - np.repeat(np.cumsum(gap)[np.cumsum(kids_per) - kids_per] - 0, kids_per)
    kid_age = oldest[family] - step
    keep = kid_age >= 0
    family, kid_age, twin = family[keep], kid_age[keep], twin[keep]
    kid_sex = np.where(rng.random(len(family)) < params.MALE_SHARE_AT_BIRTH, "M", "F")
    kids = b.add(hh[family], np.full(len(family), ROLE_CHILD), kid_age.astype(np.int16), kid_sex)
    _link_children(b, kids, parents[family], parent_sex[family], links, family)
    _link_twins(b, kids, family, twin)
    return links


def _link_children(
    b: _Builder,
    kids: np.ndarray,
    parent: np.ndarray,
    parent_sex: np.ndarray,
    links: list[tuple[np.ndarray, np.ndarray]],
    family: np.ndarray,
) -> None:
    mother = b.cols["mother"]
    father = b.cols["father"]
    mother[-1][:] = np.where(parent_sex == "F", parent, -1)
    father[-1][:] = np.where(parent_sex == "M", parent, -1)
    if links:
        partner = links[0][1][family]
        father[-1][:] = np.where(parent_sex == "F", partner, father[-1])
    assert len(kids) == len(parent)


def _link_twins(b: _Builder, kids: np.ndarray, family: np.ndarray, twin: np.ndarray) -> None:
    # A twin is the child after its twin in the same family (gap 0).
    idx = np.flatnonzero(twin)
    idx = idx[(idx > 0) & (family[np.maximum(idx - 1, 0)] == family[idx])]
    b.cols["twin"][-1][idx] = kids[idx - 1]
    b.cols["twin"][-1][idx - 1] = kids[idx]


def _adult_sex(rng: np.random.Generator, ages: np.ndarray) -> np.ndarray:
    # Women outlive men: female share of the population by age (ONS mid-2021, England).
    female = np.select([ages >= 85, ages >= 75, ages >= 60], [0.64, 0.56, 0.52], 0.50)
    return np.where(rng.random(len(ages)) < female, "F", "M")


def _couples(
    rng: np.random.Generator, b: _Builder, pool: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    pool = np.sort(pool)[: len(pool) // 2 * 2]
    count = len(pool) // 2
    hh = b.new_households(count, "couple_no_children")
    same_sex = rng.random(count) < params.SAME_SEX_COUPLE_SHARE
    first = b.add(hh, np.full(count, ROLE_ADULT), pool[1::2], np.where(same_sex, "M", "M"))
    second = b.add(hh, np.full(count, ROLE_PARTNER), pool[0::2], np.where(same_sex, "M", "F"))
    return [(second, first)]


def _singles(rng: np.random.Generator, b: _Builder, pool: np.ndarray) -> None:
    hh = b.new_households(len(pool), "one_person")
    b.add(hh, np.full(len(pool), ROLE_ADULT), pool, _adult_sex(rng, pool))


def _shared(rng: np.random.Generator, b: _Builder, pool: np.ndarray, kind: str) -> None:
    """House shares (2-5 unrelated adults) or other multi-adult households (2-4)."""
    sizes = rng.integers(2, 6 if kind == "house_share" else 5, len(pool) // 2 + 1)
    ends = np.cumsum(sizes)
    sizes = sizes[ends <= len(pool)]
    used = int(sizes.sum())
    hh = b.new_households(len(sizes), kind)
    ages = np.sort(pool)[:used] if kind == "house_share" else pool[:used]
    b.add(np.repeat(hh, sizes), np.full(used, ROLE_ADULT), ages, _adult_sex(rng, ages))


def _deficit_pool(
    rng: np.random.Generator, target: np.ndarray, made: np.ndarray, size: int, min_age: int
) -> np.ndarray:
    """Ages still missing from the pyramid, as a shuffled pool of `size` adults."""
    counts = np.bincount(target, minlength=params.MAX_AGE + 1)
    have = np.bincount(made, minlength=params.MAX_AGE + 1)
    deficit = np.clip(counts - have, 0, None).astype(float)
    deficit[:min_age] = 0
    ages = rng.choice(params.MAX_AGE + 1, size=size, p=deficit / deficit.sum())
    return ages.astype(np.int16)


def build_population(rng: np.random.Generator, n_people: int) -> Population:
    """Households and people at the window start, then babies born in the window."""
    births = round(
        n_people
        * params.CRUDE_BIRTH_RATE
        * params.WINDOW_YEARS
        / (1 + params.CRUDE_BIRTH_RATE * params.WINDOW_YEARS)
    )
    base = n_people - births
    target = target_ages(rng, base)
    n_children = int((target < 18).sum())
    b = _Builder()
    # ~1.85 dependent children per family reach the household (older ones have left);
    # lone parents are 12/(12+21) of families (HOUSEHOLD_TYPE_SHARES).
    families = int(n_children / 1.75)
    lone = int(families * 0.36)
    links = _families(rng, b, families - lone, "couple_with_children", target)
    _families(rng, b, lone, "lone_parent", target)
    rest = base - b.n
    pool = _deficit_pool(rng, target, b.column("age"), rest, 18)
    shares = params.HOUSEHOLD_TYPE_SHARES
    n_share = int(rest * 0.09)
    young = pool < 40
    share_pool = pool[young][:n_share]
    remaining = np.concatenate([pool[young][n_share:], pool[~young]])
    remaining = remaining[rng.permutation(len(remaining))]
    _shared(rng, b, share_pool, "house_share")
    n_multi = int(len(remaining) * 0.12)
    _shared(rng, b, remaining[:n_multi], "other_multi_adult")
    remaining = remaining[n_multi:]
    couple_share = (
        2 * shares["couple_no_children"] / (2 * shares["couple_no_children"] + shares["one_person"])
    )
    n_couple = int(len(remaining) * couple_share)
    links += _couples(rng, b, remaining[:n_couple])
    _singles(rng, b, remaining[n_couple:])
    return _finish(rng, b, links, births)


def _finish(
    rng: np.random.Generator, b: _Builder, links: list[tuple[np.ndarray, np.ndarray]], births: int
) -> Population:
    partner = b.column("partner")
    for first, second in links:
        partner[first] = second
        partner[second] = first
    pop = Population(
        household=b.column("household").astype(np.int64),
        role=b.column("role").astype(np.int8),
        age=b.column("age").astype(np.int16),
        sex=b.column("sex").astype("U1"),
        dob=np.empty(0, dtype="datetime64[D]"),
        ethnic_group=np.empty(0, dtype=np.int8),
        partner=partner,
        mother=b.column("mother"),
        father=b.column("father"),
        twin_of=b.column("twin"),
        household_kind=np.concatenate(b.kinds),
        household_ethnic_group=np.empty(0, dtype=np.int8),
    )
    _add_births(rng, pop, births)
    _assign_dates_of_birth(rng, pop)
    _assign_ethnicity(rng, pop)
    return pop


def _add_births(rng: np.random.Generator, pop: Population, births: int) -> None:
    """Babies born in the window join a family whose mother is 18-44."""
    mothers = np.flatnonzero(
        (pop.sex == "F") & (pop.role != ROLE_CHILD) & (pop.age >= 18) & (pop.age <= 44)
    )
    mothers = mothers[np.isin(pop.household_kind[pop.household[mothers]], [2, 3, 1])]
    chosen = rng.choice(mothers, size=births)
    n = len(pop.household)
    ids = np.arange(n, n + births)
    pop.household = np.concatenate([pop.household, pop.household[chosen]])
    pop.role = np.concatenate([pop.role, np.full(births, ROLE_CHILD, dtype=np.int8)])
    pop.age = np.concatenate([pop.age, np.full(births, -1, dtype=np.int16)])
    sex = np.where(rng.random(births) < params.MALE_SHARE_AT_BIRTH, "M", "F")
    pop.sex = np.concatenate([pop.sex, sex])
    pop.partner = np.concatenate([pop.partner, np.full(births, -1)])
    pop.mother = np.concatenate([pop.mother, chosen])
    pop.father = np.concatenate(
        [pop.father, np.where(pop.partner[chosen] >= 0, pop.partner[chosen], -1)]
    )
    twin = np.full(births, -1)
    pairs = np.flatnonzero(rng.random(births - 1) < params.TWIN_MATERNITY_RATE)
    pairs = pairs[np.diff(np.concatenate([[-2], pairs])) > 1]  # no triplets by accident
    pop.mother[ids[pairs + 1]] = chosen[pairs]
    pop.father[ids[pairs + 1]] = pop.father[ids[pairs]]
    pop.household[ids[pairs + 1]] = pop.household[ids[pairs]]
    twin[pairs], twin[pairs + 1] = ids[pairs + 1], ids[pairs]
    pop.twin_of = np.concatenate([pop.twin_of, twin])


def _assign_dates_of_birth(rng: np.random.Generator, pop: Population) -> None:
    n = len(pop.age)
    offset = (pop.age.astype(np.int64) * 365.25 + rng.integers(0, 365, n)).astype(np.int64)
    dob = params.WINDOW_START - offset.astype("timedelta64[D]") - np.timedelta64(1, "D")
    born = pop.age < 0
    dob[born] = params.WINDOW_START + rng.integers(0, params.WINDOW_DAYS - 30, born.sum()).astype(
        "timedelta64[D]"
    )
    twins = np.flatnonzero(pop.twin_of >= 0)
    first = twins[twins < pop.twin_of[twins]]
    dob[pop.twin_of[first]] = dob[first]
    pop.dob = dob


def _assign_ethnicity(rng: np.random.Generator, pop: Population) -> None:
    """One group per household (house shares: per person), in census proportions."""
    shares = np.array([g[1] for g in params.ETHNIC_GROUPS])
    shares = shares / shares.sum()
    n_households = len(pop.household_kind)
    pop.household_ethnic_group = rng.choice(len(shares), size=n_households, p=shares).astype(
        np.int8
    )
    per_person = pop.household_ethnic_group[pop.household]
    shared = pop.household_kind[pop.household] == HOUSEHOLD_KINDS.index("house_share")
    per_person[shared] = rng.choice(len(shares), size=int(shared.sum()), p=shares)
    pop.ethnic_group = per_person.astype(np.int8)
