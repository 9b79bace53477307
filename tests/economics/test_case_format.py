"""The case-file fields of issue 19: a baseline per outcome, costs over a stated duration,
optional costs, financial-year labels, and the same parser for text and files."""

from pathlib import Path

import numpy as np
import pytest

from upstream.economics import packs
from upstream.economics.appraise import appraise
from upstream.economics.casefile import parse_case, read_case
from upstream.economics.cba import evaluate, summarise
from upstream.errors import InputError

pytestmark = pytest.mark.core

CASE = """
[case]
kind = "intervention"
title = "t"
perspective = "fiscal"
horizon_years = 5
discount = "lower"
draws = 100
{case}

[intervention]
name = "Pilot"
cohort = {cohort}
attrition = 0.5
{intervention}
"""
LOCAL_COST = 'unit_cost = 1000.0\nunit_cost_source = "test"\nstart_lag = 0'


def case_text(
    *, outcomes: str, costs: str = "", cohort: str = "{ all = 200 }", case: str = ""
) -> str:
    return CASE.format(case=case, cohort=cohort, intervention=outcomes + costs)


def parsed(**parts: str):
    return parse_case(case_text(**parts))


def outcome(body: str, name: str = "o") -> str:
    return f'\n[[intervention.outcome]]\nname = "{name}"\n{body}\n'


def cost(body: str) -> str:
    return f'\n[[intervention.cost]]\nname = "c"\nagency = "local_authority"\n{body}\n'


# --- a baseline per outcome ------------------------------------------------------------------


def test_each_outcome_counts_its_own_people_at_risk_while_costs_follow_the_cohort():
    case = parsed(
        outcomes=outcome(f"{LOCAL_COST}\nbaseline = 12\nsuccess = 0.25", "exclusion")
        + outcome(f"{LOCAL_COST}\nbase_rate = 0.3\nsuccess = 0.1", "hospital"),
        costs=cost("per_participant = [10]"),
    )
    flows = evaluate(case.intervention)
    assert flows.at_risk["exclusion"][0] == 12
    assert flows.changed["exclusion"][0] == pytest.approx(12 * 0.5 * 0.25)
    assert flows.at_risk["hospital"][0] == pytest.approx(60)
    assert flows.changed["hospital"][0] == pytest.approx(60 * 0.5 * 0.1)
    assert flows.costs[0].sum() == pytest.approx(200 * 10)  # every starter, not the at-risk


def test_a_baseline_by_age_group_counts_each_group():
    case = parsed(
        cohort='{ "3-5" = 60, "6-8" = 40 }',
        outcomes=outcome(
            f'{LOCAL_COST}\nbaseline = {{ "3-5" = 6, "6-8" = 10 }}\n'
            'success = { "3-5" = 0.5, "6-8" = 0.2 }'
        ),
    )
    assert evaluate(case.intervention).changed["o"][0] == pytest.approx(
        6 * 0.5 * 0.5 + 10 * 0.5 * 0.2
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ("baseline = 250\nsuccess = 0.1", "baseline", "between 0 and 200"),
        ("baseline = 5\nbase_rate = 0.1\nsuccess = 0.1", "baseline", "not both"),
        ("baseline = 5\neffect_size = 0.5\nbase_rate = 0.2", "baseline", "give base_rate"),
        (
            'baseline = { "all" = 5, "x" = 1 }\nsuccess = 0.1',
            "baseline.x",
            "not a recognised field",
        ),
    ],
)
def test_a_bad_baseline_names_the_field(body, field, message):
    with pytest.raises(InputError, match=message) as error:
        parsed(outcomes=outcome(f"{LOCAL_COST}\n{body}"))
    assert error.value.where == f"case.toml: intervention.outcome[0].{field}"


def test_one_baseline_count_for_the_whole_cohort_needs_one_success_rate():
    with pytest.raises(InputError, match="one success rate") as error:
        parsed(
            cohort='{ "3-5" = 60, "6-8" = 40 }',
            outcomes=outcome(f'{LOCAL_COST}\nbaseline = 12\nsuccess = {{ "3-5" = 0.5 }}'),
        )
    assert error.value.where.endswith("outcome[0].success")


# --- costs over a stated duration ------------------------------------------------------------


def test_weeks_avoided_are_spread_over_the_years_they_fall_in():
    body = (
        'unit_cost = 1000.0\nunit_cost_source = "test"\nunit_cost_per = "week"\n'
        "duration = 150\nstart_lag = 1\nsuccess = 0.1\nbaseline = 20"
    )
    flows = evaluate(parsed(outcomes=outcome(body)).intervention)
    changed = 20 * 0.5 * 0.1  # one person
    assert flows.by_outcome["o"][0] == pytest.approx(changed * 1000 * np.array([0, 52, 52, 46, 0]))


