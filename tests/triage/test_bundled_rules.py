"""The bundled rules (triage-v1.toml): each rule fires on the request it is for, says why in
plain words, and gives way to the rules before it."""

from __future__ import annotations

import pytest

from tests.triage.factories import facts
from upstream.directory.taxonomy import AREAS
from upstream.identify.rules import load_rulesets
from upstream.triage import Facts, bundled_files, check_rules, current_file, load_rules, suggest

pytestmark = pytest.mark.core

NORTH, SOUTH = "Early help — North", "Early help — South"
CHILDREN, ADULTS, HOUSING = (
    "Children's front door",
    "Adult social care front door",
    "Housing options",
)

# (the request, the rule that should fire, its team, words the why must contain)
EACH_RULE: list[tuple[Facts, str, str, str]] = [
    (
        facts(age=12, what_matters="My dad hits me when he drinks"),
        "child-may-be-at-risk-of-harm",
        CHILDREN,
        "the person is 12 (17 or under) and what matters to them mentions “hits me”",
    ),
    (
        facts(age=15, needs=("domestic-abuse",)),
        "child-and-domestic-abuse",
        CHILDREN,
        "needs include domestic-abuse",
    ),
    (
        facts(age=16, what_matters="Mum kicked me out, I'm sofa surfing"),
        "young-person-16-17-homeless",
        CHILDREN,
        "mentions “sofa surfing”, “kicked me out”",
    ),
    (
        facts(age=17, needs=("housing-options",), urgency="soon"),
        "young-person-16-17-housing",
        CHILDREN,
        "urgency is soon",
    ),
    (
        facts(age=14, what_matters="I look after my mum most days"),
        "young-carer",
        CHILDREN,
        "“i look after my”",
    ),
    (
        facts(age=9, needs=("support-6-16", "benefits-help", "early-years"), urgency="urgent"),
        "child-with-urgent-needs-in-several-areas",
        CHILDREN,
        "needs span 3 areas",
    ),
    (
        facts(age=81, needs=("older-people",), what_matters="My nephew keeps taking my money"),
        "adult-with-care-needs-at-risk-of-abuse",
        ADULTS,
        "“taking my money”",
    ),
    (
        facts(age=67, needs=("independent-at-home",)),
        "adult-may-need-care-and-support",
        ADULTS,
        "needs include independent-at-home and the person is 67 (18 or over)",
    ),
    (
        facts(age=74, what_matters="I can’t manage the stairs any more"),
        "adult-says-they-cannot-manage",
        ADULTS,
        "“can't manage”",
    ),
    (
        facts(age=52, what_matters="I care for my husband since his stroke"),
        "adult-carer",
        ADULTS,
        "“i care for”",
    ),
    (
        facts(age=30, what_matters="The landlord served a Section 21 notice"),
        "may-be-homeless",
        HOUSING,
        "“section 21”",
    ),
    (
        facts(channel="partner", asked_by="professional", needs=("housing-homelessness-advice",)),
        "partner-duty-to-refer",
        HOUSING,
        "a partner organisation referred them",
    ),
    (
        facts(age=40, needs=("social-housing",)),
        "housing-options",
        HOUSING,
        "needs include social-housing",
    ),
    (
        facts(age=40, needs=("housing-homelessness-advice",), urgency="urgent"),
        "housing-advice-needed-soon",
        HOUSING,
        "urgency is urgent",
    ),
    (
        facts(age=35, needs=("benefits-help",), flags=("supporting-families",), ward="Saltley"),
        "flagged-for-early-help",
        SOUTH,
        "they are flagged supporting-families",
    ),
    (
        facts(age=22, needs=("careers-16-29", "benefits-help", "mental-health-advice")),
        "needs-in-three-or-more-areas",
        NORTH,
        "needs span 3 areas (employability, health-wellbeing, housing-money-advice)",
    ),
    (
        facts(age=44, needs=("benefits-help",), repeat=True),
        "repeat-request-no-one-involved",
        NORTH,
        "they asked before in the last 12 months and no one works with them yet",
    ),
    (
        facts(age=29, needs=("sustaining-tenancy",)),
        "housing-support",
        "Housing support",
        "needs include sustaining-tenancy",
    ),
    (
        facts(age=38, needs=("drug-alcohol",), ward="Ashfield"),
        "targeted-need",
        NORTH,
        "needs include drug-alcohol (citizen-safety)",
    ),
    (
        facts(age=19, needs=("careers-16-29",)),
        "universal-needs",
        "",
        "needs include careers-16-29 (employability)",
    ),
    (facts(), "default", "", "No other rule matched."),
]


