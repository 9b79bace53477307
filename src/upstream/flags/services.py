"""Reading and writing flags: a person's live flags, narrowing a card to what one viewer may
see, auditing a view, overrides, override rates, the kill switch and who saw a withdrawn rule
set's or model's flags. Access to a person's flags is the person record's access decision
(`governance.access.decide`), which the casework services ask before they call these (one door
to personal data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from upstream import sources
from upstream.accounts.roles import Role
from upstream.flags.models import Flag, FlagMember, FlagSighting, KillSwitch, Override
from upstream.governance import audit

# Who may see the cohort report and the transparency page. Whether a viewer may see one
# person's flags is not decided here: that is the person record's access decision
# (`governance.access.decide`, one door to personal data); this module only reads flags.
ANALYST_ROLES = frozenset({Role.ANALYST, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR})
GOVERNANCE_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR, Role.ANALYST})

# Evidence rows carry the agency's label (what the card shows); the source code behind it.
SOURCE_FOR_AGENCY = {label: code for code, label in sources.labels().items()}


@dataclass
class FlagCard:
    """A flag as one viewer may see it: the needs with the evidence rows shown, and how many
    rows about other people were left out because the viewer may not open their records."""

    flag: Flag
    overrides: list[Override] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    rows_withheld: int = 0

    @property
    def is_model(self) -> bool:
        return self.flag.kind == "model"

    @property
    def lapsed(self) -> bool:
        return bool(self.flag.lapses_on and self.flag.lapses_on < date.today())

    @property
    def sources(self) -> set[str]:
        """The source codes of every record behind the flag (before any row is withheld)."""
        return {
            SOURCE_FOR_AGENCY.get(e.get("agency", ""), e.get("agency", ""))
            for need in self.flag.card.get("needs", [])
            for e in need.get("evidence", [])
            if e.get("agency")
        }

    @property
    def people(self) -> set[str]:
        """Everyone whose records the card shows."""
        return {e["person_id"] for n in self.needs for e in n["evidence"] if e.get("person_id")}


def withdrawn_targets() -> set[str]:
    latest: dict[str, bool] = {}
    for target, withdrawn in KillSwitch.objects.order_by("at", "id").values_list(
        "target", "withdrawn"
    ):
        latest[target] = withdrawn
    return {t for t, w in latest.items() if w}


def live_flags(person_id: str) -> list[FlagCard]:
    """The person's live flags with their cards and overrides, unfiltered and unaudited: the
    caller has decided access and narrows them with `within` before anyone sees them.
    Withdrawn rule sets and models never show."""
    withdrawn = withdrawn_targets()
    flag_ids = FlagMember.objects.filter(person_id=person_id).values_list("flag_id", flat=True)
    flags = [
        f
        for f in Flag.objects.filter(flag_id__in=flag_ids).order_by("kind", "ruleset_id", "code")
        if f.ruleset_id not in withdrawn
    ]
    overrides: dict[str, list[Override]] = {}
    for o in Override.objects.filter(flag_key__in=[f.flag_key for f in flags], person_id=person_id):
        overrides.setdefault(o.flag_key, []).append(o)
    return [FlagCard(f, overrides.get(f.flag_key, [])) for f in flags]


def within(
    card: FlagCard, person_id: str, covered: Callable[[str], bool], visible: set[str]
) -> FlagCard | None:
    """The card as this viewer may see it, or None when any record behind it comes from a
    source the viewer's purpose does not cover (purpose limitation: a flag that cannot be
    explained from what the viewer may see is not shown). Rows about other people (a
    household flag's evidence) are kept only for people the viewer may open."""
    if not all(covered(source) for source in card.sources):
        return None
    needs, withheld, allowed = [], 0, visible | {person_id}
    for need in card.flag.card.get("needs", []):
        rows = need.get("evidence", [])
        kept = [e for e in rows if e.get("person_id", person_id) in allowed]
        withheld += len(rows) - len(kept)
        needs.append({**need, "evidence": kept})
    return FlagCard(card.flag, card.overrides, needs, withheld)


def record_flag_view(
    actor: audit.Actor, person_id: str, cards: list[FlagCard], *, purpose: str, view: str
) -> None:
    """Audit a view of flags (naming everyone whose records the cards showed) and note who saw
    each rule set's flags, so a withdrawn rule set's viewers can be told."""
    shown = sorted({person_id} | {p for c in cards for p in c.people})
    audit.record(
        actor,
        audit.Event(
            action="flag_view",
            person=person_id,
            purpose=purpose,
            people_shown=tuple(shown),
            detail={"flags": [c.flag.flag_id for c in cards], "view": view},
        ),
    )
    FlagSighting.objects.bulk_create(
        [
            FlagSighting(
                flag_id=c.flag.flag_id,
                ruleset_id=c.flag.ruleset_id,
                person_id=person_id,
                viewer=actor.username,
                viewer_role=actor.role,
            )
            for c in cards
        ]
    )


def record_override(
    actor: audit.Actor, flag: Flag, person_id: str, kind: str, reason: str, user: Any
) -> Override:
    override = Override.objects.create(
        flag_key=flag.flag_key,
        ruleset_id=flag.ruleset_id,
        ruleset_version=flag.ruleset_version,
        person_id=person_id,
        kind=kind,
        reason=reason,
        by=user,
        by_role=getattr(user, "role", ""),
    )
    audit.record(
        actor,
        audit.Event(
            action="flag_override",
            person=person_id,
            reason=reason,
            detail={"flag": flag.flag_id, "kind": kind},
        ),
    )
    return override


def override_rates() -> list[dict[str, Any]]:
    """Per rule set or model: flags published, overrides by kind, and the rate."""
    flags = dict(Flag.objects.values_list("ruleset_id").annotate(n=Count("flag_id")))
    rows: dict[str, dict[str, Any]] = {
        r: {"ruleset_id": r, "flags": n, "overrides": 0} for r, n in flags.items()
    }
    for ruleset, kind, n in Override.objects.values_list("ruleset_id", "kind").annotate(
        n=Count("id")
    ):
        row = rows.setdefault(ruleset, {"ruleset_id": ruleset, "flags": 0, "overrides": 0})
        row[kind] = n
        row["overrides"] += n
    for row in rows.values():
        row["rate"] = round(row["overrides"] / row["flags"], 3) if row["flags"] else None
    return sorted(rows.values(), key=lambda r: r["ruleset_id"])


def set_kill_switch(
    target: str, withdrawn: bool, reason: str, user: Any, request: HttpRequest | None = None
) -> KillSwitch:
    switch = KillSwitch.objects.create(target=target, withdrawn=withdrawn, reason=reason, by=user)
    actor = audit.Actor.for_user(user, request)
    audit.record(
        actor,
        audit.Event(
            action="flag_kill_switch",
            reason=reason,
            detail={"target": target, "withdrawn": withdrawn},
        ),
    )
    return switch


def who_saw(target: str) -> list[dict[str, Any]]:
    """Everyone who saw a flag from this rule set or model: whom to tell if it is withdrawn."""
    rows = (
        FlagSighting.objects.filter(ruleset_id=target)
        .values("viewer", "viewer_role", "person_id")
        .annotate(times=Count("id"))
        .order_by("viewer", "person_id")
    )
    return [dict(row) for row in rows]
