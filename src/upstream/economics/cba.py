"""The cost-benefit engine (pure numpy, vectorised over Monte Carlo draws).

The method of the domain brief, §5: for a cohort, the number whose outcome changes is

    people at risk × (1 − attrition) × success rate        (by age group, then summed)

(the people at risk are the cohort, or the outcome's own baseline count or rate), which is
monetised by the unit cost (× quantity, or over a stated duration in weeks or months), reduced
for deadweight, displacement and attribution, split by the agency that stops paying, spread over
the horizon with persistence and drop-off, repeated for each annual intake, and discounted.

Every scalar input can be replaced by an array of draws: `evaluate(model, values)` takes a
mapping from parameter path (see `central_values`) to a value or an array of shape (draws,).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from upstream.economics.discounting import FloatArray, present_value
from upstream.errors import InputError

Values = Mapping[str, float | FloatArray]

# Chinn (2000), "A simple method for converting an odds ratio to effect size for use in
# meta-analysis", Statistics in Medicine 19:3127-31: ln(odds ratio) = d × π/√3.
CHINN_LOGIT_CONSTANT = math.pi / math.sqrt(3)
ROUNDING_CONVENTIONS = ("none", "floor", "nearest")
PERSPECTIVES = ("fiscal", "economic", "social")
# A unit cost per week or per month over a stated duration is spread over the years it falls
# in at 52 weeks or 12 months a year (the 52-week year of council budget tables), so 150 weeks
# from year 1 is 52, 52 and 46 weeks in years 1, 2 and 3.
PERIODS = ("week", "month", "year")
PERIODS_PER_YEAR = {"week": 52.0, "month": 12.0, "year": 1.0}
# Products of typed decimals (25 × 0.58) land a few units in the last place either side of the
# exact value; a whole or half person within this relative tolerance is taken as exact.
ROUNDING_TOLERANCE = 1e-9


@dataclass(frozen=True)
class AgencyShare:
    """The share of an outcome's cost that falls on one agency, and how much of it is cashable."""

    agency: str
    share: float
    cashable: float = 0.0


@dataclass(frozen=True)
class Outcome:
    name: str
    unit_cost: float  # £ per unit, already in the appraisal price year
    agencies: tuple[AgencyShare, ...]
    quantity: float = 1.0  # units avoided per person changed per year (e.g. 52 weeks)
    success: Mapping[str, float] = field(default_factory=dict)  # by age group, among completers
    effect_size: float | None = None  # standardised mean difference, used with base_rate
    base_rate: float | None = None  # share of each group at risk (with success or effect_size)
    persistence_years: int = 1
    drop_off: float = 0.0  # share of the effect lost each year after the first
    start_lag: int = 1  # years from intake to the first year of benefit
    economic_value: float = 0.0  # £ per unit of wider economic value (not fiscal)
    social_value: float = 0.0  # £ per unit of social (wellbeing) value
    unit_cost_ref: str = ""
    # One success rate for every age group: one uncertain quantity, drawn once per simulation
    # (path `outcomes.NAME.success`), rather than one per group.
    success_all: float | None = None
    # People at risk per intake, by age group (or `baseline_total` across the whole cohort);
    # without either (and without base_rate) the whole cohort is at risk.
    baseline: Mapping[str, float] = field(default_factory=dict)
    baseline_total: float | None = None
    # A unit cost per `period` avoided for `duration` periods (spread over the years they fall
    # in) instead of `quantity` a year for `persistence_years`.
    period: str = "year"
    duration: float | None = None

    @property
    def uses_effect_size(self) -> bool:
        return self.effect_size is not None and self.base_rate is not None


@dataclass(frozen=True)
class CostLine:
    name: str
    agency: str
    per_participant: tuple[float, ...] = ()  # £ per starter, by year since their intake
    fixed: tuple[float, ...] = ()  # £ by programme year
    unit_cost: float = 0.0  # £ per starter per `period`, for `duration` periods from intake
    period: str = "year"
    duration: float = 0.0

    def per_starter(self, horizon: int) -> FloatArray:
        """£ per starter by year since their intake: the yearly list plus any periodic cost."""
        spread = periods_by_year(np.array([self.duration]), self.period, 0, horizon)[0]
        return np.asarray(_pad(self.per_participant, horizon) + self.unit_cost * spread)


