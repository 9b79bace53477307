"""A small rule file to break one way at a time, and facts with keyword-only defaults."""

from __future__ import annotations

from pathlib import Path

from upstream.triage import Facts

SMALL_RULES = """\
schema = 1

[rules]
version = "0.1.0"
title = "Small rules for tests"
summary = "Two teams, three rules."

[teams."Children's front door"]
route = "statutory"
description = "Children's services."

[teams."Early help — North"]
route = "targeted"
description = "Early help, north."
wards = ["Ashfield"]

[teams."Early help — South"]
route = "targeted"
description = "Early help, south."
wards = ["Saltley"]

[areas]
citizen-safety = ["domestic-abuse", "drug-alcohol"]
employability = ["careers-16-29"]
housing-money-advice = ["benefits-help"]

[[rule]]
id = "child-harm"
priority = 10
route = "statutory"
team = "Children's front door"
explain = "A child may be at risk."
[rule.when]
max_age = 17
phrases = ["hits me"]

[[rule]]
id = "targeted"
priority = 20
route = "targeted"
team = ["Early help — North", "Early help — South"]
explain = "A targeted need."
[rule.when]
needs_any = ["citizen-safety"]

[[rule]]
id = "default"
priority = 100
route = "universal"
default = true
explain = "Start with information."
"""


def facts(
    *,
    needs: tuple[str, ...] = (),
    urgency: str = "routine",
    age: int | None = None,
    asked_by: str = "person",
    channel: str = "phone",
    what_matters: str = "",
    flags: tuple[str, ...] = (),
    repeat: bool = False,
    already_involved: bool = False,
    ward: str = "",
) -> Facts:
    return Facts(
        needs=needs,
        urgency=urgency,
        age=age,
        asked_by=asked_by,
        channel=channel,
        what_matters=what_matters,
        flags=flags,
        repeat=repeat,
        already_involved=already_involved,
        ward=ward,
    )


def rule_file(folder: Path, text: str = SMALL_RULES, name: str = "rules.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def replaced(old: str, new: str, text: str = SMALL_RULES) -> str:
    """The small rule file with one change (which must apply, so a test cannot pass vacuously)."""
    assert old in text, old
    return text.replace(old, new, 1)
