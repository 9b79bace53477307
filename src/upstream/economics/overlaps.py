"""Savings counted once across a portfolio: what two options would both claim for the same
people and the same avoided cost, per scenario.

For the people both options reach (the `share` of the smaller option's people at risk), a
person's outcome changes with chance 1 − (1 − a)(1 − b) when they get both, where a and b are
each option's share of its at-risk people changed; adding the two options counts a × b of them
twice. docs/economics.md ("Savings counted once") has the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.economics import labels
from upstream.economics.casefile import Case, OverlapSpec
from upstream.economics.cba import Outcome
from upstream.economics.discounting import FloatArray
from upstream.economics.portfolio import Overlap


@dataclass(frozen=True)
class OverlapFound:
    """Two portfolio cases that avoid the same costs, and how the portfolio counts them."""

    cases: tuple[str, str]  # option case files
    avoided: tuple[str, ...]  # outcome names (unit cost codes) both avoid
    share: float
    rule: str
    declared: bool  # stated by a [[portfolio.overlap]], or assumed


@dataclass(frozen=True, eq=False)
class Reach:
    """What one option does to one avoided cost over its intakes, per scenario."""

    outcome: Outcome
    people: FloatArray  # at risk
    changed: FloatArray
    value: FloatArray  # PV in the option's perspective
    fiscal: FloatArray  # PV fiscal


@dataclass(frozen=True)
class Reached:
    """One option's reach: which option (by index), its [[portfolio.option]] and case file."""

    index: int
    spec: int
    case: str
    reach: tuple[Reach, ...]


def _avoided(outcome: Outcome) -> str:
    """'Entry to care avoided, SS1.2': the outcome in words and its unit cost."""
    return f"{labels.words(outcome.name)}, {outcome.unit_cost_ref}"


def same_avoided_cost(a: Outcome, b: Outcome) -> bool:
    """The same cost avoided: the same unit cost, or outcomes of the same name."""
    return a.unit_cost_ref == b.unit_cost_ref or a.name == b.name


def _per(total: FloatArray, people: FloatArray) -> FloatArray:
    return np.divide(total, people, out=np.zeros_like(total), where=people > 0)


def double_counted(a: Reach, b: Reach, share: float, rule: str, fiscal: bool) -> FloatArray:
    """PV both options count for the people they share (per scenario).

    `independent`: on the people both reach, a person's outcome changes with chance
    1 − (1 − a)(1 − b), so a × b of them are counted twice; each is worth the smaller of the two
    options' values per person changed. `largest`: only the larger effect on them counts."""
    both = share * np.minimum(a.people, b.people)
    rate_a, rate_b = _per(a.changed, a.people), _per(b.changed, b.people)
    value_a = _per(a.fiscal if fiscal else a.value, a.changed)
    value_b = _per(b.fiscal if fiscal else b.value, b.changed)
    if rule == "largest":
        return np.asarray(both * np.minimum(rate_a * value_a, rate_b * value_b))
    return np.asarray(both * rate_a * rate_b * np.minimum(value_a, value_b))


def overlap_rules(case: Case) -> dict[tuple[int, int], OverlapSpec]:
    """The declared overlap for each pair of option specs (i < j)."""
    assert case.portfolio is not None
    rules = {}
    for spec in case.portfolio.overlaps:
        for i in spec.options:
            for j in spec.options:
                if i < j:
                    rules[(i, j)] = spec
    return rules


def find_overlaps(
    case: Case, runs: list[Reached]
) -> tuple[list[OverlapFound], tuple[Overlap, ...]]:
    """Pairs of options from different cases that avoid the same costs: what each pair would
    count twice, under the declared (or assumed: same people, independent) rule."""
    rules = overlap_rules(case)
    found: dict[tuple[int, int], OverlapFound] = {}
    overlaps = []
    for x, first in enumerate(runs):
        for y in range(x + 1, len(runs)):
            second = runs[y]
            if first.spec == second.spec:
                continue  # scales of one case: never chosen together
            key = (first.spec, second.spec)
            rule = rules.get(key)
            pairs = [
                (a, b) for a in first.reach for b in second.reach
                if same_avoided_cost(a.outcome, b.outcome)
                and (not rule or not rule.outcomes or {a.outcome.name, a.outcome.unit_cost_ref} & set(rule.outcomes))
            ]  # fmt: skip
            if not pairs:
                continue
            share = rule.share if rule else 1.0
            combine = rule.combine if rule else "independent"
            found.setdefault(key, OverlapFound(
                (first.case, second.case),
                tuple(_avoided(a.outcome) for a, _ in pairs),
                share, combine, rule is not None,
            ))  # fmt: skip
            if share == 0:
                continue
            npv = sum((double_counted(a, b, share, combine, False) for a, b in pairs), np.zeros(1))
            fiscal = sum(
                (double_counted(a, b, share, combine, True) for a, b in pairs), np.zeros(1)
            )
            overlaps.append(Overlap(
                first.index, second.index, ", ".join(sorted({a.outcome.name for a, _ in pairs})),
                float(np.mean(npv)), float(np.mean(fiscal)), np.asarray(npv), combine,
            ))  # fmt: skip
    return list(found.values()), tuple(overlaps)