@dataclass(frozen=True)
class Adjustments:
    """Additionality (HCA Additionality Guide, 4th edition 2014; SROI guide 2012 for attribution)."""

    deadweight: float = 0.0  # share that would have happened anyway
    displacement: float = 0.0  # share of the benefit that moves elsewhere
    attribution: float = 0.0  # share of the change owed to others


@dataclass(frozen=True)
class InterventionModel:
    name: str
    cohort: Mapping[str, float]  # age group -> baseline count per intake
    attrition: float
    outcomes: tuple[Outcome, ...]
    costs: tuple[CostLine, ...]
    discount_factors: tuple[float, ...]  # one per year of the horizon; year 0 is 1
    intakes: tuple[float, ...] = (1.0,)  # multiple of the cohort starting in each year
    adjustments: Adjustments = Adjustments()
    optimism_bias: float = 0.0
    rounding: str = "none"
    # A portfolio option runs the intervention for `scale` times the cohort (and the people at
    # risk of each outcome); fixed costs do not scale.
    scale: float = 1.0

    @property
    def horizon(self) -> int:
        return len(self.discount_factors)

    def agencies(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for line in self.costs:
            seen[line.agency] = None
        for outcome in self.outcomes:
            for share in outcome.agencies:
                seen[share.agency] = None
        return tuple(seen)


def central_values(model: InterventionModel) -> dict[str, float]:
    """Every parameter that can vary, by path, at its central value."""
    values = {
        "attrition": model.attrition,
        "deadweight": model.adjustments.deadweight,
        "displacement": model.adjustments.displacement,
        "attribution": model.adjustments.attribution,
        "optimism_bias": model.optimism_bias,
        "cost_multiplier": 1.0,
    }
    for o in model.outcomes:
        values.update(outcome_values(o))
    return values


def outcome_values(o: Outcome) -> dict[str, float]:
    key = f"outcomes.{o.name}"
    values = {
        f"{key}.unit_cost": o.unit_cost,
        f"{key}.quantity": o.quantity,
        f"{key}.drop_off": o.drop_off,
    }
    values.update({f"{key}.success.{group}": rate for group, rate in o.success.items()})
    values.update({f"{key}.baseline.{group}": n for group, n in o.baseline.items()})
    optional = {
        "success": o.success_all,
        "baseline": o.baseline_total,
        "base_rate": o.base_rate,
        "effect_size": o.effect_size,
        "duration": o.duration,
    }
    values.update({f"{key}.{k}": v for k, v in optional.items() if v is not None})
    return values


def success_from_effect_size(effect_size: FloatArray, base_rate: FloatArray) -> FloatArray:
    """Absolute fall in the share with an (unwanted) outcome, from d and the local base rate."""
    odds = base_rate / (1.0 - base_rate)
    treated_odds = odds * np.exp(-effect_size * CHINN_LOGIT_CONSTANT)
    return np.asarray(base_rate - treated_odds / (1.0 + treated_odds), dtype=np.float64)


def apply_rounding(people: FloatArray, rounding: str) -> FloatArray:
    """'none' keeps expected values; 'floor' counts whole people only (conservative); 'nearest'
    rounds half up. Both are exact for the decimals people type: 25 × 0.58 is 14.5 and rounds
    to 15, although in binary floating point it is 14.499999999999998."""
    if rounding == "none":
        return people
    tolerance = ROUNDING_TOLERANCE * np.maximum(1.0, np.abs(people))
    if rounding == "floor":
        return np.asarray(np.floor(people + tolerance), dtype=np.float64)
    if rounding == "nearest":
        return np.asarray(np.floor(people + 0.5 + tolerance), dtype=np.float64)
    raise InputError(f"must be one of {ROUNDING_CONVENTIONS}, got {rounding!r}", where="rounding")


class _Params:
    """Looks a path up in the supplied values, falling back to the model's central value."""

    def __init__(self, model: InterventionModel, values: Values | None) -> None:
        self.central = central_values(model)
        self.values = dict(values or {})
        unknown = set(self.values) - set(self.central)
        if unknown:
            raise InputError(f"unknown parameter(s) {sorted(unknown)}", where="uncertainty")
        sizes = {np.size(v) for v in self.values.values()} - {1}
        if len(sizes) > 1:
            raise InputError("all draws must have the same length", where="uncertainty")
        self.draws = sizes.pop() if sizes else 1

    def __call__(self, path: str) -> FloatArray:
        value = self.values.get(path, self.central[path])
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (self.draws,))


