"""What the pages and the casework person page call: flags for a person (audited), overrides,
override rates, the kill switch and who saw a withdrawn rule set's or model's flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from upstream.accounts.roles import Role
from upstream.flags.models import Flag, FlagMember, FlagSighting, KillSwitch, Override
from upstream.governance import audit

# Who may see a person's flags: the roles that work with people, and the DPO for subject
# access. The casework page decides first whether the viewer may see the person at all.
FLAG_ROLES = frozenset(
    {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER, Role.DATA_PROTECTION_OFFICER}
)
ANALYST_ROLES = frozenset({Role.ANALYST, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR})
GOVERNANCE_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR, Role.ANALYST})


@dataclass
class FlagCard:
    flag: Flag
    overrides: list[Override] = field(default_factory=list)

    @property
    def needs(self) -> list[dict[str, Any]]:
        needs: list[dict[str, Any]] = self.flag.card.get("needs", [])
        return needs

    @property
    def is_model(self) -> bool:
        return self.flag.kind == "model"

    @property
    def lapsed(self) -> bool:
        return bool(self.flag.lapses_on and self.flag.lapses_on < date.today())


def withdrawn_targets() -> set[str]:
    latest: dict[str, bool] = {}
    for target, withdrawn in KillSwitch.objects.order_by("at", "id").values_list(
        "target", "withdrawn"
    ):
        latest[target] = withdrawn
    return {t for t, w in latest.items() if w}


def flags_for_person(
    person_id: str, viewer: Any, request: HttpRequest | None = None
) -> list[FlagCard]:
    """The person's live flags with their cards; each view is audited. Withdrawn rule sets and
    models never show. Empty for roles that do not work with people."""
    if Role(getattr(viewer, "role", "citizen")) not in FLAG_ROLES:
        return []
    withdrawn = withdrawn_targets()
    flag_ids = FlagMember.objects.filter(person_id=person_id).values_list("flag_id", flat=True)
    flags = [
        f
        for f in Flag.objects.filter(flag_id__in=flag_ids).order_by("kind", "ruleset_id", "code")
        if f.ruleset_id not in withdrawn
    ]
    if not flags:
        return []
    actor = audit.Actor.for_user(viewer, request)
    audit.record(
        actor,
        audit.Event(
            action="flag_view", person=person_id, detail={"flags": [f.flag_id for f in flags]}
        ),
    )
    FlagSighting.objects.bulk_create(
        [
            FlagSighting(
                flag_id=f.flag_id,
                ruleset_id=f.ruleset_id,
                person_id=person_id,
                viewer=actor.username,
                viewer_role=actor.role,
            )
            for f in flags
        ]
    )
    overrides: dict[str, list[Override]] = {}
    for o in Override.objects.filter(flag_key__in=[f.flag_key for f in flags], person_id=person_id):
        overrides.setdefault(o.flag_key, []).append(o)
    return [FlagCard(f, overrides.get(f.flag_key, [])) for f in flags]


def record_override(
    flag: Flag,
    person_id: str,
    kind: str,
    reason: str,
    user: Any,
    request: HttpRequest | None = None,
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
    actor = audit.Actor.for_user(user, request)
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
