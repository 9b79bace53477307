"""The demo step "frontdoor": a synthetic year of front-door activity for the synthetic city.

`upstream.synth.activity` draws the year (pure, seeded by the city's seed); this writes it to
the operational database with the ORM in one transaction: provisional people, requests, joined
contacts, consent and its history, safeguarding concerns, connections and their answers, and
the working relationships open requests rest on (`Allocation`, basis `request`).

Synthetic rows are marked by their references: every synthetic request's starts `R-SYN-` and
every synthetic provisional person's `PP-SYN-` (the front door's own never do: theirs are
`R-` or `PP-` and eight random letters). Running the step again replaces the synthetic
requests and everything that hangs from them, and nothing else; provisional people are kept
by reference so a match made by `upstream frontdoor match` survives (their requests follow the
matched person, as matching would have moved them).

The demo partner professional and service provider are tied to directory organisations here
(`PartnerAccount`): the community NHS trust refers, the advice charity receives.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upstream.jobs.database import operational_database
from upstream.jobs.output import console

if TYPE_CHECKING:
    from upstream.accounts.models import User
    from upstream.accounts.roles import Role
    from upstream.synth.activity import Activity, Focus, Routing
    from upstream.triage import RuleSet

# The synthetic directory's organisations (upstream.directory.synthetic: uuid5 of their keys)
# the demo's partner professional and service provider work for: a community health trust's
# nurses and health visitors refer people; the advice charity runs several services
# (debt, benefits, housing and neighbourhood advice) and answers the connections.
PARTNER_KEY, PROVIDER_KEY = "nhs", "advice"
SYSTEM_ACTOR = "upstream-demo"


@dataclass(frozen=True)
class Loaded:
    counts: dict[str, int]
    skipped: str = ""

    def line(self) -> str:
        if self.skipped:
            return f"frontdoor: no synthetic activity ({self.skipped})"
        c = self.counts
        return (
            f"frontdoor: {c['requests']:,} requests and {c['contacts']:,} joined contacts over "
            f"a year ({c['open']:,} open), {c['connections']:,} connections, "
            f"{c['concerns']:,} safeguarding concerns, {c['provisional']:,} provisional people"
        )


def activity_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step (after identify): a year of synthetic front-door activity, replacing the last."""
    operational_database()
    from django.utils import timezone

    manifest = json.loads((city_dir / "manifest.json").read_text(encoding="utf-8"))
    loaded = load_activity(
        seed=int(manifest.get("seed", 0)), people=manifest.get("people"), now=timezone.now()
    )
    console().print(loaded.line(), highlight=False)


def load_activity(*, seed: int, now: datetime, people: int | None = None) -> Loaded:
    """Draw and write the year up to `now` (aware); returns what was written."""
    from django.db import transaction

    from upstream.accounts.demo import ensure_demo_users
    from upstream.people.models import Person
    from upstream.synth.activity import generate_activity

    if not Person.objects.exists():
        return Loaded({}, "no published people yet: run `upstream publish`")
    focus = _focus()
    if focus is None:
        return Loaded({}, "no directory yet: run `upstream directory load-synthetic`")
    with transaction.atomic():
        users = ensure_demo_users()
        _tie_partner_accounts(users, focus)
        activity = generate_activity(
            _residents(),
            _needs(),
            _offers(),
            _referrers(focus),
            focus,
            _routing(),
            now=_local(now),
            seed=seed,
            people=people,
        )
        remove_synthetic()
        counts = _write(activity, users)
        _audit(counts)
    return Loaded(counts)


def _local(moment: datetime) -> datetime:
    """The service's local time, naive (the generator's clock)."""
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None)


# --- What the generator draws from --------------------------------------------------------


def _residents() -> list[Any]:
    from upstream.flags.models import FlagMember
    from upstream.people.models import Person
    from upstream.synth.activity import Resident

    flags: dict[str, set[str]] = defaultdict(set)
    for person_id, ruleset in FlagMember.objects.values_list("person_id", "flag__ruleset_id"):
        flags[person_id].add(ruleset)
    rows = Person.objects.order_by("person_id").values_list(
        "person_id",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "current_postcode",
        "ward",
    )
    return [
        Resident(pid, given, family, born, sex, postcode, ward, tuple(sorted(flags[pid])))
        for pid, given, family, born, sex, postcode, ward in rows
        if given and family
    ]


def _needs() -> list[Any]:
    from upstream.directory.taxonomy import all_items
    from upstream.synth.activity import NeedTerm

    return [NeedTerm(i.slug, a.slug, i.min_age, i.max_age) for a, i in all_items()]


def _offers() -> list[Any]:
    from upstream.directory.models import Attribute, Service
    from upstream.synth.activity import Offer

    terms: dict[str, list[str]] = defaultdict(list)
    for service_id, code in Attribute.objects.values_list("service_id", "taxonomy_term__code"):
        terms[str(service_id)].append(code)
    services = (
        Service.objects.filter(status="active", organization__isnull=False)
        .order_by("id")
        .values_list("id", "organization_id", "minimum_age", "maximum_age")
    )
    return [
        Offer(str(sid), str(org), tuple(sorted(terms[str(sid)])), low, high)
        for sid, org, low, high in services
        if terms[str(sid)]
    ]


def _referrers(focus: Focus) -> list[Any]:
    """Directory organisations that refer people: everyone but the council itself."""
    from upstream.directory.models import Organization
    from upstream.frontdoor.consent import organisation_kind
    from upstream.synth.activity import Referrer

    return [
        Referrer(name, str(org_id))
        for org_id, name in Organization.objects.order_by("name").values_list("id", "name")
        if organisation_kind(name) != "council"
    ]