def at_risk_and_success(
    model: InterventionModel, outcome: Outcome, p: _Params
) -> list[tuple[FloatArray, FloatArray]]:
    """(people at risk per intake, success rate among them) for each age group, or once for a
    baseline counted across the whole cohort."""
    key, scale = f"outcomes.{outcome.name}", model.scale
    if outcome.uses_effect_size:
        shared = success_from_effect_size(p(f"{key}.effect_size"), p(f"{key}.base_rate"))
        return [(count * scale * np.ones(p.draws), shared) for count in model.cohort.values()]
    if outcome.baseline_total is not None:
        return [(p(f"{key}.baseline") * scale, p(f"{key}.success"))]
    pairs = []
    for group, count in model.cohort.items():
        if outcome.baseline:
            at_risk = p(f"{key}.baseline.{group}") * scale
        elif outcome.base_rate is not None:
            at_risk = count * scale * p(f"{key}.base_rate")
        else:
            at_risk = count * scale * np.ones(p.draws)
        if outcome.success_all is not None:
            success = p(f"{key}.success")
        elif group in outcome.success:
            success = p(f"{key}.success.{group}")
        else:
            success = np.zeros(p.draws)
        pairs.append((at_risk, success))
    return pairs


def number_changed(
    model: InterventionModel, outcome: Outcome, p: _Params
) -> tuple[FloatArray, FloatArray]:
    """People per intake at risk, and whose outcome changes: Σ_group round(at risk × (1 −
    attrition) × success)."""
    completion = 1.0 - p("attrition")
    at_risk, changed = np.zeros(p.draws), np.zeros(p.draws)
    for people, success in at_risk_and_success(model, outcome, p):
        at_risk = at_risk + people
        changed = changed + apply_rounding(people * completion * success, model.rounding)
    return at_risk, changed


def periods_by_year(duration: FloatArray, period: str, start_lag: int, horizon: int) -> FloatArray:
    """Periods (weeks, months, years) falling in each year since intake (draws × years): full
    years of 52 weeks or 12 months from `start_lag`, then the remainder."""
    per_year = PERIODS_PER_YEAR[period]
    since_start = np.arange(horizon) - start_lag
    elapsed = np.maximum(since_start, 0) * per_year
    spread = np.clip(duration[:, None] - elapsed[None, :], 0.0, per_year)
    return np.asarray(np.where(since_start[None, :] >= 0, spread, 0.0), dtype=np.float64)


def persistence_profile(outcome: Outcome, drop_off: FloatArray, horizon: int) -> FloatArray:
    """Share of the first-year benefit still present in each year after one intake (draws × years)."""
    since_start = np.arange(horizon) - outcome.start_lag
    active = np.flatnonzero((since_start >= 0) & (since_start < outcome.persistence_years))
    # Active years are consecutive, so (1 - drop_off) ** k builds by one multiply a year:
    # much cheaper than a float power over every draw and year.
    # Built year by year as rows (contiguous), then viewed as draws × years.
    kept = np.zeros((horizon, drop_off.shape[0]))
    retained, level = 1.0 - drop_off, np.ones_like(drop_off)
    for year in active:
        kept[year] = level
        level = level * retained
    return kept.T


def units_profile(outcome: Outcome, p: _Params, horizon: int) -> FloatArray:
    """Units avoided per person changed in each year after their intake (draws × years)."""
    key = f"outcomes.{outcome.name}"
    if outcome.duration is None:
        kept = persistence_profile(outcome, p(f"{key}.drop_off"), horizon)
        return np.asarray(kept * p(f"{key}.quantity")[:, None], dtype=np.float64)
    spread = periods_by_year(p(f"{key}.duration"), outcome.period, outcome.start_lag, horizon)
    years_in = np.maximum(np.arange(horizon) - outcome.start_lag, 0)
    retained = (1.0 - p(f"{key}.drop_off"))[:, None] ** years_in[None, :]
    return np.asarray(spread * retained, dtype=np.float64)


def intake_matrix(intakes: tuple[float, ...], horizon: int) -> FloatArray:
    """T[s, t] = intake size starting s years before year t, so flows_per_intake @ T sums intakes."""
    matrix = np.zeros((horizon, horizon))
    for start, size in enumerate(intakes[:horizon]):
        matrix[np.arange(horizon - start), np.arange(start, horizon)] = size
    return matrix


def _pad(values: tuple[float, ...], horizon: int) -> FloatArray:
    out = np.zeros(horizon)
    out[: min(len(values), horizon)] = values[:horizon]
    return out


