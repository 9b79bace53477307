import pytest

from upstream.economics import packs
from upstream.economics.unitcosts import UnitCost, UnitCostLibrary, cost_of_events

pytestmark = pytest.mark.core


def test_gmca_pack_has_every_unit_cost_with_provenance():
    library = packs.gmca_unit_costs()
    assert len(library.costs) == 674
    for cost in library.costs.values():
        assert cost.source and cost.price_year and cost.licence and cost.paying_agency


def test_agency_spellings_are_normalised():
    agencies = {c.paying_agency for c in packs.gmca_unit_costs().costs.values()}
    assert "local_authority" in agencies and "Local authority" not in agencies


def _cost(code: str, value: float) -> UnitCost:
    return UnitCost(code, code, "Per incident", value, "2010/11", "police", "Home Office", "OGL")


def test_gang_violence_example_costs_one_point_five_two_five_million():
    # domain.md §5: 1 murder × £1.4m + 5 attempted murders × £25k = £1.525m
    library = UnitCostLibrary(
        {
            "murder": _cost("murder", 1_400_000),
            "attempted_murder": _cost("attempted_murder", 25_000),
        },
        "t",
    )
    assert cost_of_events({"murder": 1, "attempted_murder": 5}, library) == 1_525_000


def test_local_overrides_win_over_the_pack_and_are_marked():
    library = packs.gmca_unit_costs().with_overrides([_cost("SS1.2", 50_000)])
    assert library.get("SS1.2", "x").value == 50_000
    assert [c.code for c in library.overridden()] == ["SS1.2"]


def test_wsipp_ratios_with_negative_benefits_are_withheld():
    scared = next(
        r for r in packs.wsipp_results() if r["program_name"].startswith("Scared Straight")
    )
    assert scared["benefit_cost_ratio"] == ""
    assert "withheld" in scared["ratio_note"]
