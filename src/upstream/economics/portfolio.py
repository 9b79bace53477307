"""Portfolio choice: which interventions, at what scale, under budgets (scipy MILP / HiGHS).

Each option is one intervention at one scale. Binary x_i says whether it is chosen. We maximise
expected NPV (or expected fiscal savings) subject to:

- at most one scale per intervention, and at most one option per exclusivity group;
- budgets: Σ PV cost_i × x_i ≤ budget, in total and per paying agency;
- capacity: Σ places_i,r × x_i ≤ capacity_r for each named resource r;
- optionally a downside-risk floor on the lower tail, linearised as conditional value at risk
  (Rockafellar & Uryasev 2000): CVaR_α(NPV) = max_η η − 1/(αS) Σ_s max(0, η − NPV_s) ≥ floor,
  over S joint Monte Carlo scenarios (draw s of every option, assumed independent across options).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from upstream.economics.discounting import FloatArray
from upstream.errors import InputError

OBJECTIVES = ("npv", "fiscal", "cvar")


@dataclass(frozen=True, eq=False)
class Option:
    name: str
    intervention: str
    scale: float
    npv: float  # expected (mean over draws)
    fiscal: float  # expected PV of fiscal benefits
    cost_by_agency: Mapping[str, float]  # PV of costs
    npv_draws: FloatArray  # (S,) joint scenarios for the risk limit
    places: Mapping[str, float] = field(default_factory=dict)
    group: str = ""  # exclusivity group across interventions

    @property
    def cost(self) -> float:
        return float(sum(self.cost_by_agency.values()))


@dataclass(frozen=True)
class Constraints:
    total_budget: float | None = None
    agency_budgets: Mapping[str, float] = field(default_factory=dict)
    capacity: Mapping[str, float] = field(default_factory=dict)
    risk_floor: float | None = None  # minimum CVaR of portfolio NPV
    alpha: float = 0.10  # tail share for CVaR


@dataclass(frozen=True)
class Selection:
    chosen: tuple[Option, ...]
    expected_npv: float
    expected_fiscal: float
    cost: float
    cvar: float
    status: str


def _rows(options: list[Option], constraints: Constraints) -> tuple[list[FloatArray], list[float]]:
    """Constraint rows (over x) with upper bounds: budgets, capacity, one-of groups."""
    rows, upper = [], []
    if constraints.total_budget is not None:
        rows.append(np.array([o.cost for o in options]))
        upper.append(constraints.total_budget)
    for agency, budget in constraints.agency_budgets.items():
        rows.append(np.array([o.cost_by_agency.get(agency, 0.0) for o in options]))
        upper.append(budget)
    for resource, limit in constraints.capacity.items():
        rows.append(np.array([o.places.get(resource, 0.0) for o in options]))
        upper.append(limit)
    groups = {o.intervention for o in options} | {o.group for o in options if o.group}
    for group in sorted(groups):
        row = np.array([1.0 if group in (o.intervention, o.group) else 0.0 for o in options])
        if row.sum() > 1:
            rows.append(row)
            upper.append(1.0)
    return rows, upper


def portfolio_cvar(npv_by_scenario: FloatArray, alpha: float) -> float:
    """Mean of the worst α share of scenarios."""
    ordered = np.sort(npv_by_scenario)
    k = max(1, int(np.ceil(alpha * ordered.size)))
    return float(ordered[:k].mean())


def choose(options: list[Option], constraints: Constraints, objective: str = "npv") -> Selection:
    if objective not in OBJECTIVES:
        raise InputError(
            f"must be one of {OBJECTIVES}, got {objective!r}", where="portfolio.objective"
        )
    if not options:
        raise InputError("no options to choose from", where="portfolio.option")
    n = len(options)
    scenarios = np.stack([o.npv_draws for o in options], axis=1)  # (S, n)
    s = scenarios.shape[0]
    use_risk = constraints.risk_floor is not None or objective == "cvar"
    n_vars = n + (1 + s if use_risk else 0)
    c = np.zeros(n_vars)
    if objective == "cvar":
        c[n], c[n + 1 :] = -1.0, 1.0 / (constraints.alpha * s)
    else:
        c[:n] = -np.array([o.npv if objective == "npv" else o.fiscal for o in options])
    rows, upper = _rows(options, constraints)
    matrix = [np.concatenate([r, np.zeros(n_vars - n)]) for r in rows]
    lower = [-np.inf] * len(rows)
    if use_risk:
        # u_s − η + Σ_i NPV_s,i x_i ≥ 0  and  η − 1/(αS) Σ u_s ≥ floor
        for k in range(s):
            row = np.zeros(n_vars)
            row[:n], row[n], row[n + 1 + k] = scenarios[k], -1.0, 1.0
            matrix.append(row)
            lower.append(0.0)
            upper.append(np.inf)
        row = np.zeros(n_vars)
        row[n], row[n + 1 :] = 1.0, -1.0 / (constraints.alpha * s)
        matrix.append(row)
        lower.append(-np.inf if constraints.risk_floor is None else constraints.risk_floor)
        upper.append(np.inf)
    integrality = np.zeros(n_vars)
    integrality[:n] = 1
    lb = np.zeros(n_vars)
    ub = np.full(n_vars, np.inf)
    ub[:n] = 1
    if use_risk:
        lb[n] = -np.inf
    lc = LinearConstraint(np.array(matrix), np.array(lower), np.array(upper)) if matrix else None
    result = milp(c, constraints=lc, integrality=integrality, bounds=Bounds(lb, ub))
    if result.x is None:
        return Selection((), 0.0, 0.0, 0.0, 0.0, "infeasible")
    chosen = tuple(o for o, x in zip(options, result.x[:n], strict=True) if x > 0.5)
    return _selection(chosen, scenarios.shape[0], constraints.alpha, "optimal")


def _selection(chosen: tuple[Option, ...], s: int, alpha: float, status: str) -> Selection:
    total = np.zeros(s)
    for o in chosen:
        total = total + o.npv_draws
    return Selection(
        chosen,
        float(sum(o.npv for o in chosen)),
        float(sum(o.fiscal for o in chosen)),
        float(sum(o.cost for o in chosen)),
        portfolio_cvar(total, alpha) if chosen else 0.0,
        status,
    )


@dataclass(frozen=True)
class FrontierPoint:
    risk_floor: float
    selection: Selection


def frontier(
    options: list[Option], constraints: Constraints, points: int = 8
) -> list[FrontierPoint]:
    """Risk–return frontier: best expected NPV as the floor on CVaR rises to its maximum."""
    best = choose(options, Constraints(**{**constraints.__dict__, "risk_floor": None}))
    safest_floor = _max_cvar(options, constraints)
    out = []
    for floor in np.linspace(best.cvar, safest_floor, points):
        bounded = Constraints(
            **{**constraints.__dict__, "risk_floor": float(floor) - 1e-6 * abs(float(floor))}
        )
        selection = choose(options, bounded)
        if selection.status == "optimal":
            out.append(FrontierPoint(float(floor), selection))
    return out


def _max_cvar(options: list[Option], constraints: Constraints) -> float:
    """The highest CVaR any feasible portfolio reaches."""
    return choose(
        options, Constraints(**{**constraints.__dict__, "risk_floor": None}), objective="cvar"
    ).cvar
