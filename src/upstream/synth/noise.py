"""Record noise: typos, transposed dates, nicknames, swapped and changed names.

Rates are in params.NOISE (with sources) and docs/synth.md. Typos are made on the few names
chosen (a few per cent), so a Python loop over those strings is cheap.
"""

from __future__ import annotations

import numpy as np

from upstream.synth.identity import intern

_KEYBOARD_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


def typo(word: str, r: float, s: float) -> str:
    """One keyboard slip: substitute a neighbour, drop, double or swap two letters."""
    if len(word) < 3:
        return word
    i = 1 + int(r * (len(word) - 2))
    kind = int(s * 4)
    c = word[i].lower()
    if kind == 0 and c in _KEYBOARD_NEIGHBOURS:
        n = _KEYBOARD_NEIGHBOURS[c]
        return word[:i] + n[int(s * 97) % len(n)] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def with_typos(
    rng: np.random.Generator, vocabulary: list[str], ids: np.ndarray, rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Copy of ids with a typo in about `rate` of them; also returns the changed mask."""
    chosen = np.flatnonzero(rng.random(len(ids)) < rate)
    r, s = rng.random(len(chosen)), rng.random(len(chosen))
    words = [typo(vocabulary[i], a, b) for i, a, b in zip(ids[chosen].tolist(), r, s, strict=True)]
    out = ids.copy()
    out[chosen] = intern(vocabulary, words)
    changed = np.zeros(len(ids), dtype=bool)
    changed[chosen] = out[chosen] != ids[chosen]
    return out, changed


def one_part_of_hyphenated(
    rng: np.random.Generator, vocabulary: list[str], ids: np.ndarray, rate: float
) -> np.ndarray:
    """Hyphenated surnames recorded as one half only, in `rate` of the hyphenated ones."""
    hyphenated = np.array(
        ["-" in vocabulary[i] and not vocabulary[i].startswith("Al-") for i in ids.tolist()],
        dtype=bool,
    )
    chosen = np.flatnonzero(hyphenated & (rng.random(len(ids)) < rate))
    pick = rng.integers(0, 2, len(chosen))
    words = [
        vocabulary[i].split("-")[k]
        for i, k in zip(ids[chosen].tolist(), pick.tolist(), strict=True)
    ]
    out = ids.copy()
    out[chosen] = intern(vocabulary, words)
    return out


def transpose_day_month(
    rng: np.random.Generator, dob: np.ndarray, rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Swap day and month where that still makes a date (day <= 12 and day != month)."""
    years = dob.astype("datetime64[Y]")
    months = (dob.astype("datetime64[M]") - years).astype(np.int64) + 1
    day = (dob - dob.astype("datetime64[M]")).astype(np.int64) + 1
    ok = (day <= 12) & (day != months) & ~np.isnat(dob)
    chosen = ok & (rng.random(len(dob)) < rate / 0.37)  # ~37% of dates can be transposed
    swapped = years[chosen] + (day[chosen] - 1).astype("timedelta64[M]")
    out = dob.copy()
    out[chosen] = swapped.astype("datetime64[D]") + (months[chosen] - 1).astype("timedelta64[D]")
    return out, chosen


def shift_year(rng: np.random.Generator, dob: np.ndarray, rate: float) -> np.ndarray:
    """A mistyped year: one year out (keeps the day and month)."""
    chosen = rng.random(len(dob)) < rate
    out = dob.copy()
    out[chosen] = dob[chosen] + np.where(rng.random(chosen.sum()) < 0.5, -365, 365).astype(
        "timedelta64[D]"
    )
    return out
