"""The review policy: how many weeks from a start to the next review, for each risk.

The policy files ship in `upstream/data/reviews/` (`review-policy-v1.toml`, `-v2`, …); the
highest version is in force and old versions stay, so the policy behind any past review can
still be read. Every review keeps the version it was scheduled under. `upstream reviews check`
reads a file and names every problem (FILE: field: what is wrong).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from upstream.conversations.models import Risk
from upstream.errors import InputError, read_user_text

POLICY_FOLDER = "data/reviews"
FILE_NAME = re.compile(r"^review-policy-v(\d+)\.toml$")


@dataclass(frozen=True)
class Policy:
    version: str
    title: str
    references: tuple[str, ...]
    longest_weeks: int
    weeks: dict[str, int]

    def due_on(self, start: date, risk: str) -> date:
        """When the next review is due for something started (or last reviewed) on `start`."""
        return start + timedelta(weeks=self.weeks[risk])


def bundled_files() -> list[Path]:
    """The shipped policy files, oldest version first."""
    folder = Path(str(resources.files("upstream").joinpath(POLICY_FOLDER)))
    numbered = [(FILE_NAME.match(p.name), p) for p in folder.iterdir()]
    return [p for _, p in sorted((int(m.group(1)), p) for m, p in numbered if m)]


def current_file() -> Path:
    files = bundled_files()
    if not files:
        raise InputError("no review policy files (review-policy-vN.toml)", where=POLICY_FOLDER)
    return files[-1]


def current() -> Policy:
    """The policy in force; refused, naming the first problem, if `check` finds any."""
    return load(current_file())


def load(path: Path) -> Policy:
    policy, problems = _parsed(read_user_text(path, what="review policy"))
    if problems or policy is None:
        raise InputError(problems[0], where=str(path))
    return policy


def check(path: Path) -> list[str]:
    """Every problem in a policy file, one line each; none when it is fit to use."""
    try:
        text = read_user_text(path, what="review policy")
    except InputError as error:
        return [error.one_line()]
    return [f"{path}: {problem}" for problem in _parsed(text)[1]]


@lru_cache(maxsize=8)
def _parsed(text: str) -> tuple[Policy | None, tuple[str, ...]]:
    # Scheduling reads the policy for every review; the file rarely changes.
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, (f"not TOML: {error}",)
    problems = _problems(raw)
    if problems:
        return None, tuple(problems)
    head = raw["policy"]
    return Policy(
        version=str(head["version"]),
        title=str(head.get("title", "")),
        references=tuple(str(r) for r in head.get("references", [])),
        longest_weeks=int(raw["longest_weeks"]),
        weeks={risk: int(raw["intervals"][risk]) for risk in Risk.values},
    ), ()


def _problems(raw: dict[str, object]) -> list[str]:
    problems = []
    head = raw.get("policy")
    if raw.get("schema") != 1:
        problems.append("schema: must be 1")
    if not isinstance(head, dict) or not str(head.get("version", "")).strip():
        problems.append("policy.version: missing")
    elif not head.get("references"):
        problems.append("policy.references: name the sources the intervals rest on")
    longest = raw.get("longest_weeks")
    if not isinstance(longest, int) or isinstance(longest, bool) or longest < 1:
        problems.append("longest_weeks: must be a whole number of weeks, 1 or more")
        longest = None
    intervals = raw.get("intervals")
    if not isinstance(intervals, dict):
        return [*problems, "intervals: missing"]
    problems += _interval_problems(intervals, longest)
    return problems


def _interval_problems(intervals: dict[str, object], longest: int | None) -> list[str]:
    problems = []
    for risk in Risk.values:
        weeks = intervals.get(risk)
        if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 1:
            problems.append(f"intervals.{risk}: must be a whole number of weeks, 1 or more")
        elif longest is not None and weeks > longest:
            problems.append(f"intervals.{risk}: {weeks} weeks is longer than {longest}")
    problems += [f"intervals.{name}: not a risk" for name in intervals if name not in Risk.values]
    # Proportionate to risk: a higher risk is never reviewed later than a lower one.
    weeks = [intervals.get(risk) for risk in (Risk.HIGH, Risk.MEDIUM, Risk.LOW)]
    if all(isinstance(w, int) for w in weeks) and weeks != sorted(weeks):  # type: ignore[type-var]
        problems.append("intervals: a higher risk must not wait longer than a lower one")
    return problems