@dataclass(frozen=True, eq=False)
class Flows:
    """Cash flows by draw, agency and year (£, appraisal price year, undiscounted)."""

    agencies: tuple[str, ...]
    costs: FloatArray  # (draws, agencies, years)
    fiscal: FloatArray  # (draws, agencies, years): costs avoided
    cashable: FloatArray  # (draws, agencies, years): the cashable part of `fiscal`
    economic: FloatArray  # (draws, years): wider economic value, beyond fiscal
    social: FloatArray  # (draws, years): social value, beyond economic
    by_outcome: Mapping[str, FloatArray]  # outcome -> (draws, years) fiscal benefit
    changed: Mapping[str, FloatArray]  # outcome -> (draws,) people changed per intake
    factors: FloatArray  # (years,)
    at_risk: Mapping[str, FloatArray] = field(
        default_factory=dict
    )  # outcome -> (draws,) per intake
    # outcome -> (draws, years) economic and social value, for outcomes that have any
    wider_by_outcome: Mapping[str, FloatArray] = field(default_factory=dict)

    def outcome_value(self, name: str, perspective: str) -> FloatArray:
        """(draws, years) value of one outcome in a perspective (fiscal, or with wider values)."""
        value = self.by_outcome[name]
        if perspective != "fiscal" and name in self.wider_by_outcome:
            return np.asarray(value + self.wider_by_outcome[name][int(perspective == "social")])
        return value


def _costs(
    model: InterventionModel, p: _Params, intakes: FloatArray, agencies: tuple[str, ...]
) -> FloatArray:
    horizon = model.horizon
    starters = float(sum(model.cohort.values())) * model.scale
    costs = np.zeros((p.draws, len(agencies), horizon))
    scale = (1.0 + p("optimism_bias")) * p("cost_multiplier")
    for line in model.costs:
        per_year = starters * (line.per_starter(horizon) @ intakes) + _pad(line.fixed, horizon)
        costs[:, agencies.index(line.agency), :] += scale[:, None] * per_year[None, :]
    return costs


def evaluate(model: InterventionModel, values: Values | None = None) -> Flows:
    p = _Params(model, values)
    horizon, agencies = model.horizon, model.agencies()
    intakes = intake_matrix(model.intakes, horizon)
    additionality = (1 - p("deadweight")) * (1 - p("displacement")) * (1 - p("attribution"))
    fiscal = np.zeros((p.draws, len(agencies), horizon))
    cashable = np.zeros_like(fiscal)
    economic, social = np.zeros((p.draws, horizon)), np.zeros((p.draws, horizon))
    by_outcome, changed, at_risk, wider = {}, {}, {}, {}
    for o in model.outcomes:
        at_risk[o.name], changed[o.name] = number_changed(model, o, p)
        units = (changed[o.name] * additionality)[:, None]
        units_by_year = (units * units_profile(o, p, horizon)) @ intakes
        value = units_by_year * p(f"outcomes.{o.name}.unit_cost")[:, None]
        by_outcome[o.name] = value
        # Skipping zero terms matters at 10,000 draws: each term is a full (draws × years) pass.
        for share in o.agencies:
            agency_value = value * share.share
            fiscal[:, agencies.index(share.agency), :] += agency_value
            if share.cashable:
                cashable[:, agencies.index(share.agency), :] += agency_value * share.cashable
        if o.economic_value or o.social_value:
            # [economic, economic + social]: what the outcome adds beyond fiscal in each view
            extra = (
                units_by_year[None]
                * np.array([o.economic_value, o.economic_value + o.social_value])[:, None, None]
            )
            wider[o.name] = extra
            economic += extra[0]
            social += extra[1] - extra[0]
    costs = _costs(model, p, intakes, agencies)
    factors = np.asarray(model.discount_factors, dtype=np.float64)
    return Flows(
        agencies, costs, fiscal, cashable, economic, social, by_outcome, changed, factors,
        at_risk, wider,
    )  # fmt: skip


# --- summaries -------------------------------------------------------------------------------

# A benefit-cost ratio over a present value of costs below this share of benefits (or £1,000)
# swings wildly with small changes; we show it with a warning rather than as a headline.
TINY_DENOMINATOR_SHARE = 0.02
TINY_DENOMINATOR_FLOOR = 1_000.0


