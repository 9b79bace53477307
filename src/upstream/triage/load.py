"""The bundled rule files, loading one for use, and checking one against what it names.

The rule files ship in `upstream/data/triage/`, one per version (`triage-v1.toml`,
`triage-v2.toml`, …). Old versions stay, so the rules behind any past suggestion can still be
read; the highest is the current one. Every suggestion carries its file's version and a hash
prefix of its content, so a file edited without a new version still shows as different.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from upstream.errors import InputError, read_user_text
from upstream.triage.lines import Lines
from upstream.triage.model import RuleSet
from upstream.triage.parse import Problem, parse_rules

RULES_FOLDER = "data/triage"
FILE_NAME = re.compile(r"^triage-v(\d+)\.toml$")


def bundled_files() -> list[Path]:
    """The shipped rule files, oldest version first."""
    folder = Path(str(resources.files("upstream").joinpath(RULES_FOLDER)))
    numbered = [(_file_version(p.name), p) for p in folder.iterdir()]
    return [p for _, p in sorted((n, p) for n, p in numbered if n is not None)]


def _file_version(name: str) -> int | None:
    match = FILE_NAME.match(name)
    return int(match.group(1)) if match else None


def current_file() -> Path:
    files = bundled_files()
    if not files:
        raise InputError("no triage rule files (triage-vN.toml)", where=RULES_FOLDER)
    return files[-1]


def load_rules(path: Path | None = None) -> RuleSet:
    """A rule file ready to use (the bundled current version by default); refused, naming the
    first problem and its line, if `upstream triage check` would find any."""
    path = path or current_file()
    ruleset, problems = _parsed(read_user_text(path, what="rule file"), str(path))
    if ruleset is None or problems:
        first = problems[0]
        more = (
            f" (and {len(problems) - 1} more: run `upstream triage check`)"
            if len(problems) > 1
            else ""
        )
        raise InputError(first.message + more, where=first.where(str(path)))
    return ruleset


@lru_cache(maxsize=16)
def _parsed(text: str, path: str) -> tuple[RuleSet | None, tuple[Problem, ...]]:
    # The front door loads the rules for every request it triages; the file rarely changes.
    ruleset, problems = parse_rules(text, path)
    return ruleset, tuple(problems)


def check_rules(
    path: Path,
    known_needs: set[str] | None = None,
    *,
    known_areas: Mapping[str, Collection[str]] | None = None,
    known_flags: Collection[str] | None = None,
) -> list[str]:
    """Every problem in a rule file, one line each ("FILE:LINE: rule X: …"); none if it is fit
    to use. `known_needs` (item and area slugs), `known_areas` (area -> items) and
    `known_flags` (identify rule-set ids) are what the rest of Upstream knows; the caller
    passes them, because this pure package may not read the directory or identify."""
    try:
        text = read_user_text(path, what="rule file")
    except InputError as error:
        return [error.one_line()]
    ruleset, problems = _parsed(text, str(path))
    found = list(problems)
    if ruleset is not None:
        lines = Lines(text)
        found += _unknown_needs(ruleset, lines, known_needs)
        found += _areas_unlike_directory(ruleset, lines, known_areas)
        found += _unknown_flags(ruleset, known_flags)
    return [p.text(str(path)) for p in sorted(found, key=lambda p: p.line)]


def _unknown_needs(ruleset: RuleSet, lines: Lines, known: set[str] | None) -> Iterable[Problem]:
    if known is None:
        return
    listed = [*ruleset.areas, *(i for items in ruleset.areas.values() for i in items)]
    for slug in listed:
        if slug not in known:
            yield Problem(
                lines.table("areas"), f"[areas]: {slug!r} is not in the directory's taxonomy"
            )
    for rule in ruleset.rules:  # a slug not in [areas] at all is reported by the parser
        for slug in dict.fromkeys((*rule.when.needs_any, *rule.when.needs_all)):
            if slug in ruleset.area_of and slug not in known:
                yield Problem(
                    rule.line, f"rule {rule.id}: need {slug!r} is not in the directory's taxonomy"
                )


def _areas_unlike_directory(
    ruleset: RuleSet, lines: Lines, known: Mapping[str, Collection[str]] | None
) -> Iterable[Problem]:
    """The file's areas must be the directory's, item for item: an item missing here would
    count toward no area, and one in the wrong area would count toward the wrong one."""
    if known is None:
        return
    line, mine = lines.table("areas"), ruleset.area_of
    for area, items in known.items():
        if area not in ruleset.areas:
            yield Problem(line, f"[areas]: the directory's area {area!r} is missing")
            continue
        for item in items:
            if item not in mine:
                yield Problem(line, f"[areas]: {area}: the directory's item {item!r} is missing")
            elif mine[item] != area:
                yield Problem(
                    line, f"[areas]: {item!r} is under {mine[item]} here, {area} in the directory"
                )


def _unknown_flags(ruleset: RuleSet, known: Collection[str] | None) -> Iterable[Problem]:
    if known is None:
        return
    for rule in ruleset.rules:
        for flag in rule.when.flags_any:
            if flag not in known:
                yield Problem(
                    rule.line,
                    f"rule {rule.id}: flags_any: {flag!r} is not a rule set `upstream identify` runs",
                )
