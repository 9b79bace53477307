"""The what-works library is checked against its sources: WSIPP rows are linked by their exact
names, and every entry whose evidence is uncertain says where it is weaker than it looks."""

import dataclasses
from pathlib import Path

import pytest

from upstream.economics import packs
from upstream.economics.appraise import appraise
from upstream.economics.casefile import read_case
from upstream.economics.whatworks import library_from_pack, wsipp_from_rows

pytestmark = pytest.mark.core

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
LIBRARY = library_from_pack(packs.what_works_pack())
WSIPP = {r.program: r for r in wsipp_from_rows(packs.wsipp_results())}


@pytest.mark.parametrize("entry", LIBRARY.values(), ids=list(LIBRARY))
def test_every_linked_wsipp_row_exists_by_its_exact_name(entry):
    assert all(name in WSIPP for name in entry.wsipp_programs), entry.wsipp_programs


@pytest.mark.parametrize("entry", [e for e in LIBRARY.values() if e.uncertain], ids=lambda e: e.id)
def test_every_uncertain_entry_says_what_checking_it_found(entry):
    assert entry.evidence_check


@pytest.mark.parametrize(
    ("entry", "program", "ratio", "chance"),
    [
        ("incredible_years_preschool", "Incredible Years: Parent training", 1.79, 0.55),
        (
            "mdt_frequent_attenders",
            "Interventions to reduce unnecessary emergency department visits: "
            "Intensive case management for frequent ED users",
            0.36,
            0.44,
        ),
    ],
)
def test_the_evidence_check_quotes_the_linked_wsipp_row(entry, program, ratio, chance):
    row = WSIPP[program]
    assert (row.benefit_cost_ratio, row.chance_benefits_exceed_costs) == (ratio, chance)
    assert program in LIBRARY[entry].wsipp_programs
    assert f"{ratio:.2f}" in LIBRARY[entry].evidence_check
    assert f"{chance:.0%}" in LIBRARY[entry].evidence_check


def test_a_case_using_a_library_entry_carries_its_evidence_check_into_the_caveats():
    case = read_case(EXAMPLES / "frequent-attenders-mdt.toml")
    case.settings = dataclasses.replace(case.settings, draws=100)
    assert any("benefit-cost ratio 0.36" in note for note in appraise(case).caveats)
