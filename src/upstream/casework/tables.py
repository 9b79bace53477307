"""What the person, household and flags pages show as data: their tables and columns (and
what analysts may see of them), and the pages as JSON."""

from __future__ import annotations

from typing import Any

from upstream.casework.services import FlagsShown
from upstream.casework.story import HouseholdStory, PersonStory
from upstream.edge.twins import rows_of
from upstream.governance.access import Decision

# Columns that identify a person or a source record: left out of pseudonymised tables.
IDENTIFYING = {"person_id", "event_id"}

TIMELINE = (
    "date",
    "end_date",
    "person_name",
    "person_id",
    "agency",
    "event_type",
    "description",
    "cost",
    "financial_year",
    "event_id",
)
AGENCIES = ("name", "events", "first", "last", "cost")
COSTS = ("financial_year", "cost")
MEMBERS = ("name", "person_id", "age", "start_date", "end_date", "household_id")


def columns_for(columns: tuple[str, ...], decision: Decision) -> tuple[str, ...]:
    if decision.pseudonymised:
        return tuple(c for c in columns if c not in IDENTIFYING)
    return columns


def person_tables(story: PersonStory) -> dict[str, tuple[list[Any], tuple[str, ...]]]:
    return {
        "timeline": (story.timeline, TIMELINE),
        "agencies": (story.agencies, AGENCIES),
        "costs": (story.costs_by_year, COSTS),
        "household-members": (story.members, MEMBERS),
    }


def household_tables(story: HouseholdStory) -> dict[str, tuple[list[Any], tuple[str, ...]]]:
    return {
        "members": (story.members, MEMBERS),
        "timeline": (story.timeline, TIMELINE),
        "agencies": (story.agencies, AGENCIES),
        "costs": (story.costs_by_year, COSTS),
    }


def table_rows(
    items: list[Any], columns: tuple[str, ...], decision: Decision
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    shown = columns_for(columns, decision)
    return rows_of(items, shown), shown


def person_json(story: PersonStory) -> dict[str, Any]:
    """The person page as JSON: the header, then every table."""
    decision = story.decision
    header = {
        "person_id": None if decision.pseudonymised else story.person_id,
        "name": story.name,
        "age": story.age,
        "date_of_birth": story.date_of_birth.isoformat() if story.date_of_birth else None,
        "address": story.address,
        "postcode": story.postcode,
        "household_id": None if decision.pseudonymised else story.household_id,
        "flags": story.flags,
        "key_worker": story.key_worker,
        "team": story.team,
    }
    tables = {
        name: table_rows(items, cols, decision)[0]
        for name, (items, cols) in person_tables(story).items()
    }
    return {
        "person": header,
        "access": access_json(decision),
        "this_year": story.this_year,
        "cost_this_year": f"{story.cost_this_year:.2f}",
        "total_cost": f"{story.total_cost:.2f}",
        "withheld_sources": story.withheld,
        **tables,
    }


def household_json(story: HouseholdStory) -> dict[str, Any]:
    decision = story.decision
    tables = {
        name: table_rows(items, cols, decision)[0]
        for name, (items, cols) in household_tables(story).items()
    }
    return {
        "household": {
            "household_id": None if decision.pseudonymised else story.household_id,
            "address": story.address,
            "postcode": story.postcode,
            "start_date": story.start_date.isoformat(),
            "end_date": story.end_date.isoformat() if story.end_date else None,
            "combined_cost": f"{story.combined_cost:.2f}",
            "members_not_shown": story.hidden_members,
        },
        "access": access_json(decision),
        **tables,
    }


def access_json(decision: Decision) -> dict[str, Any]:
    return {
        "basis": decision.basis,
        "basis_label": decision.basis_label,
        "purpose": decision.purpose.value if decision.purpose else None,
        "reason": decision.reason,
        "sources": sorted(decision.sources),
    }


def flags_json(shown: FlagsShown) -> dict[str, Any]:
    """The flags page as JSON: each card as the viewer may see it."""
    return {
        "person_id": shown.person_id,
        "flags_withheld": shown.withheld,
        "flags": [
            {
                "flag_id": c.flag.flag_id,
                "rule": c.flag.ruleset_id,
                "version": c.flag.ruleset_version,
                "label": c.flag.label,
                "raised_on": c.flag.raised_on,
                "lapses_on": c.flag.lapses_on,
                "needs": c.needs,
                "records_about_others_withheld": c.rows_withheld,
            }
            for c in shown.cards
        ],
    }