@pytest.mark.parametrize(
    ("request_facts", "rule_id", "team", "words"), EACH_RULE, ids=[case[1] for case in EACH_RULE]
)
def test_each_bundled_rule_fires_on_the_request_it_is_for_and_says_why(
    request_facts: Facts, rule_id: str, team: str, words: str
) -> None:
    rules = load_rules()
    suggestion = suggest(rules, request_facts)
    assert (suggestion.rule_id, suggestion.team) == (rule_id, team)
    assert suggestion.route == rules.rule(rule_id).route
    assert words.casefold() in suggestion.why.casefold()
    assert rules.rule(rule_id).explain in suggestion.why


def test_every_bundled_rule_has_a_case_above() -> None:
    assert {case[1] for case in EACH_RULE} == {rule.id for rule in load_rules().rules}


def test_the_bundled_file_passes_its_check_against_the_directory_and_identify() -> None:
    areas = {area.slug: [item.slug for item in area.items] for area in AREAS}
    needs = set(areas) | {item for items in areas.values() for item in items}
    flags = {ruleset.id for ruleset in load_rulesets()}
    path = current_file()
    assert check_rules(path, needs, known_areas=areas, known_flags=flags) == []


def test_the_current_file_is_the_highest_version_and_its_version_names_its_content() -> None:
    assert current_file() == bundled_files()[-1]
    assert current_file().name == "triage-v1.toml"
    rules = load_rules()
    assert rules.rules_version == f"1.0.0+{rules.sha256[:8]}"
    assert len(rules.rules_version) <= 40  # Request.rules_version's width


def test_the_bundled_rules_name_the_teams_the_front_door_needs() -> None:
    teams = load_rules().teams
    assert {name: teams[name].route for name in (NORTH, SOUTH, CHILDREN, ADULTS, HOUSING)} == {
        NORTH: "targeted",
        SOUTH: "targeted",
        CHILDREN: "statutory",
        ADULTS: "statutory",
        HOUSING: "statutory",
    }
    assert all(team.route != "universal" for team in teams.values())


def test_statutory_rules_come_before_targeted_before_universal() -> None:
    routes = [rule.route for rule in load_rules().rules]
    order = {"statutory": 0, "targeted": 1, "universal": 2}
    assert routes == sorted(routes, key=order.__getitem__)


def test_a_child_at_risk_goes_to_the_childrens_front_door_before_early_help_for_their_flag() -> (
    None
):
    child = facts(age=8, what_matters="he hits me", flags=("toxic-trio",), needs=("drug-alcohol",))
    assert suggest(load_rules(), child).rule_id == "child-may-be-at-risk-of-harm"


def test_a_16_year_old_who_may_be_homeless_goes_to_childrens_services_not_housing() -> None:
    words = "I'm homeless since last week"
    assert suggest(load_rules(), facts(age=16, what_matters=words)).team == CHILDREN
    assert suggest(load_rules(), facts(age=18, what_matters=words)).team == HOUSING


@pytest.mark.parametrize(
    "words", ["I want careers advice", "The white van outside", "my carer is lovely"]
)
def test_phrases_are_whole_words_so_careers_and_white_match_nothing(words: str) -> None:
    suggestion = suggest(load_rules(), facts(age=15, what_matters=words))
    assert suggestion.rule_id == "default"


def test_an_unknown_age_never_meets_an_age_condition() -> None:
    unknown = facts(needs=("domestic-abuse",))
    assert suggest(load_rules(), unknown).rule_id == "targeted-need"
