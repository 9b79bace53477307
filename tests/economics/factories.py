"""Factories for economics tests: keyword-only defaults, small hand-checkable models."""

from __future__ import annotations

from upstream.economics.cba import Adjustments, AgencyShare, CostLine, InterventionModel, Outcome


def create_outcome(
    *,
    name: str = "care",
    unit_cost: float = 1000.0,
    success: float = 0.5,
    agencies: tuple[AgencyShare, ...] = (AgencyShare("council", 1.0, 0.5),),
    persistence_years: int = 1,
    drop_off: float = 0.0,
    start_lag: int = 0,
    quantity: float = 1.0,
) -> Outcome:
    return Outcome(
        name=name, unit_cost=unit_cost, agencies=agencies, quantity=quantity, success={"all": success},
        persistence_years=persistence_years, drop_off=drop_off, start_lag=start_lag,
    )  # fmt: skip


def create_model(
    *,
    count: float = 100.0,
    attrition: float = 0.2,
    outcomes: tuple[Outcome, ...] | None = None,
    per_participant: float = 100.0,
    horizon: int = 3,
    factors: tuple[float, ...] | None = None,
    intakes: tuple[float, ...] = (1.0,),
    adjustments: Adjustments | None = None,
    optimism_bias: float = 0.0,
    rounding: str = "none",
) -> InterventionModel:
    return InterventionModel(
        name="test programme",
        cohort={"all": count},
        attrition=attrition,
        outcomes=outcomes if outcomes is not None else (create_outcome(),),
        costs=(CostLine("delivery", "council", per_participant=(per_participant,)),),
        discount_factors=factors or (1.0,) * horizon,
        intakes=intakes,
        adjustments=adjustments or Adjustments(),
        optimism_bias=optimism_bias,
        rounding=rounding,
    )
