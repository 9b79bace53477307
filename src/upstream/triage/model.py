"""What triage reads (the facts of a request), what it suggests, and the rules it suggests from.

Pure data: no Django. The front door (`upstream.frontdoor`) builds `Facts` from a request and
stores the `Suggestion` beside the officer's own decision. The officer decides; a suggestion
only says which rule matched and why, so that an override (and its reason) can be measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from upstream.errors import InputError

# The three routes of issue 12 and the domain brief §3 (triage). Labels are the defaults a
# rule file may reword in its [routes] table; the keys never change (requests store them).
ROUTES = ("universal", "targeted", "statutory")
URGENCIES = ("routine", "soon", "urgent")
ASKED_BY = ("person", "family_or_friend", "professional")
CHANNELS = ("web", "phone", "face_to_face", "partner", "proactive")
MAX_AGE = 130


@dataclass(frozen=True)
class Facts:
    """What is known about a request when it is triaged. Every field has a fixed vocabulary
    (the front door's own choices), so a fact outside it is refused, never guessed at."""

    needs: tuple[str, ...]  # directory taxonomy slugs (items like "careers-16-29", or areas)
    urgency: str  # "routine" | "soon" | "urgent"
    age: int | None  # the person's age if known
    asked_by: str  # "person" | "family_or_friend" | "professional"
    channel: str  # "web" | "phone" | "face_to_face" | "partner" | "proactive"
    what_matters: str = ""  # the person's words (rules may look for phrases, case-insensitive)
    flags: tuple[str, ...] = ()  # identify rule-set ids flagged on the person
    repeat: bool = False  # asked before within 12 months
    already_involved: bool = False  # has a key worker / team already
    ward: str = ""  # the ward of their address if known: picks a locality's team

    def __post_init__(self) -> None:
        _one_of("urgency", self.urgency, URGENCIES)
        _one_of("asked_by", self.asked_by, ASKED_BY)
        _one_of("channel", self.channel, CHANNELS)
        if self.age is not None and not (
            isinstance(self.age, int)
            and not isinstance(self.age, bool)
            and 0 <= self.age <= MAX_AGE
        ):
            raise InputError(f"must be a whole number from 0 to {MAX_AGE}", where="age")


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"must be one of {', '.join(allowed)} (not {value!r})", where=name)


@dataclass(frozen=True)
class Suggestion:
    route: str  # "universal" | "targeted" | "statutory"
    team: str  # the team whose waiting list or front door it goes to ("" for universal)
    rule_id: str  # which rule
    why: str  # plain words: why this rule matched
    rules_version: str  # the rule file's version and a content hash prefix: "1.0.0+3f2a9c1d"


@dataclass(frozen=True)
class Team:
    """A team a rule can send a request to: its route and, for a locality's team, its wards."""

    name: str
    route: str
    description: str
    wards: tuple[str, ...] = ()


@dataclass(frozen=True)
class When:
    """A rule's conditions. Every condition given must hold; a list inside one condition is
    any-of (needs_all: all of). An unset condition (None or empty) always holds."""

    needs_any: tuple[str, ...] = ()
    needs_all: tuple[str, ...] = ()
    min_areas: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    urgency: tuple[str, ...] = ()
    asked_by: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # lower case; matched as whole words in what_matters
    flags_any: tuple[str, ...] = ()
    repeat: bool | None = None
    already_involved: bool | None = None

    def is_empty(self) -> bool:
        return self == When()


@dataclass(frozen=True)
class Rule:
    id: str
    priority: int  # lower is tried first
    route: str
    teams: tuple[str, ...]  # () for universal; several: the one covering the person's ward
    explain: str  # plain words for the officer: what this rule is for, and its source
    when: When
    default: bool = False
    line: int = 0  # where the rule starts in its file, for problems


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    summary: str
    owner: str
    references: tuple[str, ...]
    route_labels: Mapping[str, str]
    teams: Mapping[str, Team]
    areas: Mapping[str, tuple[str, ...]]  # area slug -> its item slugs
    rules: tuple[Rule, ...]  # by priority, the default last
    path: str
    sha256: str
    area_of: Mapping[str, str] = field(default_factory=dict)  # item or area slug -> area

    @property
    def rules_version(self) -> str:
        """The version people read and the content it stands for: "1.0.0+3f2a9c1d". Two files
        that say the same version but differ in content never share this."""
        return f"{self.version}+{self.sha256[:8]}"

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
