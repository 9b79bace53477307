"""Suggesting a route: the first rule, by priority, whose conditions all hold, and why.

Every condition that holds says so in plain words ("the person is 16 (16 to 17)"), so the
officer reads exactly what the suggestion rests on. The officer decides; this only suggests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from upstream.triage.model import URGENCIES, Facts, Rule, RuleSet, Suggestion, When

# A condition's verdict: whether it holds, and the words that say why ("" when it is unset).
Verdict = tuple[bool, str]
UNSET: Verdict = (True, "")


def suggest(rules: RuleSet, facts: Facts) -> Suggestion:
    """The first rule by priority whose conditions all hold; the default rule always does."""
    for rule in rules.rules:
        reasons = reasons_it_matches(rule.when, facts, rules)
        if reasons is not None:
            team, team_why = choose_team(rules, rule, facts.ward)
            return Suggestion(
                route=rule.route,
                team=team,
                rule_id=rule.id,
                why=why(rule, reasons, team_why),
                rules_version=rules.rules_version,
            )
    # load_rules refuses a file without a default rule, so this is a rule set built by hand.
    raise ValueError(f"{rules.path}: no rule matched and there is no default rule")


def reasons_it_matches(when: When, facts: Facts, rules: RuleSet) -> list[str] | None:
    """Why each set condition holds, or None when one does not."""
    verdicts = [condition(when, facts, rules) for condition in CONDITIONS]
    if not all(holds for holds, _ in verdicts):
        return None
    return [reason for _, reason in verdicts if reason]


def why(rule: Rule, reasons: list[str], team_why: str) -> str:
    matched = _sentence(reasons) if reasons else "No other rule matched."
    return " ".join(
        part for part in (matched, rule.explain, team_why and f"Team: {team_why}.") if part
    )


def _sentence(reasons: list[str]) -> str:
    joined = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
    return joined[0].upper() + joined[1:] + "."


def choose_team(rules: RuleSet, rule: Rule, ward: str) -> tuple[str, str]:
    """The team, and (for a rule naming several) why that one: the team covering the person's
    ward, else the first named."""
    if len(rule.teams) < 2:
        return (rule.teams[0] if rule.teams else ""), ""
    for name in rule.teams:
        if ward and ward.casefold() in {w.casefold() for w in rules.teams[name].wards}:
            return name, f"{name} covers {ward}"
    first = rule.teams[0]
    if not ward:
        return first, f"the ward is not known, so {first}, the first listed; check the address"
    return first, f"no team lists the ward {ward}, so {first}, the first listed"


def _needs_with_areas(facts: Facts, rules: RuleSet) -> set[str]:
    """The request's needs and the areas they are in: a rule naming an area matches any of
    its items; a rule naming an item needs that item (an area alone is too vague for it)."""
    return set(facts.needs) | {rules.area_of[n] for n in facts.needs if n in rules.area_of}


def _which_needs(slug: str, facts: Facts, rules: RuleSet) -> list[str]:
    if slug in facts.needs:
        return [slug]
    return [f"{n} ({slug})" for n in facts.needs if rules.area_of.get(n) == slug]


def _needs_any(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if not when.needs_any:
        return UNSET
    present = _needs_with_areas(facts, rules)
    matched = [
        n for slug in when.needs_any if slug in present for n in _which_needs(slug, facts, rules)
    ]
    return bool(matched), f"needs include {', '.join(dict.fromkeys(matched))}"


def _needs_all(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if not when.needs_all:
        return UNSET
    holds = set(when.needs_all) <= _needs_with_areas(facts, rules)
    return holds, f"needs include all of {', '.join(when.needs_all)}"


def _min_areas(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if when.min_areas is None:
        return UNSET
    areas = sorted({rules.area_of[n] for n in facts.needs if n in rules.area_of})
    return len(areas) >= when.min_areas, f"needs span {len(areas)} areas ({', '.join(areas)})"


def _age(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    """An age condition needs a known age: an unknown age never meets it (the officer can ask)."""
    low, high = when.min_age, when.max_age
    if low is None and high is None:
        return UNSET
    if facts.age is None:
        return False, ""
    holds = (low is None or facts.age >= low) and (high is None or facts.age <= high)
    return holds, f"the person is {facts.age} ({_age_range(low, high)})"


def _age_range(low: int | None, high: int | None) -> str:
    if low is None:
        return f"{high} or under"
    if high is None:
        return f"{low} or over"
    return f"{low} to {high}"


def _choice(field: str, words: dict[str, str]) -> Callable[[When, Facts, RuleSet], Verdict]:
    def condition(when: When, facts: Facts, rules: RuleSet) -> Verdict:
        allowed, value = getattr(when, field), getattr(facts, field)
        if not allowed:
            return UNSET
        return value in allowed, words[value]

    return condition


URGENCY_WORDS = {u: f"urgency is {u}" for u in URGENCIES}
ASKED_BY_WORDS = {
    "person": "they asked themselves",
    "family_or_friend": "family or a friend asked",
    "professional": "a professional asked",
}
CHANNEL_WORDS = {
    "web": "it came on the web",
    "phone": "it came by phone",
    "face_to_face": "it came face to face",
    "partner": "a partner organisation referred them",
    "proactive": "we contacted them",
}


def _phrases(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if not when.phrases:
        return UNSET
    said = _plain(facts.what_matters)
    found = [p for p in when.phrases if _phrase_pattern(p).search(said)]
    quoted = ", ".join(f"“{p}”" for p in found[:3])
    return bool(found), f"what matters to them mentions {quoted}"


def _plain(words: str) -> str:
    """Lower case, one space between words, typographic apostrophes as typed ones."""
    return " ".join(words.casefold().replace("’", "'").split())


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    # Whole words only: "carer" must not find "careers", nor "hit" find "white".
    return re.compile(r"(?<!\w)" + re.escape(" ".join(phrase.split())) + r"(?!\w)")


def _flags_any(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if not when.flags_any:
        return UNSET
    found = [f for f in when.flags_any if f in facts.flags]
    return bool(found), f"they are flagged {', '.join(found)}"


def _repeat(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if when.repeat is None:
        return UNSET
    words = (
        "they asked before in the last 12 months"
        if facts.repeat
        else "this is their first request in 12 months"
    )
    return facts.repeat == when.repeat, words


def _already_involved(when: When, facts: Facts, rules: RuleSet) -> Verdict:
    if when.already_involved is None:
        return UNSET
    words = (
        "someone already works with them"
        if facts.already_involved
        else "no one works with them yet"
    )
    return facts.already_involved == when.already_involved, words


# In the order the reasons read best: what they need, who they are, what they said, history.
CONDITIONS: tuple[Callable[[When, Facts, RuleSet], Verdict], ...] = (
    _needs_any,
    _needs_all,
    _min_areas,
    _age,
    _phrases,
    _choice("urgency", URGENCY_WORDS),
    _choice("asked_by", ASKED_BY_WORDS),
    _choice("channel", CHANNEL_WORDS),
    _flags_any,
    _repeat,
    _already_involved,
)
