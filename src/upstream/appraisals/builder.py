"""The pages that build an intervention case in the browser, one question (or one small group
of questions) a page, as the GOV.UK "question pages" pattern asks.

A draft is a case file's tables (`tomllib` shapes) kept while a person works through the pages.
Each page owns some fields of one table (`Step.table`); reading a page's answers writes those
fields and nothing else, so whatever a page does not ask about (an uploaded file's agencies
split, say) is kept as it was. Values go into the case file as typed: a number when it reads as
one, otherwise the text itself, so the parser (the CLI's) says what is wrong with it in the
CLI's words ("must be a number, got 'ten'").

The only checks made here are the ones the case file cannot express: an age group's row with a
count but no name, or the same name twice.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from upstream.appraisals import casefiles, libraries
from upstream.appraisals.casefiles import Problem, split_path, toml_value, within
from upstream.economics import casefile, packs
from upstream.economics.business_case import EVIDENCE_BASES
from upstream.economics.casefile import DRAWS, SEEDS
from upstream.economics.cba import PERIODS, PERSPECTIVES, ROUNDING_CONVENTIONS

REMOVE: Any = object()  # an answer left empty: the key is taken out, so its default applies
MAX_ROWS = 30  # age groups on the cohort page: more than any council table has
LIST_SEPARATORS = re.compile(r"[,;\s]+")


# --- fields ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One answer: the key it writes in the page's table, and how it is asked."""

    key: str
    label: str
    widget: str = "text"  # text, textarea, number, numbers, range, select, radios, groups, by_group
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    width: str = "govuk-input--width-10"
    prefix: str = ""
    suffix: str = ""
    name: str = ""  # the HTML id and name, when two fields write the same key
    groups: tuple[str, ...] = ()  # by_group: the cohort's age groups
    link: tuple[str, ...] = ()  # (URL name, words): where to look an answer up

    @property
    def id(self) -> str:
        return self.name or self.key.replace("_", "-")