@dataclass(frozen=True, eq=False)
class Summary:
    npv: Mapping[str, FloatArray]  # perspective -> (draws,)
    pv_costs: FloatArray
    pv_benefits: Mapping[str, FloatArray]  # perspective -> gross PV of benefits
    pv_cashable: FloatArray
    fiscal_roi: FloatArray  # PV fiscal benefits / PV costs (nan when costs ≤ 0)
    bcr: FloatArray  # headline perspective; nan when PV costs ≤ 0
    bcr_unstable: FloatArray  # bool as float: denominator tiny
    payback_year: (
        FloatArray  # first year from which discounted cumulative net stays ≥ 0; nan if never
    )
    cumulative_net: FloatArray  # (draws, years), discounted, headline perspective
    perspective: str
    # The undiscounted view boards read beside the discounted one (real terms, headline perspective)
    net_undiscounted: FloatArray  # (draws,)
    payback_year_undiscounted: FloatArray  # (draws,) as payback_year, on undiscounted flows


def benefits_by_perspective(flows: Flows) -> dict[str, FloatArray]:
    """Gross benefits (draws, years): fiscal ⊂ economic ⊂ social (each adds to the last)."""
    fiscal = flows.fiscal.sum(axis=1)
    economic = fiscal + flows.economic
    return {"fiscal": fiscal, "economic": economic, "social": economic + flows.social}


def payback_year(cumulative_net: FloatArray) -> FloatArray:
    """First year from which cumulative net never falls below zero again (nan if it ends below)."""
    negative = cumulative_net < 0
    horizon = cumulative_net.shape[-1]
    last_negative = np.where(
        negative.any(axis=-1), horizon - 1 - np.argmax(negative[..., ::-1], axis=-1), -1
    )
    years = (last_negative + 1).astype(np.float64)
    return np.where(years >= horizon, np.nan, years)


def safe_ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan
        )


def summarise(flows: Flows, perspective: str = "social") -> Summary:
    if perspective not in PERSPECTIVES:
        raise InputError(f"must be one of {PERSPECTIVES}, got {perspective!r}", where="perspective")
    costs = flows.costs.sum(axis=1)
    gross = benefits_by_perspective(flows)
    pv_costs = present_value(costs, flows.factors)
    pv_benefits = {name: present_value(b, flows.factors) for name, b in gross.items()}
    npv = {name: pv - pv_costs for name, pv in pv_benefits.items()}
    net_by_year = gross[perspective] - costs
    cumulative = np.cumsum(net_by_year * flows.factors, axis=-1)
    headline = pv_benefits[perspective]
    unstable = (pv_costs > 0) & (
        pv_costs < np.maximum(TINY_DENOMINATOR_SHARE * np.abs(headline), TINY_DENOMINATOR_FLOOR)
    )
    return Summary(
        npv=npv,
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        pv_cashable=present_value(flows.cashable.sum(axis=1), flows.factors),
        fiscal_roi=safe_ratio(pv_benefits["fiscal"], pv_costs),
        bcr=safe_ratio(headline, pv_costs),
        bcr_unstable=unstable.astype(np.float64),
        payback_year=payback_year(cumulative),
        cumulative_net=cumulative,
        perspective=perspective,
        net_undiscounted=net_by_year.sum(axis=-1),
        payback_year_undiscounted=payback_year(np.cumsum(net_by_year, axis=-1)),
    )


@dataclass(frozen=True)
class AgencyPosition:
    agency: str
    pv_costs: float
    pv_fiscal: float
    pv_cashable: float

    @property
    def net(self) -> float:
        return self.pv_fiscal - self.pv_costs


def agency_positions(flows: Flows, draw: int = 0) -> list[AgencyPosition]:
    """Fiscal perspective per agency: what each pays, saves, and can cash (present values)."""
    pv = {
        k: present_value(getattr(flows, k)[draw], flows.factors)
        for k in ("costs", "fiscal", "cashable")
    }
    return [
        AgencyPosition(a, float(pv["costs"][i]), float(pv["fiscal"][i]), float(pv["cashable"][i]))
        for i, a in enumerate(flows.agencies)
    ]


def who_benefits_matrix(positions: list[AgencyPosition]) -> FloatArray:
    """M[payer, beneficiary]: fiscal benefit to each beneficiary, shared among payers by cost share.

    Row sums are what each payer's money buys; column sums are each agency's PV of benefits.
    """
    costs = np.array([p.pv_costs for p in positions])
    benefits = np.array([p.pv_fiscal for p in positions])
    total = costs.sum()
    if total <= 0:
        return np.zeros((len(positions), len(positions)))
    return np.asarray(np.outer(costs / total, benefits), dtype=np.float64)
