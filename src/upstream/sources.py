"""The source catalogue: each agency source named once.

A source is one agency's extract (housing, police, the Jobcentre...), or the council front
door's extract of people it does not know yet (provisional: identities only, no events). The
catalogue (`data/sources.toml`) gives each its code, the label people read, its entry in the
dataset register, its extract contract and the event types it records with their plain-English
names.
Rules, flag cards, ingest, the register and the synthetic city all read it here, so a new
source is added in one place. The shipped dataset register (`data/datasets.toml`) sits beside
it, read here too. Pure Python, on the ground floor: it imports nothing of ours
but the errors. Format: docs/sources.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from upstream.errors import InputError

CATALOGUE_FILE = "data/sources.toml"
# The dataset register as shipped: each source's dataset, controller, lawful basis and permitted
# uses. Governance loads it into the operational database (checking purposes and roles); it sits
# here, beside the catalogue, so the core can cite a source's lawful basis without reaching up.
REGISTER_FILE = "data/datasets.toml"
FIELDS = ("code", "label", "dataset", "contract")


@dataclass(frozen=True)
class Source:
    code: str  # as records carry it: "housing:12345"
    label: str  # what people read: "Jobcentre (DWP)"
    dataset: str  # the dataset register's code for it
    contract: str  # the extract contract ingest validates against (insight/contracts/)
    events: Mapping[str, str]  # event type -> plain-English name, in catalogue order
    # Identities as people gave them, not yet known to be anyone (the front door's provisional
    # people): linkage joins them to the people other sources make, never makes one of them
    # alone; no agency sends the extract, so the synthetic city makes none.
    provisional: bool = False

    def event_label(self, event_type: str) -> str:
        """The event's plain-English name; its code when the catalogue does not know it."""
        return self.events.get(event_type, event_type)


def _source(raw: dict[str, Any], where: str) -> Source:
    for key in FIELDS:
        if not raw.get(key):
            raise InputError(f"a source has no `{key}`", where=where)
    # An identity-only source records no events (the front door's provisional people); every
    # agency source records some, so only a provisional source may leave them out.
    provisional = raw.get("provisional", False)
    if not isinstance(provisional, bool):
        raise InputError(f"source {raw['code']}: `provisional` is true or false", where=where)
    events = raw.get("events", {})
    if not events and not provisional:
        raise InputError(f"source {raw['code']}: an agency source has `events`", where=where)
    if not all(isinstance(v, str) and v for v in events.values()):
        raise InputError(f"source {raw['code']}: every event type needs a name", where=where)
    return Source(
        code=str(raw["code"]),
        label=str(raw["label"]),
        dataset=str(raw["dataset"]),
        contract=str(raw["contract"]),
        events=MappingProxyType(dict(events)),
        provisional=provisional,
    )


def parse_catalogue(text: str, where: str = CATALOGUE_FILE) -> tuple[Source, ...]:
    """Every source in a catalogue's text; a missing field or a repeated code is an error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=where) from error
    sources = tuple(_source(raw, where) for raw in data.get("source", []))
    codes = [s.code for s in sources]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InputError(f"a source is named twice: {', '.join(repeated)}", where=where)
    return sources


@cache
def catalogue() -> tuple[Source, ...]:
    """The shipped catalogue, in its order (the order extracts are listed and made in)."""
    text = resources.files("upstream").joinpath(CATALOGUE_FILE).read_text("utf-8")
    return parse_catalogue(text)


def codes() -> tuple[str, ...]:
    return tuple(s.code for s in catalogue())


def agency_codes() -> tuple[str, ...]:
    """The sources agencies send extracts of (every source but the provisional ones)."""
    return tuple(s.code for s in catalogue() if not s.provisional)


def provisional_codes() -> tuple[str, ...]:
    """The sources of identities not yet known to be anyone (see `Source.provisional`)."""
    return tuple(s.code for s in catalogue() if s.provisional)


def source(code: str) -> Source:
    """One source by its code; an unknown code is an error that names it."""
    for entry in catalogue():
        if entry.code == code:
            return entry
    raise InputError(f"no source {code!r} in the source catalogue", where=CATALOGUE_FILE)


def labels() -> dict[str, str]:
    """Every source's code and the label people read, in catalogue order."""
    return {s.code: s.label for s in catalogue()}


def event_labels() -> dict[tuple[str, str], str]:
    """(source, event type) -> the event's plain-English name, for every source."""
    return {(s.code, kind): name for s in catalogue() for kind, name in s.events.items()}


def datasets() -> dict[str, str]:
    """Every source's code and its dataset register entry."""
    return {s.code: s.dataset for s in catalogue()}


def register_text() -> str:
    """The shipped dataset register's text (`data/datasets.toml`)."""
    return resources.files("upstream").joinpath(REGISTER_FILE).read_text("utf-8")


def register_entries() -> list[dict[str, Any]]:
    """The shipped register's datasets, as data: code, name, controller, lawful basis, uses."""
    entries: list[dict[str, Any]] = tomllib.loads(register_text()).get("dataset", [])
    return entries
