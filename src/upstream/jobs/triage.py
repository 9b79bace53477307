"""`upstream triage check` and `upstream triage suggest`: check a triage rule file against what
the rest of Upstream knows, and try the rules on a request's facts.

The rules are pure (`upstream.triage`) and may not read the directory or identify, which sit
above or beside them; this job may, so it hands them the directory's taxonomy and identify's
rule-set ids to check the file's need slugs and flags against.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from upstream.errors import InputError

if TYPE_CHECKING:
    from upstream.triage import Facts

triage_app = typer.Typer(
    help="The front door's triage rules: check a rule file, try the rules on a request.",
    no_args_is_help=True,
)


def directory_areas() -> dict[str, list[str]]:
    """The directory's need areas and their items, by slug."""
    from upstream.directory.taxonomy import AREAS

    return {area.slug: [item.slug for item in area.items] for area in AREAS}


def directory_needs() -> set[str]:
    areas = directory_areas()
    return set(areas) | {item for items in areas.values() for item in items}


def identify_flags() -> set[str]:
    """The rule sets `upstream identify` runs: the flags a person can carry."""
    from upstream.identify.rules import load_rulesets

    return {ruleset.id for ruleset in load_rulesets()}


@triage_app.command("check")
def check(
    file: Path | None = typer.Argument(
        None, help="A rule file (default: the bundled current version).", show_default=False
    ),
) -> None:
    """Check a rule file: its shape and every field, routes and teams, need slugs against the
    directory's taxonomy, flags against identify's rule sets, ids, priorities and one default
    rule. Prints "ok: N rules, version V", or one line per problem and exits 2."""
    from upstream.triage import check_rules, current_file, load_rules

    path = file or current_file()
    problems = check_rules(
        path, directory_needs(), known_areas=directory_areas(), known_flags=identify_flags()
    )
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(2)
    rules = load_rules(path)
    typer.echo(f"ok: {len(rules.rules)} rules, version {rules.rules_version} ({path})")


@triage_app.command("suggest")
def suggest_command(
    needs: str = typer.Option(
        "", "--needs", help="Needs, comma-separated directory slugs: items or areas."
    ),
    age: int | None = typer.Option(None, "--age", min=0, max=130, help="The person's age."),
    urgency: str = typer.Option("routine", "--urgency", help="routine, soon or urgent."),
    asked_by: str = typer.Option(
        "person", "--asked-by", help="person, family_or_friend or professional."
    ),
    channel: str = typer.Option(
        "phone", "--channel", help="web, phone, face_to_face, partner or proactive."
    ),
    what_matters: str = typer.Option("", "--what-matters", help="The person's own words."),
    flags: str = typer.Option("", "--flags", help="Identify flags, comma-separated."),
    repeat: bool = typer.Option(False, "--repeat", help="They asked before within 12 months."),
    already_involved: bool = typer.Option(
        False, "--already-involved", help="A key worker or team already works with them."
    ),
    ward: str = typer.Option("", "--ward", help="Their ward: picks a locality's team."),
    rules_file: Path | None = typer.Option(
        None, "--rules", help="A rule file (default: the bundled current version)."
    ),
) -> None:
    """Try the rules on a request's facts: print the suggested route, team, rule and why."""
    from upstream.triage import load_rules, suggest

    rules = load_rules(rules_file)
    facts = _facts(
        needs=_known(_listed(needs), directory_needs(), "--needs", "a need in the directory"),
        urgency=urgency,
        age=age,
        asked_by=asked_by,
        channel=channel,
        what_matters=what_matters,
        flags=_known(_listed(flags), identify_flags(), "--flags", "a rule set identify runs"),
        repeat=repeat,
        already_involved=already_involved,
        ward=ward.strip(),
    )
    suggestion = suggest(rules, facts)
    for label, value in (
        ("Route", f"{suggestion.route} ({rules.route_labels[suggestion.route]})"),
        ("Team", suggestion.team or "none (universal help has no team)"),
        ("Rule", suggestion.rule_id),
        ("Why", suggestion.why),
        ("Rules", f"{suggestion.rules_version} ({rules.path})"),
    ):
        typer.echo(f"{label}: {value}")
    typer.echo("The officer decides: this is only a suggestion.")


def _facts(**fields: Any) -> Facts:
    """The facts, with a refused one named as its option (`--urgency`, not `urgency`)."""
    from upstream.triage import Facts

    try:
        return Facts(**fields)
    except InputError as error:
        raise InputError(
            error.message, where=f"--{(error.where or '').replace('_', '-')}"
        ) from None


def _listed(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def _known(values: tuple[str, ...], known: set[str], option: str, what: str) -> tuple[str, ...]:
    for value in values:
        if value not in known:
            raise InputError(f"{value!r} is not {what}", where=option)
    return values


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")
