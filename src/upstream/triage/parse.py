"""Reading a triage rule file into a `RuleSet`, finding every problem at once.

A rule file is TOML (format and fields: docs/triage.md). Reading never stops at the first
problem: an analyst changing rules wants the whole list, each with its line, in one go
(`upstream triage check`). Loading a file for use refuses it if there is any problem.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from upstream.triage.lines import Lines
from upstream.triage.model import (
    ASKED_BY,
    CHANNELS,
    MAX_AGE,
    ROUTES,
    URGENCIES,
    Rule,
    RuleSet,
    Team,
    When,
)

SCHEMA = 1
TOP_KEYS = ("schema", "rules", "routes", "teams", "areas", "rule")
HEAD_KEYS = ("version", "title", "summary", "owner", "references")
TEAM_KEYS = ("route", "description", "wards")
RULE_KEYS = ("id", "priority", "route", "team", "explain", "default", "when")
WHEN_LISTS = ("needs_any", "needs_all", "urgency", "asked_by", "channel", "phrases", "flags_any")
WHEN_KEYS = (*WHEN_LISTS, "min_areas", "min_age", "max_age", "repeat", "already_involved")
VOCABULARIES = {"urgency": URGENCIES, "asked_by": ASKED_BY, "channel": CHANNELS}
# Ids are stored on every request a rule suggested for (80 characters at most there).
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_RULE_ID = 80
# A request stores its team in 100 characters and the rules' version with its hash ("+" and
# eight hex digits) in 40 (frontdoor.models.Request).
MAX_TEAM_NAME = 100
MAX_VERSION = 40 - 9
DEFAULT_ROUTE_LABELS = {
    "universal": "Universal: information, self-help or a community service",
    "targeted": "Targeted: a key worker or team around the person or family",
    "statutory": "Statutory: children's, adult social care or homelessness",
}


@dataclass(frozen=True)
class Problem:
    line: int  # 0 when the problem is about the whole file
    message: str

    def where(self, path: str) -> str:
        return f"{path}:{self.line}" if self.line else path

    def text(self, path: str) -> str:
        return f"{self.where(path)}: {self.message}"


class Reader:
    """Reads one file's tables, noting each problem with its line and keeping what is usable."""

    def __init__(self, text: str) -> None:
        self.lines = Lines(text)
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def table(self, value: object, line: int, name: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.problem(line, f"{name} must be a table")
        return {}

    def known_keys(
        self, table: dict[str, Any], allowed: tuple[str, ...], line: int, at: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.problem(line, f"{at}unknown key {key!r} (known: {', '.join(allowed)})")

    def text(self, table: dict[str, Any], key: str, line: int, at: str, *, required: bool) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(line, f"{at}no `{key}`")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"{at}`{key}` must be words in quotes")
            return ""
        return " ".join(value.split())

    def texts(self, table: dict[str, Any], key: str, line: int, at: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(line, f'{at}`{key}` must be a list of words in quotes, e.g. ["a", "b"]')
            return ()
        return tuple(" ".join(v.split()) for v in value)

    def whole(
        self, table: dict[str, Any], key: str, line: int, at: str, low: int, high: int
    ) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(line, f"{at}`{key}` must be a whole number from {low} to {high}")
            return None
        return value

    def yes_no(self, table: dict[str, Any], key: str, line: int, at: str) -> bool | None:
        value = table.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.problem(line, f"{at}`{key}` must be true or false")
        return None


def parse_rules(text: str, path: str) -> tuple[RuleSet | None, list[Problem]]:
    """The rule set a file describes (None if it is not TOML) and every problem in it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at_line = re.search(r"\(at line (\d+), column \d+\)", str(error))
        return None, [Problem(int(at_line.group(1)) if at_line else 0, f"not valid TOML: {error}")]
    reader = Reader(text)
    reader.known_keys(data, TOP_KEYS, 0, "")
    if data.get("schema") != SCHEMA:
        reader.problem(0, f"no `schema = {SCHEMA}` (the version of this format the file is in)")
    head = reader.table(data.get("rules", {}), reader.lines.table("rules"), "[rules]")
    areas = _areas(reader, data.get("areas", {}))
    teams = _teams(reader, data.get("teams", {}))
    rules = _rules(reader, data.get("rule", []), teams, _area_of(areas))
    _check_order(reader, rules)
    ruleset = RuleSet(
        **_head(reader, head),
        route_labels=MappingProxyType(_route_labels(reader, data.get("routes", {}))),
        teams=MappingProxyType(teams),
        areas=MappingProxyType(areas),
        rules=tuple(sorted(rules, key=lambda r: (r.default, r.priority))),
        path=path,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        area_of=MappingProxyType(_area_of(areas)),
    )
    return ruleset, sorted(reader.problems, key=lambda p: p.line)


def _head(reader: Reader, head: dict[str, Any]) -> dict[str, Any]:
    line, at = reader.lines.table("rules"), "[rules]: "
    if not head:
        reader.problem(line, "no [rules] table (version, title, summary)")
        return {"version": "", "title": "", "summary": "", "owner": "", "references": ()}
    reader.known_keys(head, HEAD_KEYS, line, at)
    version = reader.text(head, "version", line, at, required=True)
    if len(version) > MAX_VERSION:
        reader.problem(line, f"{at}`version` must be at most {MAX_VERSION} characters")
    return {
        "version": version,
        "title": reader.text(head, "title", line, at, required=True),
        "summary": reader.text(head, "summary", line, at, required=True),
        "owner": reader.text(head, "owner", line, at, required=False),
        "references": reader.texts(head, "references", line, at),
    }


def _route_labels(reader: Reader, raw: object) -> dict[str, str]:
    """The routes' labels as officers read them; the routes themselves are fixed."""
    line = reader.lines.table("routes")
    table = reader.table(raw, line, "[routes]")
    reader.known_keys(table, ROUTES, line, "[routes]: ")
    labels = dict(DEFAULT_ROUTE_LABELS)
    for route in ROUTES:
        labels[route] = (
            reader.text(table, route, line, "[routes]: ", required=False) or labels[route]
        )
    return labels


def _areas(reader: Reader, raw: object) -> dict[str, tuple[str, ...]]:
    line = reader.lines.table("areas")
    table = reader.table(raw, line, "[areas]")
    if not table:
        reader.problem(line, "no [areas]: each need area and its items, as the directory has them")
    areas: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for area in table:
        areas[area] = reader.texts(table, area, line, f"[areas]: {area}: ")
        for item in areas[area]:
            if item in table:
                reader.problem(line, f"[areas]: {item!r} is both an area and an item")
            elif item in seen:
                reader.problem(line, f"[areas]: {item!r} is under both {seen[item]} and {area}")
            seen[item] = area
    return areas


def _area_of(areas: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each item's area, and each area as its own."""
    found = {area: area for area in areas}
    found.update({item: area for area, items in areas.items() for item in items})
    return found


def _teams(reader: Reader, raw: object) -> dict[str, Team]:
    table = reader.table(raw, reader.lines.table("teams"), "[teams]")
    teams = {}
    for name, value in table.items():
        line, at = (
            reader.lines.table("teams", name) or reader.lines.table("teams"),
            f"team {name}: ",
        )
        team = reader.table(value, line, f"team {name}")
        if len(name) > MAX_TEAM_NAME:
            reader.problem(line, f"{at}a team's name must be at most {MAX_TEAM_NAME} characters")
        reader.known_keys(team, TEAM_KEYS, line, at)
        route = reader.text(team, "route", line, at, required=True)
        if route and route not in ROUTES[1:]:
            reader.problem(line, f"{at}route must be targeted or statutory (universal has no team)")
        description = reader.text(team, "description", line, at, required=True)
        teams[name] = Team(name, route, description, reader.texts(team, "wards", line, at))
    return teams


def _rules(
    reader: Reader, raw: object, teams: dict[str, Team], area_of: dict[str, str]
) -> list[Rule]:
    if not isinstance(raw, list) or not raw:
        reader.problem(0, "no rules: write each as a [[rule]] table")
        return []
    rules = []
    for index, value in enumerate(raw):
        line = reader.lines.array_item("rule", index)
        if not isinstance(value, dict):
            reader.problem(line, f"rule #{index + 1} must be a table")
            continue
        rule = _rule(reader, value, line, teams, area_of, number=index + 1)
        if rule:
            rules.append(rule)
    return rules


def _rule(
    reader: Reader,
    table: dict[str, Any],
    line: int,
    teams: dict[str, Team],
    area_of: dict[str, str],
    *,
    number: int,
) -> Rule | None:
    rule_id = reader.text(table, "id", line, f"rule #{number}: ", required=True)
    if not rule_id:
        return None
    at = f"rule {rule_id}: "
    if not RULE_ID.match(rule_id) or len(rule_id) > MAX_RULE_ID:
        reader.problem(
            line, f"{at}an id is lower-case words joined by hyphens, at most 80 characters"
        )
    reader.known_keys(table, RULE_KEYS, line, at)
    priority = reader.whole(table, "priority", line, at, 0, 1_000_000)
    if priority is None and "priority" not in table:
        reader.problem(line, f"{at}no `priority` (lower numbers are tried first)")
    route = reader.text(table, "route", line, at, required=True)
    if route and route not in ROUTES:
        reader.problem(line, f"{at}unknown route {route!r} (known: {', '.join(ROUTES)})")
    default = bool(reader.yes_no(table, "default", line, at))
    when = _when(reader, table.get("when", {}), line, at, area_of)
    rule = Rule(
        id=rule_id,
        priority=priority if priority is not None else 0,
        route=route,
        teams=_rule_teams(reader, table, line, at),
        explain=reader.text(table, "explain", line, at, required=True),
        when=when,
        default=default,
        line=line,
    )
    _check_rule(reader, rule, teams, at)
    # Without a priority its place in the order is unknown: left out of the order's checks.
    return rule if priority is not None else None


def _rule_teams(reader: Reader, table: dict[str, Any], line: int, at: str) -> tuple[str, ...]:
    """One team's name, or several: then the one covering the person's ward is chosen."""
    value = table.get("team")
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if isinstance(names, list) and names and all(isinstance(n, str) and n for n in names):
        return tuple(names)
    reader.problem(line, f"{at}`team` must be a team's name in quotes, or a list of them")
    return ()


def _when(reader: Reader, raw: object, line: int, at: str, area_of: dict[str, str]) -> When:
    table = reader.table(raw, line, f"{at}`when`")
    reader.known_keys(table, WHEN_KEYS, line, f"{at}when: ")
    lists = {key: reader.texts(table, key, line, at) for key in WHEN_LISTS if key in table}
    for key in ("needs_any", "needs_all"):
        for slug in lists.get(key, ()):
            if slug not in area_of:
                reader.problem(line, f"{at}{key}: unknown need {slug!r} (not in [areas])")
    for key, allowed in VOCABULARIES.items():
        for value in lists.get(key, ()):
            if value not in allowed:
                reader.problem(line, f"{at}{key}: unknown {value!r} (known: {', '.join(allowed)})")
    min_age = reader.whole(table, "min_age", line, at, 0, MAX_AGE)
    max_age = reader.whole(table, "max_age", line, at, 0, MAX_AGE)
    if min_age is not None and max_age is not None and min_age > max_age:
        reader.problem(
            line, f"{at}min_age {min_age} is above max_age {max_age}: it can never match"
        )
    areas = len(set(area_of.values())) or 1
    return When(
        needs_any=lists.get("needs_any", ()),
        needs_all=lists.get("needs_all", ()),
        min_areas=reader.whole(table, "min_areas", line, at, 1, areas),
        min_age=min_age,
        max_age=max_age,
        urgency=lists.get("urgency", ()),
        asked_by=lists.get("asked_by", ()),
        channel=lists.get("channel", ()),
        phrases=tuple(p.casefold().replace("’", "'") for p in lists.get("phrases", ())),
        flags_any=lists.get("flags_any", ()),
        repeat=reader.yes_no(table, "repeat", line, at),
        already_involved=reader.yes_no(table, "already_involved", line, at),
    )


def _check_rule(reader: Reader, rule: Rule, teams: dict[str, Team], at: str) -> None:
    line = rule.line
    if rule.default and not rule.when.is_empty():
        reader.problem(line, f"{at}a default rule has no `when`: it matches every request")
    if not rule.default and rule.when.is_empty():
        reader.problem(line, f"{at}no conditions, so it matches every request; add a `when`")
    if rule.route == "universal" and rule.teams:
        reader.problem(line, f"{at}a universal rule names no team")
    if rule.route in ROUTES[1:] and not rule.teams:
        reader.problem(line, f"{at}a {rule.route} rule needs a `team`")
    for name in rule.teams:
        if name not in teams:
            reader.problem(line, f"{at}unknown team {name!r} (not in [teams])")
        elif teams[name].route != rule.route:
            reader.problem(line, f"{at}team {name!r} is {teams[name].route}, not {rule.route}")
    _check_localities(reader, rule, teams, at)


def _check_localities(reader: Reader, rule: Rule, teams: dict[str, Team], at: str) -> None:
    """Several teams: the one whose wards hold the person's ward (else the first), so each
    after the first must cover some ward, and no ward may be covered twice."""
    if len(rule.teams) < 2:
        return
    covered: dict[str, str] = {}
    for position, name in enumerate(rule.teams):
        team = teams.get(name)
        if team is None:
            continue
        if position and not team.wards:
            reader.problem(rule.line, f"{at}team {name!r} covers no wards, so it is never chosen")
        for ward in team.wards:
            if ward.casefold() in covered:
                other = covered[ward.casefold()]
                reader.problem(rule.line, f"{at}ward {ward!r} is covered by {other!r} and {name!r}")
            covered[ward.casefold()] = name


def _check_order(reader: Reader, rules: list[Rule]) -> None:
    """Ids and priorities unique, one default rule, tried last."""
    seen_ids: dict[str, int] = {}
    seen_priorities: dict[int, str] = {}
    for rule in rules:
        if rule.id in seen_ids:
            reader.problem(
                rule.line, f"rule {rule.id}: another rule has this id (line {seen_ids[rule.id]})"
            )
        if rule.priority in seen_priorities:
            other = seen_priorities[rule.priority]
            reader.problem(
                rule.line, f"rule {rule.id}: priority {rule.priority} is also rule {other}'s"
            )
        seen_ids.setdefault(rule.id, rule.line)
        seen_priorities.setdefault(rule.priority, rule.id)
    _check_default(reader, rules)


def _check_default(reader: Reader, rules: list[Rule]) -> None:
    defaults = [r for r in rules if r.default]
    if not defaults:
        reader.problem(
            0,
            "no default rule: one rule needs `default = true`, so every request gets a suggestion",
        )
        return
    for extra in defaults[1:]:
        reader.problem(
            extra.line, f"rule {extra.id}: a second default rule (the first is {defaults[0].id})"
        )
    last = defaults[0]
    for rule in rules:
        if not rule.default and rule.priority > last.priority:
            reader.problem(
                rule.line,
                f"rule {rule.id}: priority {rule.priority} comes after the default rule's "
                f"({last.priority}), so it can never match",
            )
