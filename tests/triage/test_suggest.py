"""Suggesting from a small hand-made rule file: order by priority, the default rule, needs and
areas, the locality's team, and facts outside their vocabulary refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage.factories import facts, replaced, rule_file
from upstream.errors import InputError
from upstream.triage import Facts, RuleSet, load_rules, suggest

pytestmark = pytest.mark.core


@pytest.fixture
def small(tmp_path: Path) -> RuleSet:
    return load_rules(rule_file(tmp_path))


def test_the_first_matching_rule_by_priority_wins(small: RuleSet) -> None:
    both = facts(age=10, what_matters="he hits me", needs=("domestic-abuse",))
    assert suggest(small, both).rule_id == "child-harm"


def test_priority_not_file_order_decides(tmp_path: Path) -> None:
    swapped = replaced('id = "child-harm"\npriority = 10', 'id = "child-harm"\npriority = 30')
    both = facts(age=10, what_matters="he hits me", needs=("domestic-abuse",))
    assert suggest(load_rules(rule_file(tmp_path, swapped)), both).rule_id == "targeted"


def test_the_default_rule_matches_when_nothing_else_does_and_says_so(small: RuleSet) -> None:
    suggestion = suggest(small, facts(needs=("careers-16-29",)))
    assert (suggestion.route, suggestion.team, suggestion.rule_id) == ("universal", "", "default")
    assert suggestion.why == "No other rule matched. Start with information."


def test_the_default_rule_is_tried_last_whatever_its_place_in_the_file(small: RuleSet) -> None:
    assert small.rules[-1].id == "default"
    assert [rule.priority for rule in small.rules] == [10, 20, 100]


def test_a_rule_naming_an_area_matches_any_of_its_items(small: RuleSet) -> None:
    suggestion = suggest(small, facts(needs=("drug-alcohol",), ward="Ashfield"))
    assert suggestion.rule_id == "targeted"
    assert suggestion.why.startswith("Needs include drug-alcohol (citizen-safety).")


def test_a_rule_naming_an_item_is_not_met_by_its_area_alone(tmp_path: Path) -> None:
    by_item = replaced('needs_any = ["citizen-safety"]', 'needs_any = ["domestic-abuse"]')
    rules = load_rules(rule_file(tmp_path, by_item))
    assert suggest(rules, facts(needs=("citizen-safety",))).rule_id == "default"
    assert suggest(rules, facts(needs=("domestic-abuse",))).rule_id == "targeted"


@pytest.mark.parametrize(
    ("ward", "team", "why"),
    [
        ("Ashfield", "Early help — North", "Team: Early help — North covers Ashfield."),
        ("saltley", "Early help — South", "Team: Early help — South covers saltley."),
        ("", "Early help — North", "the ward is not known, so Early help — North"),
        ("Elsewhere", "Early help — North", "no team lists the ward Elsewhere"),
    ],
)
def test_a_rule_naming_several_teams_picks_the_one_covering_the_ward(
    small: RuleSet, ward: str, team: str, why: str
) -> None:
    suggestion = suggest(small, facts(needs=("domestic-abuse",), ward=ward))
    assert suggestion.team == team
    assert why in suggestion.why


def test_the_suggestion_carries_the_files_version_and_a_hash_of_its_content(
    tmp_path: Path,
) -> None:
    first = suggest(load_rules(rule_file(tmp_path, name="a.toml")), facts())
    edited = replaced("Start with information.", "Start with information and listen.")
    second = suggest(load_rules(rule_file(tmp_path, edited, name="b.toml")), facts())
    assert first.rules_version.startswith("0.1.0+")
    assert second.rules_version.startswith("0.1.0+")
    assert first.rules_version != second.rules_version


@pytest.mark.parametrize(
    ("when", "matching", "not_matching", "why"),
    [
        ("needs_all = [\"domestic-abuse\", \"benefits-help\"]", {"needs": ("domestic-abuse", "benefits-help")}, {"needs": ("domestic-abuse",)}, "needs include all of domestic-abuse, benefits-help"),
        ("min_areas = 2", {"needs": ("domestic-abuse", "benefits-help")}, {"needs": ("domestic-abuse", "drug-alcohol")}, "needs span 2 areas (citizen-safety, housing-money-advice)"),
        ("min_age = 65", {"age": 65}, {"age": 64}, "the person is 65 (65 or over)"),
        ("min_age = 16\nmax_age = 17", {"age": 17}, {"age": 18}, "the person is 17 (16 to 17)"),
        ("urgency = [\"urgent\"]", {"urgency": "urgent"}, {"urgency": "soon"}, "urgency is urgent"),
        ("asked_by = [\"family_or_friend\"]", {"asked_by": "family_or_friend"}, {"asked_by": "person"}, "family or a friend asked"),
        ("channel = [\"proactive\"]", {"channel": "proactive"}, {"channel": "web"}, "we contacted them"),
        ("phrases = [\"Can't cope\"]", {"what_matters": "I just CAN’T   cope"}, {"what_matters": "coping"}, "mentions “can't cope”"),
        ("flags_any = [\"toxic-trio\"]", {"flags": ("toxic-trio",)}, {"flags": ("high-cost",)}, "they are flagged toxic-trio"),
        ("repeat = true", {"repeat": True}, {"repeat": False}, "they asked before in the last 12 months"),
        ("repeat = false", {"repeat": False}, {"repeat": True}, "this is their first request in 12 months"),
        ("already_involved = true", {"already_involved": True}, {}, "someone already works with them"),
        ("already_involved = false", {}, {"already_involved": True}, "no one works with them yet"),
    ],
)  # fmt: skip
def test_each_kind_of_condition_holds_on_its_facts_and_says_so(
    tmp_path: Path,
    when: str,
    matching: dict[str, object],
    not_matching: dict[str, object],
    why: str,
) -> None:
    rules = load_rules(rule_file(tmp_path, replaced('needs_any = ["citizen-safety"]', when)))
    found = suggest(rules, facts(**matching))  # type: ignore[arg-type]
    assert found.rule_id == "targeted"
    assert why.casefold() in found.why.casefold()
    assert suggest(rules, facts(**not_matching)).rule_id == "default"  # type: ignore[arg-type]


def test_reasons_read_as_one_sentence(tmp_path: Path) -> None:
    when = 'needs_any = ["citizen-safety"]\nurgency = ["urgent"]\nmin_age = 18'
    rules = load_rules(rule_file(tmp_path, replaced('needs_any = ["citizen-safety"]', when)))
    found = suggest(rules, facts(needs=("drug-alcohol",), urgency="urgent", age=30))
    assert found.why.startswith(
        "Needs include drug-alcohol (citizen-safety), the person is 30 (18 or over) and "
        "urgency is urgent. A targeted need."
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("urgency", "asap", "urgency: must be one of routine, soon, urgent (not 'asap')"),
        (
            "asked_by",
            "neighbour",
            "asked_by: must be one of person, family_or_friend, professional",
        ),
        ("channel", "fax", "channel: must be one of web, phone, face_to_face, partner, proactive"),
        ("age", -1, "age: must be a whole number from 0 to 130"),
        ("age", 131, "age: must be a whole number from 0 to 130"),
        ("age", True, "age: must be a whole number from 0 to 130"),
    ],
)
def test_facts_outside_their_vocabulary_are_refused_naming_the_field(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(InputError) as refused:
        facts(**{field: value})  # type: ignore[arg-type]
    assert refused.value.one_line().startswith(message)


def test_facts_take_exactly_the_fields_the_front_door_gives() -> None:
    known = Facts(
        needs=("careers-16-29",), urgency="soon", age=16, asked_by="person", channel="web"
    )
    assert (known.what_matters, known.flags, known.repeat, known.already_involved) == (
        "",
        (),
        False,
        False,
    )
