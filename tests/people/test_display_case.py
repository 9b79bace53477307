"""Published names read in ordinary case, though linkage compares them in capitals."""

from __future__ import annotations

import pytest

from upstream.people.publish import display_case


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        ("ADAEZE", "Adaeze"),
        ("SMITH-JONES", "Smith-Jones"),
        ("O'BRIEN", "O'Brien"),
        ("MCDONALD", "McDonald"),
        ("VAN DER BERG", "Van Der Berg"),
        ("MC", "Mc"),
        ("J", "J"),
        ("McKenzie", "McKenzie"),
        ("", ""),
    ],
)
def test_capitals_are_shown_in_ordinary_case_and_mixed_case_is_kept(
    recorded: str, shown: str
) -> None:
    assert display_case(recorded) == shown
