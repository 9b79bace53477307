import numpy as np
import pytest

from upstream.economics import packs
from upstream.economics.discounting import discount_factors, parse_price_year, present_value
from upstream.errors import InputError

pytestmark = pytest.mark.core


@pytest.mark.parametrize(("year", "factor"), [(0, 1.0), (1, 0.9662), (10, 0.7089), (30, 0.3563)])
def test_standard_discount_factors_match_the_green_book_table(year, factor):
    factors = discount_factors(packs.discount_schedules()["standard"], 40)
    assert factors[year] == pytest.approx(factor, abs=5e-5)


def test_discount_factor_after_year_30_is_cumulative_across_bands():
    factors = discount_factors(packs.discount_schedules()["standard"], 40)
    assert factors[31] == pytest.approx(factors[30] / 1.03)
    assert factors[31] == pytest.approx(0.3459, abs=5e-5)
    assert factors[31] != pytest.approx(1 / 1.03**31, abs=1e-3)


def test_health_schedule_discounts_at_one_and_a_half_percent():
    factors = discount_factors(packs.discount_schedules()["health"], 5)
    assert factors[4] == pytest.approx(1 / 1.015**4)


def test_lower_schedule_discounts_less_than_standard():
    s = packs.discount_schedules()
    assert np.all(discount_factors(s["lower"], 50)[1:] > discount_factors(s["standard"], 50)[1:])


def test_present_value_of_flat_flow_is_sum_of_factors():
    factors = discount_factors(packs.discount_schedules()["standard"], 3)
    assert present_value(np.ones(3), factors) == pytest.approx(1 + 1 / 1.035 + 1 / 1.035**2)


def test_financial_year_uses_nine_months_of_first_calendar_year():
    d = packs.gdp_deflator()
    level = d.level(parse_price_year("2013/14"))
    assert level == pytest.approx(0.75 * d.index[2013] + 0.25 * d.index[2014])


def test_uprating_to_the_base_year_divides_by_the_index():
    d = packs.gdp_deflator()
    assert d.uprate(100.0, "2010", "2024") == pytest.approx(100 * 100 / d.index[2010])


def test_start_year_convention_uses_the_calendar_year_the_financial_year_starts_in():
    d = packs.gdp_deflator()
    assert d.level(parse_price_year("2013/14"), "start_year") == d.index[2013]


def test_price_year_beyond_the_deflator_names_the_years_available():
    with pytest.raises(InputError, match="1990-2024"):
        packs.gdp_deflator().uprate(1.0, "2024/25", "2024")


def test_optimism_bias_pack_has_lower_bounds_missing_from_the_reference_csv():
    table = packs.optimism_bias_table()
    assert table["standard_buildings"].capex_lower == 0.02
    assert table["equipment_development"].uplift("lower") == 0.10
    assert table["outsourcing"].uplift("upper") == 0.41
