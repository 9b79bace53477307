"""Triage: the front door's versioned, readable rules that suggest a route for a request.

A rule file (TOML, `upstream/data/triage/triage-vN.toml`) lists teams and rules; the first rule
by priority whose conditions hold gives the route (universal, targeted or statutory), the team
and, in plain words, why. The officer decides: this only suggests, and a different choice
needs a reason (override rates are a measure). Pure: no Django, no database. Format and the
reasons behind each rule: docs/triage.md.
"""

from upstream.triage.load import bundled_files, check_rules, current_file, load_rules
from upstream.triage.match import suggest
from upstream.triage.model import (
    ASKED_BY,
    CHANNELS,
    ROUTES,
    URGENCIES,
    Facts,
    Rule,
    RuleSet,
    Suggestion,
    Team,
    When,
)

__all__ = [
    "ASKED_BY",
    "CHANNELS",
    "ROUTES",
    "URGENCIES",
    "Facts",
    "Rule",
    "RuleSet",
    "Suggestion",
    "Team",
    "When",
    "bundled_files",
    "check_rules",
    "current_file",
    "load_rules",
    "suggest",
]
