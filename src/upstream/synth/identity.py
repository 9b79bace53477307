"""True names: first names, birth surnames, marriages and surname changes, nicknames.

Names are integer ids into one growing vocabulary (a list of strings), so that a million
people cost a few megabytes and strings are only made when files are written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth import params
from upstream.synth.names import NameBook, draw_names
from upstream.synth.population import ROLE_CHILD, Population

NO_DATE = np.datetime64("NaT", "D")


@dataclass
class Names:
    vocabulary: list[str]
    forename: np.ndarray
    birth_surname: np.ndarray
    surname: np.ndarray  # current at the window end
    surname_changed_on: np.ndarray  # datetime64[D] or NaT
    married_on: np.ndarray  # datetime64[D] or NaT (for both partners)
    nickname: np.ndarray  # vocabulary id of a known-as name, or -1


def assign_names(rng: np.random.Generator, pop: Population, book: NameBook) -> Names:
    """Forenames by heritage and sex; family surnames; wives' names change on marriage."""
    vocabulary = list(book.vocabulary)
    pools = np.array([g[2] for g in params.ETHNIC_GROUPS])[pop.ethnic_group]
    forename = draw_names(rng, book, pools, pop.sex, "first")
    own = draw_names(rng, book, pools, pop.sex, "surname")
    birth = own.copy()
    # Children carry the father's surname where there is one in the household, else the mother's.
    has_father = pop.father >= 0
    birth[has_father] = own[pop.father[has_father]]
    orphan = (~has_father) & (pop.mother >= 0)
    birth[orphan] = own[pop.mother[orphan]]
    married_on = _marriages(rng, pop)
    surname, changed_on = _surnames_on_marriage(rng, pop, birth, married_on, vocabulary)
    # A child of a married couple where the mother took the father's name: already the father's.
    nickname = book.nickname_of[forename]
    return Names(vocabulary, forename, birth, surname, changed_on, married_on, nickname)


def _marriages(rng: np.random.Generator, pop: Population) -> np.ndarray:
    """Married before the window, married during it, or cohabiting throughout."""
    n = len(pop.sex)
    married_on = np.full(n, NO_DATE)
    couple = np.flatnonzero(
        (pop.partner >= 0) & (pop.sex == "F") & (pop.sex[np.maximum(pop.partner, 0)] == "M")
    )
    before = rng.random(len(couple)) < params.MARRIED_SHARE_OF_COUPLES
    p_during = 1 - (1 - params.MARRIAGE_RATE_PER_YEAR) ** params.WINDOW_YEARS
    during = (~before) & (rng.random(len(couple)) < p_during)
    years_ago = np.clip(pop.age[couple] - 22, 0, 50) * rng.random(len(couple))
    dates = (
        params.WINDOW_START - (years_ago * 365.25).astype("timedelta64[D]") - np.timedelta64(1, "D")
    )
    in_window = params.WINDOW_START + rng.integers(0, params.WINDOW_DAYS, len(couple)).astype(
        "timedelta64[D]"
    )
    dates = np.where(during, in_window, dates)
    wed = couple[before | during]
    married_on[wed] = dates[before | during]
    married_on[pop.partner[wed]] = married_on[wed]
    return married_on


def _surnames_on_marriage(
    rng: np.random.Generator,
    pop: Population,
    birth: np.ndarray,
    married_on: np.ndarray,
    vocabulary: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    surname = birth.copy()
    changed_on = np.full(len(birth), NO_DATE)
    wives = np.flatnonzero((pop.sex == "F") & ~np.isnat(married_on) & (pop.role != ROLE_CHILD))
    choice = rng.choice(3, size=len(wives), p=list(params.SURNAME_ON_MARRIAGE.values()))
    husband = birth[pop.partner[wives]]
    take = wives[choice == 0]
    surname[take] = husband[choice == 0]
    hyphen = wives[choice == 1]
    surname[hyphen] = intern_pairs(vocabulary, birth[hyphen], husband[choice == 1], "-")
    changed = wives[choice < 2]
    changed_on[changed] = married_on[changed]
    # Children of a wife who took or joined the husband's name already carry his surname;
    # children of lone mothers carry the mother's current name.
    lone_child = (pop.father < 0) & (pop.mother >= 0)
    surname[lone_child] = surname[pop.mother[lone_child]]
    return surname, changed_on


def intern_pairs(
    vocabulary: list[str], left: np.ndarray, right: np.ndarray, sep: str
) -> np.ndarray:
    """Ids of "left<sep>right" strings, adding new ones to the vocabulary."""
    return intern(
        vocabulary,
        [f"{vocabulary[a]}{sep}{vocabulary[b]}" for a, b in zip(left, right, strict=True)],
    )


def intern(vocabulary: list[str], words: list[str]) -> np.ndarray:
    index = {w: i for i, w in enumerate(vocabulary)} if len(words) > 50 else None
    out = np.empty(len(words), dtype=np.int32)
    for i, word in enumerate(words):
        found = (
            index.get(word)
            if index is not None
            else (vocabulary.index(word) if word in vocabulary else None)
        )
        if found is None:
            found = len(vocabulary)
            vocabulary.append(word)
            if index is not None:
                index[word] = found
        out[i] = found
    return out