def _focus() -> Focus | None:
    """The organisations the demo partner professional and service provider work for: the
    synthetic directory's, else (a council's own directory) an NHS organisation and the
    voluntary organisation running the most services."""
    from django.db.models import Count

    from upstream.directory.models import Organization
    from upstream.directory.synthetic import NAMESPACE
    from upstream.frontdoor.consent import organisation_kind
    from upstream.synth.activity import Focus

    orgs = list(Organization.objects.annotate(services_run=Count("services")).order_by("name"))
    if not orgs:
        return None
    by_id = {o.id: o for o in orgs}

    def keyed(key: str) -> Organization | None:
        return by_id.get(uuid.uuid5(NAMESPACE, f"organization/{key}"))

    voluntary = [o for o in orgs if organisation_kind(o.name) == "voluntary"] or orgs
    provider = keyed(PROVIDER_KEY) or max(voluntary, key=lambda o: o.services_run)
    nhs = [o for o in orgs if organisation_kind(o.name) == "nhs" and o != provider]
    partner = keyed(PARTNER_KEY) or (nhs or [o for o in orgs if o != provider] or orgs)[0]
    from upstream.accounts.demo import DEMO_TEAM

    return Focus(DEMO_TEAM, str(partner.id), partner.name, str(provider.id))


def _tie_partner_accounts(users: dict[Role, User], focus: Focus) -> None:
    from upstream.accounts.roles import Role
    from upstream.frontdoor.models import PartnerAccount

    for role, org in (
        (Role.PARTNER_PROFESSIONAL, focus.partner_organisation_id),
        (Role.SERVICE_PROVIDER, focus.provider_organisation_id),
    ):
        PartnerAccount.objects.update_or_create(user=users[role], defaults={"organisation_id": org})


def _routing() -> Routing:
    from upstream.triage import load_rules

    return routing_for(load_rules())


def routing_for(rules: RuleSet) -> Routing:
    """Triage as the officer's page asks it: the rule set's suggestion from a request's facts
    (only the fields `Facts` has), its teams by route and the early-help localities' wards."""
    from upstream.synth.activity import Routing
    from upstream.triage import Facts, suggest

    known = {f.name for f in fields(Facts)}

    def suggestion(**facts: Any) -> Any:
        return suggest(rules, Facts(**{k: v for k, v in facts.items() if k in known}))

    teams: dict[str, list[str]] = defaultdict(list)
    ward_teams: dict[str, str] = {}
    for name, team in rules.teams.items():
        teams[team.route].append(name)
        if team.route == "targeted" and name.startswith("Early help"):
            ward_teams.update({ward: name for ward in team.wards})
    return Routing(suggestion, {k: tuple(v) for k, v in teams.items()}, ward_teams)


# --- Replacing the synthetic rows ---------------------------------------------------------


def remove_synthetic() -> dict[str, int]:
    """Remove the synthetic requests, what hangs from them and the working relationships
    they opened. Their histories are append-only rows (never changed one by one); removing
    them whole with the synthetic requests they belong to is replacing the demo, not editing
    a history. A real request marked a repeat of a synthetic one loses only that mark."""
    from upstream.frontdoor.models import (
        Connection,
        ConnectionEvent,
        Consent,
        ConsentEvent,
        Request,
        SafeguardingConcern,
    )
    from upstream.jobs.conversations_activity import remove_synthetic as remove_conversations
    from upstream.synth.activity import REQUEST_PREFIX

    remove_conversations()  # conversations (issue 13) protect the requests they started from
    synthetic = Request.objects.filter(reference__startswith=REQUEST_PREFIX)
    removed = {"allocations": _remove_allocations(synthetic)}
    Request.objects.filter(repeat_of__in=synthetic).update(repeat_of=None)
    ConnectionEvent.objects.filter(connection__request__in=synthetic).delete()
    Connection.objects.filter(request__in=synthetic).delete()
    ConsentEvent.objects.filter(consent__request__in=synthetic).delete()
    Consent.objects.filter(request__in=synthetic).delete()
    SafeguardingConcern.objects.filter(request__in=synthetic).delete()
    removed["requests"] = synthetic.delete()[1].get("frontdoor.Request", 0)
    return removed


def _remove_allocations(synthetic: Any) -> int:
    """The allocations the synthetic requests opened, found as they were made: the front
    door's while a request awaits triage, the team's while it waits on a list."""
    from django.db.models import Q

    from upstream.accounts.roles import FRONT_DOOR_TEAM
    from upstream.governance.models import Allocation

    made = []
    rows = synthetic.exclude(person_id="").values_list(
        "person_id", "team", "received_at", "triaged_at"
    )
    for person, team, received, triaged in rows:
        made.append(Q(person_id=person, team=FRONT_DOOR_TEAM, allocated_at=received))
        if team and triaged:
            made.append(Q(person_id=person, team=team, allocated_at=triaged))
    removed = 0
    for start in range(0, len(made), 200):
        either = Q()
        for condition in made[start : start + 200]:
            either |= condition
        query = Allocation.objects.filter(either, basis=Allocation.Basis.REQUEST)
        removed += query.delete()[0]
    return removed


# --- Writing the year ---------------------------------------------------------------------


def _write(activity: Activity, users: dict[Role, User]) -> dict[str, int]:
    from upstream.jobs.frontdoor_activity_rows import Rows

    return Rows(activity, users).write()


def _audit(counts: dict[str, int]) -> None:
    from upstream.governance.audit import Actor, Event, record

    record(
        Actor(SYSTEM_ACTOR, "system"),
        Event(action="frontdoor.synthetic-activity", purpose="demo", detail=counts),
    )