@dataclass(frozen=True)
class Option:
    """One answer to a mode question, and the fields it reveals."""

    value: str
    label: str
    fields: tuple[Field, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Mode:
    """A choice between ways of giving an answer (a success rate or an effect size); the
    fields of the options not chosen are taken out of the case file."""

    name: str
    legend: str
    options: tuple[Option, ...]
    hint: str = ""

    @property
    def id(self) -> str:
        return self.name

    def keys(self, value: str) -> set[str]:
        return {f.key for o in self.options if o.value == value for f in o.fields}

    def chosen(self, table: Mapping[str, Any]) -> str:
        """The option whose fields the table has (the first when none)."""
        for option in self.options:
            if any(f.key in table and fits(f, table[f.key]) for f in option.fields):
                return option.value
        return self.options[0].value


Item = Field | Mode


@dataclass(frozen=True)
class Step:
    """One page: its address, its question, the table it writes and what it asks."""

    slug: str
    title: str
    table: tuple[str | int, ...]
    items: tuple[Item, ...]
    caption: str = ""
    intro: str = ""

    def fields(self) -> list[Field]:
        found: list[Field] = []
        for item in self.items:
            if isinstance(item, Mode):
                found += [f for o in item.options for f in o.fields]
            else:
                found.append(item)
        return found

    @property
    def path(self) -> str:
        return path_text(self.table)


def path_text(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# --- the pages ---------------------------------------------------------------------------------

SHARE = "A share from 0 to 1: 0.2 is 20%."
RANGE = (
    "Give a low and a high value as well for the Monte Carlo and the tornado chart; "
    "leave them empty for a single value."
)


def _choices(
    values: Sequence[str], labels: Mapping[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    return tuple((v, (labels or {}).get(v, v.replace("_", " ").capitalize())) for v in values)


DISCOUNT = {
    "standard": "Standard: 3.5% a year, falling after 30 years (Green Book)",
    "health": "Health: 1.5% a year, for health effects (Green Book)",
    "lower": "Lower: the Green Book's sensitivity schedule",
}
PERSPECTIVE = {
    "fiscal": "Fiscal: costs to public services avoided",
    "economic": "Economic: fiscal and wider economic values",
    "social": "Social: fiscal, economic and social values",
}
ROUNDING = {
    "none": "No rounding: fractions of people count",
    "floor": "Round people down to whole people",
    "nearest": "Round people to the nearest whole person",
}
EVIDENCE = {
    "counterfactual": "Against a comparison group (a trial or a matched comparison)",
    "modelled": "Modelled from published evidence",
    "before_after": "Before and after, in our area (needs a counterfactual source)",
}
PERIOD = {"year": "A year", "week": "A week", "month": "A month"}


def _levels(pack_key: str) -> str:
    table = packs.adjustments_pack()[pack_key]
    levels = ", ".join(f"{k} ({v:.0%})" for k, v in table.items() if isinstance(v, float))
    return f"{SHARE} Or a ready-reckoner level: {levels}. Source: {table['source']}."


def about_step() -> Step:
    return Step(
        "about",
        "What is the business case called?",
        ("case",),
        (
            Field("title", "Title", hint="The report's heading.", width="govuk-!-width-full"),
            Field("organisation", "Organisation", width="govuk-!-width-two-thirds"),
            Field(
                "summary", "Summary", widget="textarea", hint="One or two sentences for the report."
            ),
        ),
    )


def settings_step() -> Step:
    return Step(
        "settings",
        "Prices, years and discounting",
        ("case",),
        (
            Field("price_year", "Price year", hint='All £ in this year\'s prices: "2024" (calendar) or "2023/24" (financial).', width="govuk-input--width-5"),
            Field("year_zero", "Financial year of year 0", hint='Labels the years in every table, e.g. "2025/26".', width="govuk-input--width-5"),
            Field("horizon_years", "Years appraised", widget="number", hint="Year 0 is the first year of delivery.", width="govuk-input--width-3", suffix="years"),
            Field("discount", "Discounting", widget="radios", choices=_choices(("standard", "health", "lower"), DISCOUNT)),
            Field("perspective", "Headline net present value", widget="radios", choices=_choices(PERSPECTIVES, PERSPECTIVE)),
            Field("rounding", "Counting people", widget="radios", choices=_choices(ROUNDING_CONVENTIONS, ROUNDING)),
        ),
    )  # fmt: skip


def intervention_step() -> Step:
    entries = (("", "None: we give every figure ourselves"), *libraries.library_choices())
    return Step(
        "intervention",
        "The intervention",
        ("intervention",),
        (
            Field("name", "Name of the intervention", width="govuk-!-width-two-thirds", hint="Leave empty to use the what-works entry's name."),
            Field("library", "What-works entry", widget="select", choices=entries, hint="Fills in figures the case does not give, such as attrition; what you give wins.", link=("appraisals:what-works", "Read the what-works library")),
            Field("evidence_basis", "How the effects were measured", widget="radios", choices=_choices(EVIDENCE_BASES, EVIDENCE)),
            Field("counterfactual_source", "Counterfactual source", widget="textarea", hint="The comparison the effects are measured against: a trial, a matched area, a trend."),
        ),
    )  # fmt: skip


def cohort_step() -> Step:
    return Step(
        "cohort",
        "Who starts the programme",
        ("intervention",),
        (
            Field("cohort", "People starting in each intake, by age group", widget="groups", hint='Name each group as your tables do ("3-5", "all") and give how many start in each intake.'),
            Field("intakes", "Intakes by year", widget="numbers", hint="The size of each year's intake as a multiple of the cohort: 1, 1, 1 is three yearly intakes from year 0.", width="govuk-input--width-20"),
            Field("attrition", "Attrition", widget="range", hint=f"The share of starters who do not complete. {SHARE}"),
        ),
    )  # fmt: skip


def adjustments_step() -> Step:
    return Step(
        "adjustments",
        "What would have happened anyway",
        ("intervention",),
        (
            Field("deadweight", "Deadweight", widget="range", hint=f"The share of the outcome that would have happened anyway. {_levels('deadweight')}"),
            Field("displacement", "Displacement", widget="range", hint=f"The share offset by reductions elsewhere. {_levels('displacement')}"),
            Field("attribution", "Attribution", widget="range", hint=f"The share owed to others. {_levels('attribution')}"),
            Field("optimism_bias", "Optimism bias", widget="range", hint='An uplift on costs as a share (0.1 adds 10%), or a Treasury category such as "standard_civil_engineering:upper".'),
        ),
        intro="Leave a share empty for none. An effect measured against a control group is already net of deadweight.",
    )  # fmt: skip


def outcome_steps(index: int, groups: Sequence[str]) -> list[Step]:
    table: tuple[str | int, ...] = ("intervention", "outcome", index)
    caption = f"Outcome {index + 1}"
    at_risk = Mode(
        "at-risk",
        "Who is at risk of this outcome",
        (
            Option("cohort", "Everyone who starts"),
            Option("baseline", "A number of people in each intake", (Field("baseline", "People at risk in each intake", widget="range", hint="A count, e.g. 12 of 200 at risk of exclusion."),)),
            Option("base_rate", "A share of the people who start", (Field("base_rate", "Share at risk", widget="range", hint=SHARE),)),
        ),
    )  # fmt: skip
    success = Mode(
        "success-by",
        "How the programme changes it",
        (
            Option("one", "One success rate", (Field("success", "Success rate", widget="range", hint=f"The share of people at risk who complete whose outcome is avoided. {SHARE}"),)),
            Option("group", "A success rate for each age group", (Field("success", "Success rate by age group", widget="by_group", name="success-by-group", groups=tuple(groups), hint=SHARE),)),
            Option("effect", "An effect size from a trial", (Field("effect_size", "Effect size (d)", widget="range", hint="A standardised mean difference; with a share at risk above, it is turned into a success rate (Chinn 2000)."),)),
        ),
    )  # fmt: skip
    cost = Mode(
        "unit-cost-from",
        "The cost avoided",
        (
            Option("library", "A unit cost from the library", (Field("unit_cost", "Unit cost code", hint="A code from the unit-cost library, e.g. SS1.2.", width="govuk-input--width-10", name="unit-cost-code", link=("appraisals:unit-costs", "Find a code in the unit-cost library")),)),
            Option("own", "Our own figure", (
                Field("unit_cost", "Unit cost", widget="number", prefix="£", name="unit-cost-value"),
                Field("unit_cost_price_year", "Price year of that figure", width="govuk-input--width-5", hint='"2024" or "2024/25".'),
                Field("unit_cost_source", "Where the figure comes from", width="govuk-!-width-two-thirds"),
                Field("paying_agency", "Who pays", widget="select", choices=tuple(libraries.unit_cost_agencies())),
            )),
        ),
    )  # fmt: skip
    lasting = Mode(
        "lasts",
        "How long the saving lasts",
        (
            Option("years", "A number of years", (Field("persistence_years", "Years the saving lasts", widget="number", width="govuk-input--width-3", suffix="years"),)),
            Option("duration", "A stated duration in weeks, months or years", (
                Field("unit_cost_per", "The unit cost is for", widget="radios", choices=_choices(PERIODS, PERIOD)),
                Field("duration", "Duration per person changed", widget="range", hint="In the unit above: 150 (weeks) is 52, 52 and 46 weeks in three years."),
            )),
        ),
    )  # fmt: skip
    return [
        Step(
            f"outcome-{index}-risk",
            "The outcome and who it is avoided for",
            table,
            (
                Field(
                    "name",
                    "Name of the outcome",
                    hint="Words or a short key, e.g. exclusion_avoided.",
                    width="govuk-!-width-two-thirds",
                ),
                at_risk,
                success,
            ),
            caption=caption,
        ),
        Step(
            f"outcome-{index}-cost",
            "What each avoided outcome saves",
            table,
            (
                cost,
                lasting,
                Field(
                    "cashable",
                    "Cashable share",
                    widget="number",
                    hint=f"The share of the saving that is cash a budget can release. {SHARE}",
                    width="govuk-input--width-4",
                ),
            ),
            caption=caption,
        ),
        Step(
            f"outcome-{index}-timing",
            "When the saving starts and how it fades",
            table,
            (
                Field(
                    "start_lag",
                    "Years from intake to the first saving",
                    widget="number",
                    width="govuk-input--width-3",
                    suffix="years",
                ),
                Field(
                    "drop_off",
                    "Drop-off each year",
                    widget="range",
                    hint=f"The share of the effect lost each year after the first. {SHARE}",
                ),
            ),
            caption=caption,
        ),
    ]


def cost_step(index: int) -> Step:
    agencies = tuple(libraries.unit_cost_agencies())
    return Step(
        f"cost-{index}",
        "A cost of the programme",
        ("intervention", "cost", index),
        (
            Field("name", "What the cost is for", width="govuk-!-width-two-thirds"),
            Field("agency", "Who pays", widget="select", choices=agencies),
            Field("per_participant", "Per person who starts, by year since their intake", widget="numbers", prefix="£", hint="E.g. 2290 for one year, or 1500, 500 over two (commas between years, none in numbers).", width="govuk-input--width-20"),
            Field("fixed", "Fixed, by programme year", widget="numbers", prefix="£", hint="Set-up and running costs that do not depend on numbers, from year 0: 40000, 5000, 5000.", width="govuk-input--width-20"),
            Field("unit_cost", "A weekly, monthly or yearly cost per person", widget="number", prefix="£", hint="With the two answers below: e.g. £300 a week for 26 weeks from intake.", width="govuk-input--width-10"),
            Field("unit_cost_per", "That cost is for", widget="radios", choices=(("", "Not used"), *_choices(PERIODS, PERIOD))),
            Field("duration", "How many weeks, months or years per person", widget="range"),
        ),
        caption=f"Cost {index + 1}",
        intro="Give any of the three kinds of cost; they add up.",
    )  # fmt: skip


def uncertainty_step() -> Step:
    return Step(
        "uncertainty",
        "Uncertainty and payback",
        ("case",),
        (
            Field("draws", "Monte Carlo draws", widget="number", hint=f"How many times the ranges are drawn: {DRAWS[0]:,} to {DRAWS[1]:,}. 5,000 takes seconds.", width="govuk-input--width-10"),
            Field("seed", "Seed", widget="number", hint=f"The same seed gives the same draws: {SEEDS[0]} to {SEEDS[1]:,}.", width="govuk-input--width-10"),
            Field("payback_within_years", "Payback target", widget="number", hint="The report gives the chance of paying back within this many years.", width="govuk-input--width-3", suffix="years"),
        ),
    )  # fmt: skip


# The case-wide settings a page may leave empty, by their keys in the file and in the parser's
# Settings (the values come from the parser itself: `setting_defaults`).
SETTING_KEYS = {
    "price_year": "price_year", "year_zero": "year_zero", "horizon_years": "horizon",
    "discount": "discount", "perspective": "perspective", "rounding": "rounding",
    "draws": "draws", "seed": "seed", "payback_within_years": "payback_within",
}  # fmt: skip


@functools.cache
def setting_defaults() -> dict[str, str]:
    """What each case-wide setting is when a case leaves it out, as the parser reads it."""
    smallest = completed({"case": {"kind": "intervention"}})
    settings = casefile.parse_case(casefiles.dumps(smallest)).settings
    return {f"case.{key}": shown(getattr(settings, attr)) for key, attr in SETTING_KEYS.items()}


FIRST_STEPS = ("about", "settings", "intervention", "cohort", "adjustments")
OUTCOME_STEP = re.compile(r"^outcome-(\d{1,3})-(risk|cost|timing)$")
COST_STEP = re.compile(r"^cost-(\d{1,3})$")


def cohort_groups(data: Mapping[str, Any]) -> tuple[str, ...]:
    cohort = data.get("intervention", {}).get("cohort", {})
    return tuple(str(g) for g in cohort) if isinstance(cohort, Mapping) else ()


def items_of(data: Mapping[str, Any], key: str) -> list[Any]:
    listed = data.get("intervention", {}).get(key, [])
    return listed if isinstance(listed, list) else []


def step_for(slug: str, data: Mapping[str, Any]) -> Step | None:
    """The page called `slug` for this draft; an outcome or cost one past the last is a new one."""
    simple = {
        "about": about_step, "settings": settings_step, "intervention": intervention_step,
        "cohort": cohort_step, "adjustments": adjustments_step, "uncertainty": uncertainty_step,
    }  # fmt: skip
    if slug in simple:
        return simple[slug]()
    if match := OUTCOME_STEP.match(slug):
        index = int(match.group(1))
        if index > len(items_of(data, "outcome")) or (
            match.group(2) != "risk" and index == len(items_of(data, "outcome"))
        ):
            return None
        return next(s for s in outcome_steps(index, cohort_groups(data)) if s.slug == slug)
    if match := COST_STEP.match(slug):
        index = int(match.group(1))
        return cost_step(index) if index <= len(items_of(data, "cost")) else None
    return None


def all_steps(data: Mapping[str, Any]) -> list[Step]:
    found = [s for s in (step_for(slug, data) for slug in FIRST_STEPS) if s is not None]
    for i in range(len(items_of(data, "outcome"))):
        found += outcome_steps(i, cohort_groups(data))
    found += [cost_step(i) for i in range(len(items_of(data, "cost")))]
    return [*found, uncertainty_step()]


def next_slug(step: Step, data: Mapping[str, Any]) -> str:
    """Where a page leads: the next question, or back to the list an outcome or cost is in."""
    order = [*FIRST_STEPS, "outcomes"]
    if step.slug in FIRST_STEPS:
        return order[order.index(step.slug) + 1]
    if match := OUTCOME_STEP.match(step.slug):
        following = {"risk": "cost", "cost": "timing"}
        part = following.get(match.group(2))
        return f"outcome-{match.group(1)}-{part}" if part else "outcomes"
    if COST_STEP.match(step.slug):
        return "costs"
    return "check"


# --- reading and showing answers ---------------------------------------------------------------


def table_at(
    data: dict[str, Any], parts: Sequence[str | int], create: bool = False
) -> dict[str, Any] | None:
    """The table at a path in the draft (made, with the list it is in, when `create`)."""
    here: Any = data
    for i, part in enumerate(parts):
        following = parts[i + 1] if i + 1 < len(parts) else None
        if isinstance(part, int):
            if not isinstance(here, list) or part > len(here):
                return None
            if part == len(here):
                if not create:
                    return None
                here.append({})
            here = here[part]
        else:
            if not isinstance(here, dict):
                return None
            if part not in here:
                if not create:
                    return None
                here[part] = [] if isinstance(following, int) else {}
            here = here[part]
    return here if isinstance(here, dict) else None


def fits(item: Field, value: Any) -> bool:
    """Whether a field's widget can show this value (else the page says it is set in the file)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if item.widget == "range":
        return number or isinstance(value, str) or _is_range(value)
    if item.widget == "by_group":
        return isinstance(value, Mapping) and not _is_range(value)
    if item.widget == "groups":
        return isinstance(value, Mapping) and all(_plain_number(v) for v in value.values())
    if item.widget == "numbers":
        return isinstance(value, list) and all(_plain_number(v) for v in value)
    if item.name == "unit-cost-code":
        return isinstance(value, str)
    if item.name == "unit-cost-value":
        return number
    return number or isinstance(value, str)


def _plain_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_range(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) <= {"low", "central", "high", "distribution"}


def shown(value: Any) -> str:
    """A number as a person would type it (1500, 0.25), text as it is."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e-4 else repr(value)
    return "" if value is None else str(value)


def values_for(step: Step, data: dict[str, Any]) -> dict[str, str]:
    """What each input of the page shows for the draft as it is."""
    table = table_at(copy.deepcopy(data), step.table) or {}
    values: dict[str, str] = {}
    for item in step.items:
        if isinstance(item, Mode):
            values[item.id] = item.chosen(table)
    for f in step.fields():
        value = table.get(f.key)
        if value is None or not fits(f, value):
            continue
        values.update(_shown_field(f, value))
    return values


def _shown_field(f: Field, value: Any) -> dict[str, str]:
    if f.widget == "range":
        if isinstance(value, Mapping):
            return {
                f"{f.id}-{k}": shown(value.get(k))
                for k in ("low", "central", "high", "distribution")
            }
        return {f"{f.id}-central": shown(value)}
    if f.widget == "numbers":
        return {f.id: ", ".join(shown(v) for v in value)}
    if f.widget == "groups":
        out = {}
        for i, (group, count) in enumerate(value.items()):
            out[f"{f.id}-name-{i}"], out[f"{f.id}-count-{i}"] = str(group), shown(count)
        return out
    if f.widget == "by_group":
        out = {}
        for group, spec in value.items():
            if _is_range(spec):
                out |= {
                    f"{f.id}-{group}-{k}": shown(spec.get(k)) for k in ("low", "central", "high")
                }
            else:
                out[f"{f.id}-{group}-central"] = shown(spec)
        return out
    return {f.id: shown(value)}


def unreadable(step: Step, data: dict[str, Any]) -> dict[str, str]:
    """Fields whose value the page cannot show (set in an uploaded file in another shape), as
    TOML: the page shows them and leaves them as they are."""
    table = table_at(copy.deepcopy(data), step.table) or {}
    return {key: toml_value(table[key]) for key in sorted(_unshowable(step, table))}


THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def number(text: str) -> Any:
    """A typed answer as the case file holds it: an int or a float when it is a finite number
    (£ and commas between thousands allowed: "£1,250"), otherwise the text, for the parser to
    refuse in its own words. "0,5" is not taken for 5: it stays text."""
    cleaned = text.strip().removeprefix("£").strip()
    if THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        return REMOVE
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = float(cleaned)
    except ValueError:
        return text.strip()
    return value if math.isfinite(value) else text.strip()


def _numbers(text: str) -> Any:
    """A list by year, "1500, 500" (commas or spaces between years, so no thousands commas)."""
    parts = [p for p in LIST_SEPARATORS.split(text.replace("£", "").strip()) if p]
    return [number(p) for p in parts] if parts else REMOVE


def _range(post: Mapping[str, str], f: Field, levels_allowed: bool = True) -> Any:
    central, low, high = (post.get(f"{f.id}-{k}", "").strip() for k in ("central", "low", "high"))
    distribution = post.get(f"{f.id}-distribution", "").strip()
    if not (low or high):
        return number(central) if central or not distribution else REMOVE
    spec = {k: number(v) for k, v in (("low", low), ("central", central), ("high", high))}
    spec = {k: v for k, v in spec.items() if v is not REMOVE}
    if distribution:
        spec["distribution"] = distribution
    return spec


@dataclass
class Answers:
    """A page's answers read from a form: the draft they make, and problems found here."""

    data: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)  # input id -> message
    posted: dict[str, str] = field(default_factory=dict)


def read(step: Step, post: Mapping[str, str], data: dict[str, Any]) -> Answers:
    """The draft with this page's answers in it (a copy: the draft itself is not touched)."""
    out = copy.deepcopy(data)
    table = table_at(out, step.table, create=True)
    assert table is not None
    answers = Answers(
        out, posted={k: str(v) for k, v in post.items() if k != "csrfmiddlewaretoken"}
    )
    dropped: set[str] = set()
    kept: set[str] = set()
    fixed = _unshowable(step, table)
    for item in step.items:
        if isinstance(item, Mode):
            choice = post.get(item.id, "")
            if choice not in {o.value for o in item.options}:
                choice = item.chosen(table)
            kept |= item.keys(choice)
            dropped |= {f.key for o in item.options for f in o.fields} - item.keys(choice)
            fields = [f for o in item.options if o.value == choice for f in o.fields]
        else:
            fields = [item]
        for f in fields:
            if f.key not in fixed:
                _read_field(f, post, table, answers)
    for key in dropped - kept:
        table.pop(key, None)
    return answers


def _unshowable(step: Step, table: Mapping[str, Any]) -> set[str]:
    """Keys whose value no field of the page can show: left as they are in the file."""
    return {
        f.key
        for f in step.fields()
        if f.key in table
        and not any(fits(g, table[f.key]) for g in step.fields() if g.key == f.key)
    }


def _read_field(f: Field, post: Mapping[str, str], table: dict[str, Any], answers: Answers) -> None:
    if f.widget == "range":
        value = _range(post, f)
    elif f.widget == "numbers":
        value = _numbers(post.get(f.id, ""))
    elif f.widget == "number":
        value = number(post.get(f.id, ""))
    elif f.widget == "groups":
        value = _groups(post, f, answers)
    elif f.widget == "by_group":
        value = _by_group(post, f)
    else:
        text = post.get(f.id, "").strip()
        value = text if text else REMOVE
    if value is REMOVE:
        table.pop(f.key, None)
    else:
        table[f.key] = value


def _groups(post: Mapping[str, str], f: Field, answers: Answers) -> Any:
    groups: dict[str, Any] = {}
    for i in range(MAX_ROWS):
        name = post.get(f"{f.id}-name-{i}", "").strip()
        count = post.get(f"{f.id}-count-{i}", "").strip()
        if not (name or count):
            continue
        if not name:
            answers.errors[f"{f.id}-name-{i}"] = f"Give the age group in row {i + 1} a name"
        elif name in groups:
            answers.errors[f"{f.id}-name-{i}"] = f"The age group {name!r} is given twice"
        else:
            groups[name] = number(count) if count else ""
    return groups if groups else REMOVE


def _by_group(post: Mapping[str, str], f: Field) -> Any:
    out: dict[str, Any] = {}
    for group in f.groups:
        value = _range(post, Field(f.key, f.label, widget="range", name=f"{f.id}-{group}"))
        if value is not REMOVE:
            out[group] = value
    return out if out else REMOVE


# --- where a problem is ------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    slug: str  # the page to change it on ("" when no page asks it)
    anchor: str
    label: str
    message: str


def locate(problem: Problem, steps: Sequence[Step], data: Mapping[str, Any]) -> Located:
    """The page and input a problem is about, and the message to show beside it."""
    path = problem.path
    best: tuple[int, Step, Field] | None = None
    for step in steps:
        table = table_at(copy.deepcopy(dict(data)), step.table) or {}
        for f in _current_fields(step, table):
            field_path = f"{step.path}.{f.key}"
            if within(path, field_path) and (best is None or len(field_path) > best[0]):
                best = (len(field_path), step, f)
    if best is None:
        return Located(_list_slug(path), "", _label_for(path), problem.message)
    _, step, f = best
    rest = split_path(path)[len(split_path(f"{step.path}.{f.key}")) :]
    return Located(step.slug, _anchor(f, rest), f.label, problem.message)


def _current_fields(step: Step, table: Mapping[str, Any]) -> list[Field]:
    """The page's fields as it shows them now (the chosen option of each mode first)."""
    found: list[Field] = []
    for item in step.items:
        if isinstance(item, Mode):
            chosen = item.chosen(table)
            found += [f for o in item.options if o.value == chosen for f in o.fields]
            found += [
                f
                for o in item.options
                if o.value != chosen
                for f in o.fields
                if f.key not in {g.key for g in found}
            ]
        else:
            found.append(item)
    return found


def _anchor(f: Field, rest: Sequence[str | int]) -> str:
    parts = [str(p) for p in rest]
    if f.widget == "range":
        return (
            f"{f.id}-{parts[-1]}"
            if parts and parts[-1] in ("low", "high", "distribution")
            else f"{f.id}-central"
        )
    if f.widget == "by_group":
        group = parts[0] if parts else (f.groups[0] if f.groups else "")
        part = parts[1] if len(parts) > 1 and parts[1] in ("low", "high") else "central"
        return f"{f.id}-{group}-{part}"
    if f.widget == "groups":
        return f"{f.id}-name-0"
    return f.id


def _list_slug(path: str) -> str:
    """A problem with a whole list (two outcomes with one name) belongs to the page that lists
    them; one about a part of the file no page asks belongs to none."""
    for key, slug in (("outcome", "outcomes"), ("cost", "costs")):
        if within(path, f"intervention.{key}"):
            return slug
    return ""


LIST_LABELS = {"intervention.outcome": "Outcomes", "intervention.cost": "Costs"}


def _label_for(path: str) -> str:
    return LIST_LABELS.get(path, path or "The case file")


def message(label: str, text: str) -> str:
    """The CLI's message after the field's name: "Attrition must be between 0 and 1, got 1.4"."""
    if text.startswith(("must ", "is ", "needs ", "cannot ", "names ")):
        return f"{label} {text}"
    return f"{label}: {text}"


# --- a draft good enough to check one page -----------------------------------------------------


def completed(data: Mapping[str, Any]) -> dict[str, Any]:
    """The draft with stand-ins for what later pages will ask, so that checking a page finds
    this page's problems rather than "cohort is required" (the stand-ins are never saved)."""
    out = copy.deepcopy(dict(data))
    case = out.setdefault("case", {})
    case.setdefault("kind", "intervention")
    case.setdefault("title", "Untitled")
    intervention = out.setdefault("intervention", {})
    if "name" not in intervention and "library" not in intervention:
        intervention["name"] = "Untitled"
    intervention.setdefault("cohort", {"all": 1})
    intervention.setdefault("attrition", 0.0)
    if not intervention.get("outcome"):
        intervention["outcome"] = [STAND_IN_OUTCOME]
    return out


# An outcome that checks whatever the cohort, until the person gives their own (a case needs one).
STAND_IN_OUTCOME = {
    "name": "stand_in",
    "unit_cost": 1.0,
    "unit_cost_source": "stand-in",
    "success": 0.0,
}
