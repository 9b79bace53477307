"""The rule engine on hand-made linked events: what qualifies, when, until when, and why."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from upstream.errors import InputError
from upstream.identify import engine
from upstream.identify.inputs import LinkedCity, from_frames
from upstream.identify.rules import load_rulesets, parse_ruleset

pytestmark = pytest.mark.core
AS_OF = date(2025, 3, 31)


def person(pid: str, born: str, household: str | None = "H1") -> dict[str, object]:
    return {
        "person_id": pid,
        "date_of_birth": pd.Timestamp(born),
        "sex": "F",
        "ethnicity": "white_british",
        "disability_known": False,
        "ward": "Ashfield",
        "date_of_death": pd.NaT,
        "household_id": household,
    }


def event(
    n: int, pid: str, source: str, kind: str, when: str, cost: float = 100.0
) -> dict[str, object]:
    return {
        "event_id": f"{source}:{n}",
        "person_id": pid,
        "household_id": "H1",
        "source": source,
        "event_type": kind,
        "event_date": pd.Timestamp(when),
        "unit_cost_code": "X",
        "cost": cost,
        "ward": "Ashfield",
    }


def city(people: list[dict[str, object]], events: list[dict[str, object]]) -> LinkedCity:
    frame = pd.DataFrame(people)
    members = frame[frame.household_id.notna()][["person_id", "household_id"]].assign(
        start_date=pd.Timestamp("2019-04-01"), end_date=pd.NaT, ward="Ashfield"
    )
    linked = from_frames(pd.DataFrame(events), members, frame.drop(columns="household_id"), "test")
    linked.con.execute("ALTER TABLE events ALTER event_date TYPE DATE")
    for table in ("memberships", "people"):
        for column in (
            ("start_date", "end_date")
            if table == "memberships"
            else ("date_of_birth", "date_of_death")
        ):
            linked.con.execute(f"ALTER TABLE {table} ALTER {column} TYPE DATE")
    return linked


def ruleset(rid: str):  # type: ignore[no-untyped-def]
    return next(r for r in load_rulesets() if r.id == rid)


FAMILY = [person("P1", "1990-01-01"), person("P2", "2015-06-01")]
THREE_NEEDS = [
    event(1, "P1", "police", "DAIN", "2024-01-10"),
    event(2, "P1", "drug_alcohol", "DCOM", "2024-05-02"),
    event(3, "P2", "schools", "PABS", "2024-09-20"),
    event(4, "P2", "schools", "SUSP", "2023-06-01"),
]


def test_a_family_with_three_headline_needs_qualifies_for_supporting_families() -> None:
    linked = city(FAMILY, THREE_NEEDS)
    flags = engine.run_rules(linked.con, [ruleset("supporting-families")], AS_OF)
    assert flags == {"supporting-families": 1}
    row = linked.con.execute(
        "SELECT subject_id, needs, raised_on, lapses_on FROM flags"
    ).fetchall()[0]
    assert row[0] == "H1"
    assert row[1] == ["education", "substance_use", "domestic_abuse"]
    # Raised when the third need was met (education 2023-06, domestic abuse 2024-01, substance
    # use 2024-05); lapses when fewer than three would remain (the
    # domestic abuse incident leaves the 24-month window first).
    assert row[2] == date(2024, 5, 2)
    assert row[3] == date(2026, 1, 10)


def test_a_family_with_two_needs_does_not_qualify() -> None:
    linked = city(FAMILY, THREE_NEEDS[:2])
    assert engine.run_rules(linked.con, [ruleset("supporting-families")], AS_OF) == {
        "supporting-families": 0
    }


def test_every_record_behind_a_flag_is_listed_as_evidence_and_every_member_is_concerned() -> None:
    linked = city(FAMILY, THREE_NEEDS)
    engine.run_rules(linked.con, [ruleset("supporting-families")], AS_OF)
    evidence = {r[0] for r in linked.con.execute("SELECT event_id FROM evidence").fetchall()}
    assert evidence == {"police:1", "drug_alcohol:2", "schools:3", "schools:4"}
    members = {r[0] for r in linked.con.execute("SELECT person_id FROM flag_members").fetchall()}
    assert members == {"P1", "P2"}


def test_events_outside_the_look_back_window_do_not_count() -> None:
    old = [event(1, "P1", "police", "DAIN", "2022-01-10"), *THREE_NEEDS[1:]]
    linked = city(FAMILY, old)
    assert engine.run_rules(linked.con, [ruleset("supporting-families")], AS_OF) == {
        "supporting-families": 0
    }


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([person("A", "1980-01-01", None)], 1),  # adult alone: counts
        ([person("A", "1980-01-01"), person("C", "2018-01-01")], 0),  # lives with a child: not
    ],
)
def test_troubled_individuals_are_adults_without_dependent_children(
    people: list[dict[str, object]], expected: int
) -> None:
    events = [
        event(1, "A", "housing", "HAPP", "2024-01-01"),
        event(2, "A", "drug_alcohol", "ACOM", "2024-02-01"),
        event(3, "A", "police", "ARRS", "2024-03-01"),
    ]
    linked = city(people, events)
    assert (
        engine.run_rules(linked.con, [ruleset("troubled-individuals")], AS_OF)[
            "troubled-individuals"
        ]
        == expected
    )


def test_frequent_attenders_need_five_emergency_attendances_in_twelve_months() -> None:
    four = [event(i, "P1", "health", "AENA", f"2024-0{i + 4}-01") for i in range(1, 5)]
    linked = city(FAMILY, four)
    assert (
        engine.run_rules(linked.con, [ruleset("frequent-attenders")], AS_OF)["frequent-attenders"]
        == 0
    )
    linked = city(FAMILY, [*four, event(9, "P1", "health", "NELA", "2024-12-01")])
    assert (
        engine.run_rules(linked.con, [ruleset("frequent-attenders")], AS_OF)["frequent-attenders"]
        == 1
    )


def test_high_cost_is_raised_on_the_day_spend_crossed_the_threshold() -> None:
    events = [
        event(1, "P1", "housing", "EVIC", "2024-06-01", 3000),
        event(2, "P1", "health", "NELA", "2024-08-01", 2500),
    ]
    linked = city(FAMILY, events)
    engine.run_rules(linked.con, [ruleset("high-cost")], AS_OF)
    assert linked.con.execute("SELECT raised_on FROM flags").fetchall() == [(date(2024, 8, 1),)]


def test_root_causes_flag_each_factor_on_its_own() -> None:
    events = [
        event(1, "P1", "revs_benefits", "ARRS", "2024-06-01"),
        event(2, "P1", "dwp", "UCCL", "2024-07-01"),
    ]
    linked = city(FAMILY, events)
    engine.run_rules(linked.con, [ruleset("root-causes")], AS_OF)
    codes = sorted(r[0] for r in linked.con.execute("SELECT code FROM flags").fetchall())
    assert codes == ["debt", "worklessness"]


def test_shipped_rule_files_load_with_versions_and_known_sources() -> None:
    rulesets = load_rulesets()
    assert {r.id for r in rulesets} >= {
        "supporting-families",
        "toxic-trio",
        "troubled-individuals",
        "frequent-attenders",
        "high-cost",
        "root-causes",
    }
    assert all(r.version and r.sha256 for r in rulesets)
    assert len(ruleset("supporting-families").needs) == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ruleset]\nid='x'", "has no `version`"),
        (
            "[ruleset]\nid='x'\nversion='1'\ntitle='t'\nsummary='s'\nsubject='person'\npopulation='families'\nlookback_months=12",
            "does not fit",
        ),
        (
            "[ruleset]\nid='x'\nversion='1'\ntitle='t'\nsummary='s'\nsubject='person'\npopulation='everyone'\nlookback_months=12\n[[need]]\nid='n'\nlabel='l'\nexplain='e'\nevents=['nowhere:X']",
            "unknown source",
        ),
        (
            "[ruleset]\nid='x'\nversion='1'\ntitle='t'\nsummary='s'\nsubject='person'\npopulation='everyone'\nlookback_months=12\n[[need]]\nid='n'\nlabel='l'\nexplain='e'\nevents=['housing:NOPE']",
            "unknown event type",
        ),
    ],
)
def test_a_bad_rule_file_names_the_file_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        parse_ruleset(text, "rules/bad.toml")
    assert "rules/bad.toml" in error.value.one_line()