def test_months_and_part_years_are_spread_too():
    months = 'unit_cost = 100.0\nunit_cost_source = "t"\nunit_cost_per = "month"\nduration = 30\nstart_lag = 0\nsuccess = 1.0'
    years = 'unit_cost = 100.0\nunit_cost_source = "t"\nunit_cost_per = "year"\nduration = 2.5\nstart_lag = 0\nsuccess = 1.0'

    def per_person(body: str) -> np.ndarray:
        model = parsed(outcomes=outcome(body), cohort="{ all = 2 }").intervention
        return evaluate(model).by_outcome["o"][0]

    assert per_person(months) == pytest.approx(100 * np.array([12, 12, 6, 0, 0]))
    assert per_person(years) == pytest.approx(100 * np.array([1, 1, 0.5, 0, 0]))


def test_a_weekly_pack_cost_needs_no_period_and_a_yearly_one_refuses_weeks():
    weekly = next(c for c in packs.gmca_unit_costs().costs.values() if c.unit == "Per week")
    case = parsed(outcomes=outcome(f'unit_cost = "{weekly.code}"\nduration = 10\nsuccess = 0.5'))
    assert case.intervention.outcomes[0].period == "week"
    with pytest.raises(InputError, match=r"SS1\.2 is a cost per year, not per week"):
        parsed(
            outcomes=outcome(
                'unit_cost = "SS1.2"\nunit_cost_per = "week"\nduration = 10\nsuccess = 0.5'
            )
        )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('unit_cost_per = "week"', "unit_cost_per"),
        ("duration = 10", "unit_cost_per"),
        ('unit_cost_per = "week"\nduration = 10\npersistence_years = 2', "persistence_years"),
        ('unit_cost_per = "week"\nduration = 10\nquantity = 2', "quantity"),
        ('unit_cost_per = "fortnight"\nduration = 10', "unit_cost_per"),
    ],
)
def test_a_duration_that_does_not_add_up_names_the_field(body, field):
    with pytest.raises(InputError) as error:
        parsed(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5\n{body}"))
    assert error.value.where == f"case.toml: intervention.outcome[0].{field}"


def test_a_weekly_programme_cost_is_paid_per_starter_over_the_weeks_it_runs():
    case = parsed(
        outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5"),
        costs=cost(
            'unit_cost = 300.0\nunit_cost_per = "week"\nduration = 60\nper_participant = [5]'
        ),
    )
    assert evaluate(case.intervention).costs[0, 0] == pytest.approx(
        200 * np.array([300 * 52 + 5, 300 * 8, 0, 0, 0])
    )


def test_a_periodic_cost_needs_all_three_fields():
    with pytest.raises(InputError, match="go together") as error:
        parsed(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5"), costs=cost("unit_cost = 300.0"))
    assert error.value.where == "case.toml: intervention.cost[0].unit_cost_per"


# --- optional costs, year labels, one parser --------------------------------------------------


def test_a_case_without_cost_lines_has_zero_costs_and_says_so():
    appraisal = appraise(parsed(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5")))
    assert appraisal.intervention.summary.pv_costs[0] == 0
    assert any("no costs" in c for c in appraisal.caveats)


def test_the_undiscounted_view_sits_beside_the_discounted_one():
    case = parsed(outcomes=outcome("unit_cost = 1000.0\nunit_cost_source = \"t\"\nstart_lag = 3\nsuccess = 0.5"),
                  costs=cost("per_participant = [100]"))  # fmt: skip
    s = summarise(evaluate(case.intervention), "fiscal")
    assert s.net_undiscounted[0] == pytest.approx(200 * 0.5 * 0.5 * 1000 - 200 * 100)
    assert s.npv["fiscal"][0] < s.net_undiscounted[0]


def test_year_zero_defaults_to_2025_26_and_can_be_a_calendar_year():
    assert parsed(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5")).settings.year_zero == "2025/26"
    with pytest.raises(InputError) as error:
        parsed(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5"), case='year_zero = "2025/27"')
    assert error.value.where == "case.toml: case.year_zero"


def test_text_and_file_give_the_same_case_and_the_same_messages(tmp_path):
    text = case_text(outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5"))
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    assert parse_case(text).intervention == read_case(path).intervention
    bad = text.replace("attrition = 0.5", "attrition = 1.5")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as from_text:
        parse_case(bad)
    with pytest.raises(InputError) as from_file:
        read_case(path)
    assert str(from_text.value) == str(from_file.value)


def test_text_without_a_folder_refuses_files_it_would_have_to_read():
    text = case_text(
        outcomes=outcome(f"{LOCAL_COST}\nsuccess = 0.5"), case='overrides_file = "x.csv"'
    )
    with pytest.raises(InputError) as error:
        parse_case(text)
    assert error.value.where == "case.toml: case.overrides_file"


def test_every_toml_example_in_the_economics_docs_parses(tmp_path):
    docs = (Path(__file__).parents[2] / "docs" / "economics.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in docs.split("```toml\n")[1:]]
    assert len(blocks) >= 4
    for block in blocks:
        if "[case]" in block and 'kind = "portfolio"' not in block:
            assert parse_case(block, name="docs.toml").settings.title
