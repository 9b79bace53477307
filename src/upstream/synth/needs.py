"""Latent needs and risk factors: the truth the extracts are generated from.

A heavy-tailed household adversity factor plus per-person noise (a Gaussian copula with a
Student-t common factor) makes needs cluster in households as they do in life: domestic
abuse, parental mental ill-health and substance misuse together (the "toxic trio"), and
worklessness with debt and housing insecurity. Childhood conduct problems feed exclusion,
offending and NEET. Prevalences and loadings are in params.NEEDS with their sources.
"""

from __future__ import annotations

import numpy as np

from upstream.synth import params
from upstream.synth.population import Population

DERIVED = ("school_exclusion", "neet")
NEED_NAMES = (*params.NEEDS, *DERIVED)


def household_adversity(rng: np.random.Generator, n_households: int) -> np.ndarray:
    """Student-t factor scaled to unit variance: a few households carry a lot."""
    df = params.ADVERSITY_TAIL_DF
    factor: np.ndarray = rng.standard_t(df, n_households) / np.sqrt(df / (df - 2))
    return factor


def _age_mid_window(pop: Population) -> np.ndarray:
    return pop.age.astype(np.float64) + params.WINDOW_YEARS / 2


def _threshold_flags(z: np.ndarray, eligible: np.ndarray, prevalence: float) -> np.ndarray:
    flags = np.zeros(len(z), dtype=bool)
    if eligible.any():
        cut = np.quantile(z[eligible], 1 - prevalence)
        flags = eligible & (z > cut)
    return flags


def latent_needs(
    rng: np.random.Generator, pop: Population, adversity: np.ndarray
) -> dict[str, np.ndarray]:
    """One boolean array per need (see NEED_NAMES), people in rows."""
    factor = adversity[pop.household]
    age = _age_mid_window(pop)
    scores: dict[str, np.ndarray] = {}
    needs: dict[str, np.ndarray] = {}
    for name, (lo, hi, prevalence, loading) in params.NEEDS.items():
        z = loading * factor + np.sqrt(1 - loading**2) * rng.standard_normal(len(factor))
        if name == "offending":
            z = z + params.CONDUCT_LOADING["offending"] * scores["conduct_problems"]
        scores[name] = z
        needs[name] = _threshold_flags(z, (age >= lo) & (age <= hi), prevalence)
    conduct = scores["conduct_problems"]
    for name, (lo, hi, prevalence) in {
        "school_exclusion": (5, 16, params.SCHOOL_EXCLUSION_PREVALENCE),
        "neet": (16, 24, params.NEET_PREVALENCE),
    }.items():
        z = 0.5 * factor + params.CONDUCT_LOADING[name] * conduct + rng.standard_normal(len(factor))
        needs[name] = _threshold_flags(z, (age >= lo) & (age <= hi), prevalence)
    return needs
