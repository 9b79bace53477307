"""Rule sets: versioned, human-readable TOML files an analyst can read and change.

One file per rule set in `rules/`. A rule set has *needs*; each need is met for a subject (a
person or a household) when the records of the people counted show enough matching events
(`min_events`, default 1) costing enough (`min_cost`, default 0) in the look-back window. The
rule set flags a subject when `min_needs` needs are met, or flags each need on its own
(`each = true`). `truth` names the synthetic city's latent needs a need stands for: used only
to measure rules against truth, never to flag anyone. Format: docs/identification.md.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from upstream import sources
from upstream.errors import InputError

SUBJECTS = ("person", "household")
POPULATIONS = {
    "everyone": ("person", "household"),
    "adults": ("person",),
    "children": ("person",),
    "adults_without_dependent_children": ("person",),
    "families": ("household",),
}


@dataclass(frozen=True)
class Need:
    id: str
    label: str
    explain: str
    events: tuple[str, ...]  # "source:EVENT_TYPE", "source:*" or "*"
    min_events: int = 1
    min_cost: float = 0.0
    member_ages: tuple[int, int] = (0, 120)
    lives_alone: bool = False
    truth: tuple[str, ...] = ()

    def patterns(self) -> list[tuple[str, str]]:
        return [(p.split(":")[0], p.split(":")[1] if ":" in p else "*") for p in self.events]


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    title: str
    summary: str
    subject: str
    population: str
    lookback_months: int
    owner: str
    references: tuple[str, ...]
    needs: tuple[Need, ...]
    min_needs: int  # 0 when each need is its own flag
    qualify_label: str
    path: str
    sha256: str

    @property
    def each(self) -> bool:
        return self.min_needs == 0

    def need(self, need_id: str) -> Need:
        return next(n for n in self.needs if n.id == need_id)


def _check_event_pattern(pattern: str, need: str, where: str) -> None:
    """ "source:TYPE", "source:*" or "*", naming a source and event type the catalogue knows."""
    if pattern == "*":
        return
    code, _, kind = pattern.partition(":")
    if code not in sources.codes():
        raise InputError(f"need {need}: unknown source in event {pattern!r}", where=where)
    if kind not in ("", "*") and kind not in sources.source(code).events:
        raise InputError(f"need {need}: unknown event type in event {pattern!r}", where=where)


def _need(raw: dict[str, Any], where: str) -> Need:
    for key in ("id", "label", "explain", "events"):
        if key not in raw:
            raise InputError(f"a need has no `{key}`", where=where)
    for pattern in raw["events"]:
        _check_event_pattern(pattern, raw["id"], where)
    ages = raw.get("member_ages", [0, 120])
    return Need(
        id=raw["id"],
        label=raw["label"],
        explain=raw["explain"],
        events=tuple(raw["events"]),
        min_events=int(raw.get("min_events", 1)),
        min_cost=float(raw.get("min_cost", 0)),
        member_ages=(int(ages[0]), int(ages[1])),
        lives_alone=bool(raw.get("lives_alone", False)),
        truth=tuple(raw.get("truth", ())),
    )


def parse_ruleset(text: str, where: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=where) from error
    head = data.get("ruleset")
    if not isinstance(head, dict):
        raise InputError("no [ruleset] table", where=where)
    for key in ("id", "version", "title", "summary", "subject", "population", "lookback_months"):
        if key not in head:
            raise InputError(f"[ruleset] has no `{key}`", where=where)
    if head["subject"] not in SUBJECTS:
        raise InputError(f"subject must be one of {SUBJECTS}", where=where)
    if head["subject"] not in POPULATIONS.get(head["population"], ()):
        raise InputError(
            f"population {head['population']!r} does not fit subject {head['subject']!r}",
            where=where,
        )
    needs = tuple(_need(n, where) for n in data.get("need", []))
    if not needs:
        raise InputError("a rule set needs at least one [[need]]", where=where)
    if len({n.id for n in needs}) != len(needs):
        raise InputError("need ids must be unique", where=where)
    qualify = head.get("qualify", {})
    min_needs = 0 if qualify.get("each") else int(qualify.get("min_needs", len(needs)))
    if not 0 <= min_needs <= len(needs):
        raise InputError(f"min_needs must be between 1 and {len(needs)}", where=where)
    return RuleSet(
        id=head["id"],
        version=str(head["version"]),
        title=head["title"],
        summary=" ".join(head["summary"].split()),
        subject=head["subject"],
        population=head["population"],
        lookback_months=int(head["lookback_months"]),
        owner=head.get("owner", ""),
        references=tuple(head.get("references", ())),
        needs=needs,
        min_needs=min_needs,
        qualify_label=qualify.get("label", head["title"]),
        path=where,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def load_ruleset(path: Path) -> RuleSet:
    return parse_ruleset(path.read_text(encoding="utf-8"), str(path))


def default_rules_dir() -> Path:
    return Path(str(resources.files("upstream.identify") / "rules"))


def load_rulesets(folder: Path | None = None) -> list[RuleSet]:
    """Every `*.toml` rule set in the folder (the shipped ones by default), by file name."""
    folder = folder or default_rules_dir()
    rulesets = [load_ruleset(p) for p in sorted(folder.glob("*.toml"))]
    ids = [r.id for r in rulesets]
    if len(set(ids)) != len(ids):
        raise InputError("two rule sets share an id", where=str(folder))
    return rulesets
