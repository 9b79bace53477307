"""Pure pieces of casework: names that sound alike, financial years, addresses, the chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from upstream.casework.charts import cost_chart
from upstream.casework.search import soundex
from upstream.casework.story import YearCost, financial_year_of, tidy_address


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Ashcraft", "A261"),
        ("Tymczak", "T522"),
        ("Smith", "S530"),
        ("Smyth", "S530"),
        ("O'Brien", "O165"),
        ("", ""),
    ],
)
def test_soundex_gives_names_that_sound_alike_the_same_code(name: str, code: str) -> None:
    assert soundex(name) == code


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2024, 3, 31), "2023/24"), (date(2024, 4, 1), "2024/25"), (date(1999, 12, 1), "1999/00")],
)
def test_financial_year_starts_on_1_april(day: date, year: str) -> None:
    assert financial_year_of(day) == year


@pytest.mark.parametrize(
    ("address", "postcode", "line"),
    [
        ("4 Priory Road, , UP7 2NH", "UP7 2NH", "4 Priory Road"),
        ("Flat 2, 10 Mill Lane", "M1 1AA", "Flat 2, 10 Mill Lane"),
        ("", "M1 1AA", ""),
    ],
)
def test_addresses_show_without_empty_parts_or_the_postcode(
    address: str, postcode: str, line: str
) -> None:
    assert tidy_address(address, postcode) == line


def test_the_cost_chart_scales_bars_to_the_largest_year_and_describes_every_figure() -> None:
    chart = cost_chart(
        [YearCost("2023/24", Decimal("500")), YearCost("2024/25", Decimal("1000"))], "2024/25"
    )
    assert chart is not None
    assert chart.bars[1].height == 2 * chart.bars[0].height
    assert chart.bars[1].current and not chart.bars[0].current
    assert chart.description == "Cost of need by financial year: 2023/24 £500; 2024/25 £1,000"
    assert cost_chart([], "2024/25") is None
