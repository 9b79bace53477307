"""`check_rules` finds each kind of problem, names the file, the line and the rule, and finds
them all at once; `load_rules` refuses a file with any."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.triage.factories import SMALL_RULES, replaced, rule_file
from upstream.errors import InputError
from upstream.triage import check_rules, load_rules

pytestmark = pytest.mark.core

AREAS = {
    "citizen-safety": ["domestic-abuse", "drug-alcohol"],
    "employability": ["careers-16-29"],
    "housing-money-advice": ["benefits-help"],
}
NEEDS = set(AREAS) | {item for items in AREAS.values() for item in items}
RULE_LINE = {"child-harm": 27, "targeted": 37, "default": 46}  # the [[rule]] lines in SMALL_RULES


def problems(tmp_path: Path, text: str, **known: object) -> list[str]:
    path = rule_file(tmp_path, text)
    found = check_rules(path, **known)  # type: ignore[arg-type]
    assert all(line.startswith(f"{path}") for line in found), found
    return [line.removeprefix(str(path)) for line in found]


def test_the_small_file_has_no_problems_and_its_rule_lines_are_where_the_test_says(
    tmp_path: Path,
) -> None:
    assert problems(tmp_path, SMALL_RULES, known_needs=NEEDS, known_areas=AREAS) == []
    lines = SMALL_RULES.splitlines()
    assert all(lines[n - 1] == "[[rule]]" for n in RULE_LINE.values())
    assert [rule.line for rule in load_rules(rule_file(tmp_path)).rules] == list(RULE_LINE.values())


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("schema = 1\n", "", ": no `schema = 1`"),
        ("schema = 1\n", "schema = 1\ncolour = \"blue\"\n", ": unknown key 'colour'"),
        ('version = "0.1.0"\n', "", ":3: [rules]: no `version`"),
        ('title = "Small rules for tests"', "title = 3", ":3: [rules]: `title` must be words in quotes"),
        ('version = "0.1.0"', 'version = "0.1.0"\nauthor = "me"', ":3: [rules]: unknown key 'author'"),
        ('version = "0.1.0"', f'version = "{"9" * 32}"', ":3: [rules]: `version` must be at most 31 characters"),
        ('[teams."Children\'s front door"]', f'[teams."{"C" * 101}"]', f":8: team {'C' * 101}: a team's name must be at most 100 characters"),
        ('route = "statutory"\ndescription', 'route = "urgent"\ndescription', ":8: team Children's front door: route must be targeted or statutory"),
        ('route = "statutory"\ndescription', 'route = "universal"\ndescription', ":8: team Children's front door: route must be targeted or statutory (universal has no team)"),
        ('description = "Children\'s services."\n', "", ":8: team Children's front door: no `description`"),
        ('wards = ["Ashfield"]', 'wards = ["Ashfield"]\nleader = "Sam"', ":12: team Early help — North: unknown key 'leader'"),
        ('employability = ["careers-16-29"]', 'employability = ["careers-16-29", "drug-alcohol"]', ":22: [areas]: 'drug-alcohol' is under both citizen-safety and employability"),
        ('employability = ["careers-16-29"]', 'employability = "careers-16-29"', ":22: [areas]: employability: `employability` must be a list"),
        ('priority = 20', 'priority = 10', ":37: rule targeted: priority 10 is also rule child-harm's"),
        ('priority = 20', 'priority = "first"', ":37: rule targeted: `priority` must be a whole number"),
        ('priority = 20\n', '', ":37: rule targeted: no `priority`"),
        ('id = "targeted"', 'id = "child-harm"', ":37: rule child-harm: another rule has this id (line 27)"),
        ('id = "targeted"', 'id = "Targeted Help"', ":37: rule Targeted Help: an id is lower-case words joined by hyphens"),
        ('id = "targeted"\n', '', ":37: rule #2: no `id`"),
        ('route = "targeted"\nteam', 'route = "signposting"\nteam', ":37: rule targeted: unknown route 'signposting' (known: universal, targeted, statutory)"),
        ('team = ["Early help — North", "Early help — South"]', 'team = "Early help — East"', ":37: rule targeted: unknown team 'Early help — East' (not in [teams])"),
        ('team = ["Early help — North", "Early help — South"]', 'team = "Children\'s front door"', ":37: rule targeted: team \"Children's front door\" is statutory, not targeted"),
        ('team = ["Early help — North", "Early help — South"]\n', '', ":37: rule targeted: a targeted rule needs a `team`"),
        ('team = ["Early help — North", "Early help — South"]', 'team = []', ":37: rule targeted: `team` must be a team's name in quotes, or a list of them"),
        ('wards = ["Saltley"]', 'wards = ["Ashfield"]', ":37: rule targeted: ward 'Ashfield' is covered by 'Early help — North' and 'Early help — South'"),
        ('wards = ["Saltley"]\n', '', ":36: rule targeted: team 'Early help — South' covers no wards, so it is never chosen"),
        ('explain = "A targeted need."\n', '', ":37: rule targeted: no `explain`"),
        ('explain = "A targeted need."', 'explain = "A targeted need."\nnote = "x"', ":37: rule targeted: unknown key 'note'"),
        ('needs_any = ["citizen-safety"]', 'needs_any = ["citizen-safty"]', ":37: rule targeted: needs_any: unknown need 'citizen-safty' (not in [areas])"),
        ('needs_any = ["citizen-safety"]', 'needs_any = "citizen-safety"', ":37: rule targeted: `needs_any` must be a list of words in quotes"),
        ('needs_any = ["citizen-safety"]', 'need_any = ["citizen-safety"]', ":37: rule targeted: when: unknown key 'need_any'"),
        ('needs_any = ["citizen-safety"]', 'urgency = ["asap"]', ":37: rule targeted: urgency: unknown 'asap' (known: routine, soon, urgent)"),
        ('needs_any = ["citizen-safety"]', 'channel = ["fax"]', ":37: rule targeted: channel: unknown 'fax'"),
        ('needs_any = ["citizen-safety"]', 'asked_by = ["neighbour"]', ":37: rule targeted: asked_by: unknown 'neighbour'"),
        ('needs_any = ["citizen-safety"]', 'min_age = 40\nmax_age = 30', ":37: rule targeted: min_age 40 is above max_age 30: it can never match"),
        ('needs_any = ["citizen-safety"]', 'max_age = 200', ":37: rule targeted: `max_age` must be a whole number from 0 to 130"),
        ('needs_any = ["citizen-safety"]', 'min_areas = 4', ":37: rule targeted: `min_areas` must be a whole number from 1 to 3"),
        ('needs_any = ["citizen-safety"]', 'repeat = "yes"', ":37: rule targeted: `repeat` must be true or false"),
        ('needs_any = ["citizen-safety"]', 'phrases = [""]', ":37: rule targeted: `phrases` must be a list of words in quotes"),
        ('[rule.when]\nneeds_any = ["citizen-safety"]\n', '', ":37: rule targeted: no conditions, so it matches every request; add a `when`"),
        ('default = true\n', '', ": no default rule: one rule needs `default = true`"),
        ('explain = "Start with information."', 'explain = "Start with information."\n[rule.when]\nmin_age = 3', ":46: rule default: a default rule has no `when`"),
        ('priority = 100', 'priority = 5', ":27: rule child-harm: priority 10 comes after the default rule's (5), so it can never match"),
        ('route = "universal"\ndefault', 'route = "universal"\nteam = "Early help — North"\ndefault', ":46: rule default: a universal rule names no team"),
        ("[rules]", "[rules", ":3: not valid TOML"),
    ],
)  # fmt: skip
def test_check_finds_each_kind_of_problem_with_its_line(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    found = problems(tmp_path, replaced(old, new))
    assert any(line.startswith(problem) for line in found), found


def test_a_second_default_rule_is_a_problem(tmp_path: Path) -> None:
    second = SMALL_RULES + (
        '\n[[rule]]\nid = "fallback"\npriority = 200\nroute = "universal"\ndefault = true\n'
        'explain = "Another."\n'
    )
    found = problems(tmp_path, second)
    assert ":53: rule fallback: a second default rule (the first is default)" in found


def test_check_reports_every_problem_at_once_in_line_order(tmp_path: Path) -> None:
    text = replaced("priority = 20", "priority = 10", replaced('version = "0.1.0"\n', ""))
    text = replaced('needs_any = ["citizen-safety"]', 'needs_any = ["nowhere"]', text)
    found = problems(tmp_path, text)
    assert found == [
        ":3: [rules]: no `version`",
        ":36: rule targeted: needs_any: unknown need 'nowhere' (not in [areas])",
        ":36: rule targeted: priority 10 is also rule child-harm's",
    ]


def test_needs_the_directory_does_not_know_are_problems(tmp_path: Path) -> None:
    text = replaced(
        'employability = ["careers-16-29"]', 'employability = ["careers-16-29", "astrology"]'
    )
    text = replaced('needs_any = ["citizen-safety"]', 'needs_any = ["astrology"]', text)
    found = problems(tmp_path, text, known_needs=NEEDS)
    assert found == [
        ":22: [areas]: 'astrology' is not in the directory's taxonomy",
        ":37: rule targeted: need 'astrology' is not in the directory's taxonomy",
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('housing-money-advice = ["benefits-help"]\n', "", ":22: [areas]: the directory's area 'housing-money-advice' is missing"),
        ('"domestic-abuse", "drug-alcohol"', '"domestic-abuse"', ":22: [areas]: citizen-safety: the directory's item 'drug-alcohol' is missing"),
        ('employability = ["careers-16-29"]', 'employability = ["careers-16-29", "benefits-help"]', ":22: [areas]: 'benefits-help' is under both"),
    ],
)  # fmt: skip
def test_areas_must_be_the_directorys_item_for_item(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    found = problems(tmp_path, replaced(old, new), known_areas=AREAS)
    assert any(line.startswith(problem) for line in found), found


def test_an_item_under_another_area_than_the_directorys_is_a_problem(tmp_path: Path) -> None:
    moved = replaced('"domestic-abuse", "drug-alcohol"', '"domestic-abuse"')
    moved = replaced('["benefits-help"]', '["benefits-help", "drug-alcohol"]', moved)
    found = problems(tmp_path, moved, known_areas=AREAS)
    assert found == [
        ":22: [areas]: 'drug-alcohol' is under housing-money-advice here, citizen-safety in the directory"
    ]


def test_flags_identify_does_not_run_are_problems(tmp_path: Path) -> None:
    text = replaced('needs_any = ["citizen-safety"]', 'flags_any = ["toxic-trio", "tarot"]')
    found = problems(tmp_path, text, known_flags={"toxic-trio"})
    assert found == [
        ":37: rule targeted: flags_any: 'tarot' is not a rule set `upstream identify` runs"
    ]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda folder: folder / "missing.toml", "rule file not found"),
        (lambda folder: folder, "is a folder; give a rule file"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path: Path, make, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    assert check_rules(path) == [f"{path}: {problem}"]


def test_loading_refuses_a_file_with_problems_naming_the_first_and_counting_the_rest(
    tmp_path: Path,
) -> None:
    text = replaced("priority = 20", "priority = 10", replaced('version = "0.1.0"\n', ""))
    path = rule_file(tmp_path, text)
    with pytest.raises(InputError) as refused:
        load_rules(path)
    assert refused.value.one_line() == (
        f"{path}:3: [rules]: no `version` (and 1 more: run `upstream triage check`)"
    )
