"""Portfolio choice: which interventions, at what scale, under budgets (scipy MILP / HiGHS).

Each option is one case (an intervention case file) at one scale. Binary x_i says whether it
is chosen. We maximise expected NPV (or expected fiscal savings), less the savings two chosen
options would count twice (`Overlap`), subject to:

- at most one scale per case, and at most one option per exclusivity group;
- budgets: Σ PV cost_i × x_i ≤ budget, in total and per paying agency;
- capacity: Σ places_i,r × x_i ≤ capacity_r for each named resource r;
- optionally a downside-risk floor on the lower tail, linearised as conditional value at risk
  (Rockafellar & Uryasev 2000): CVaR_α(NPV) = max_η η − 1/(αS) Σ_s max(0, η − NPV_s) ≥ floor,
  over S joint Monte Carlo scenarios (draw s of every option, assumed independent across options).

Overlaps make the objective quadratic (x_i x_j); each is linearised with a continuous
y_k ≥ x_i + x_j − 1, y_k ≥ 0, which the objective pushes down to x_i x_j exactly.
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
    case: str  # the case file this option scales: its key (two cases may share a name)
    scale: float
    npv: float  # expected (mean over draws)
    fiscal: float  # expected PV of fiscal benefits
    cost_by_agency: Mapping[str, float]  # PV of costs
    npv_draws: FloatArray  # (S,) joint scenarios for the risk limit
    places: Mapping[str, float] = field(default_factory=dict)
    group: str = ""  # exclusivity group across cases

    @property
    def cost(self) -> float:
        return float(sum(self.cost_by_agency.values()))


@dataclass(frozen=True, eq=False)
class Overlap:
    """Savings two options would both count if both were chosen: taken off once."""

    first: int  # index into the options
    second: int
    avoided: str  # what both avoid (unit cost code or outcome), for the report
    npv: float  # expected double-counted value in the objective's perspective (PV £)
    fiscal: float  # expected double-counted fiscal benefit (PV £)
    npv_draws: FloatArray  # (S,)
    rule: str = "independent"


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
    counted_once: tuple[Overlap, ...] = ()  # overlaps between chosen options, taken off


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
    cases = [[o.case == c for o in options] for c in sorted({o.case for o in options})]
    groups = [[o.group == g for o in options] for g in sorted({o.group for o in options} - {""})]
    for members in cases + groups:
        row = np.array(members, dtype=np.float64)
        if row.sum() > 1:
            rows.append(row)
            upper.append(1.0)
    return rows, upper


def portfolio_cvar(npv_by_scenario: FloatArray, alpha: float) -> float:
    """Mean of the worst α share of scenarios."""
    ordered = np.sort(npv_by_scenario)
    k = max(1, int(np.ceil(alpha * ordered.size)))
    return float(ordered[:k].mean())


def choose(
    options: list[Option],
    constraints: Constraints,
    objective: str = "npv",
    overlaps: tuple[Overlap, ...] = (),
) -> Selection:
    if objective not in OBJECTIVES:
        raise InputError(
            f"must be one of {OBJECTIVES}, got {objective!r}", where="portfolio.objective"
        )
    if not options:
        raise InputError("no options to choose from", where="portfolio.option")
    n, m = len(options), len(overlaps)
    scenarios = np.stack([o.npv_draws for o in options], axis=1)  # (S, n)
    s = scenarios.shape[0]
    use_risk = constraints.risk_floor is not None or objective == "cvar"
    risk = n + m  # index of η; the u_s follow it
    n_vars = n + m + (1 + s if use_risk else 0)
    c = np.zeros(n_vars)
    if objective == "cvar":
        c[risk], c[risk + 1 :] = -1.0, 1.0 / (constraints.alpha * s)
    else:
        c[:n] = -np.array([o.npv if objective == "npv" else o.fiscal for o in options])
        c[n : n + m] = [v.npv if objective == "npv" else v.fiscal for v in overlaps]
    rows, upper = _rows(options, constraints)
    matrix = [np.concatenate([r, np.zeros(n_vars - n)]) for r in rows]
    lower = [-np.inf] * len(rows)
    for k, v in enumerate(overlaps):  # x_i + x_j − y_k ≤ 1
        row = np.zeros(n_vars)
        row[v.first], row[v.second], row[n + k] = 1.0, 1.0, -1.0
        matrix.append(row)
        lower.append(-np.inf)
        upper.append(1.0)
    if use_risk:
        # u_s − η + Σ_i NPV_s,i x_i − Σ_k overlap_s,k y_k ≥ 0  and  η − 1/(αS) Σ u_s ≥ floor
        for k in range(s):
            row = np.zeros(n_vars)
            row[:n], row[risk], row[risk + 1 + k] = scenarios[k], -1.0, 1.0
            row[n : n + m] = [-v.npv_draws[k] for v in overlaps]
            matrix.append(row)
            lower.append(0.0)
            upper.append(np.inf)
        row = np.zeros(n_vars)
        row[risk], row[risk + 1 :] = 1.0, -1.0 / (constraints.alpha * s)
        matrix.append(row)
        lower.append(-np.inf if constraints.risk_floor is None else constraints.risk_floor)
        upper.append(np.inf)
    integrality = np.zeros(n_vars)
    integrality[:n] = 1
    lb = np.zeros(n_vars)
    ub = np.full(n_vars, np.inf)
    ub[: n + m] = 1
    if use_risk:
        lb[risk] = -np.inf
    lc = LinearConstraint(np.array(matrix), np.array(lower), np.array(upper)) if matrix else None
    result = milp(c, constraints=lc, integrality=integrality, bounds=Bounds(lb, ub))
    if result.x is None:
        return Selection((), 0.0, 0.0, 0.0, 0.0, "infeasible")
    picked = {i for i, x in enumerate(result.x[:n]) if x > 0.5}
    return selection_of(options, picked, overlaps, constraints.alpha, "optimal")


def selection_of(
    options: list[Option],
    picked: set[int],
    overlaps: tuple[Overlap, ...],
    alpha: float,
    status: str,
) -> Selection:
    """The portfolio of the picked options, with what the overlaps between them take off."""
    chosen = tuple(options[i] for i in sorted(picked))
    applied = tuple(v for v in overlaps if v.first in picked and v.second in picked)
    total = np.zeros(options[0].npv_draws.shape[0])
    for o in chosen:
        total = total + o.npv_draws
    for v in applied:
        total = total - v.npv_draws
    return Selection(
        chosen,
        float(sum(o.npv for o in chosen) - sum(v.npv for v in applied)),
        float(sum(o.fiscal for o in chosen) - sum(v.fiscal for v in applied)),
        float(sum(o.cost for o in chosen)),
        portfolio_cvar(total, alpha) if chosen else 0.0,
        status,
        applied,
    )


@dataclass(frozen=True)
class FrontierPoint:
    risk_floor: float
    selection: Selection


def frontier(
    options: list[Option],
    constraints: Constraints,
    points: int = 8,
    overlaps: tuple[Overlap, ...] = (),
) -> list[FrontierPoint]:
    """Risk–return frontier: best expected NPV as the floor on CVaR rises to its maximum."""
    unbounded = Constraints(**{**constraints.__dict__, "risk_floor": None})
    best = choose(options, unbounded, overlaps=overlaps)
    safest_floor = choose(options, unbounded, objective="cvar", overlaps=overlaps).cvar
    out = []
    for floor in np.linspace(best.cvar, safest_floor, points):
        bounded = Constraints(
            **{**constraints.__dict__, "risk_floor": float(floor) - 1e-6 * abs(float(floor))}
        )
        selection = choose(options, bounded, overlaps=overlaps)
        if selection.status == "optimal":
            out.append(FrontierPoint(float(floor), selection))
    return out
