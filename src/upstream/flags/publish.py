"""Publish the identify workspace to the operational database (whole-table replace).

Rows are read from the workspace by column name (`Workspace.reading`), the same way people and
households are published from the insight workspace (`upstream.people.publish`). Django must
be set up first: the identify job does that (`upstream.jobs`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from upstream import sources
from upstream.errors import InputError
from upstream.flags.models import Flag, FlagMember, IdentifyRun
from upstream.identify.model import ModelConfig, load_model_configs
from upstream.identify.rules import load_rulesets
from upstream.insight.workspace import Reader, Row, Workspace

# The flags table's columns that are `Flag` fields of the same name.
FLAG_FIELDS = (
    "flag_id",
    "ruleset_id",
    "ruleset_version",
    "kind",
    "code",
    "label",
    "subject_type",
    "subject_id",
    "raised_on",
    "lapses_on",
    "score",
)
FLAGS_SQL = f"SELECT {', '.join(FLAG_FIELDS)}, needs FROM flags WHERE as_of = ?"
MEMBERS_SQL = (
    "SELECT m.flag_id, m.person_id FROM flag_members m JOIN flags f USING (flag_id) "
    "WHERE f.as_of = ?"
)
EVIDENCE_SQL = (
    "SELECT e.flag_id, e.need_id, e.event_id, e.person_id, e.source, e.event_type, "
    "e.event_date, e.cost FROM evidence e JOIN flags f USING (flag_id) "
    "WHERE f.as_of = ? ORDER BY e.event_date DESC"
)


def _evidence(row: Row, agencies: dict[str, str], events: dict[tuple[str, str], str]) -> Row:
    """One record behind a need, as the card shows it: agency and event in plain English."""
    source, kind = row["source"], row["event_type"]
    return {
        "event_id": row["event_id"],
        "person_id": row["person_id"],
        "agency": agencies.get(source, source),
        "event": events.get((source, kind), kind),
        "date": str(row["event_date"]),
        "cost": row["cost"],
    }


def _cards(read: Reader, as_of: date) -> dict[str, dict[str, Any]]:
    """Each rule flag's card: the needs met, each with the records behind it (newest first)."""
    needs = {(r.id, n.id): n for r in load_rulesets() for n in r.needs}
    agencies, events = sources.labels(), sources.event_labels()
    evidence: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in read.rows(EVIDENCE_SQL, [as_of]):
        evidence[row["flag_id"]][row["need_id"]].append(_evidence(row, agencies, events))
    cards: dict[str, dict[str, Any]] = {}
    for flag_id, by_need in evidence.items():
        ruleset = flag_id.split("/")[0]
        cards[flag_id] = {
            "needs": [
                {
                    "id": n,
                    "label": needs[(ruleset, n)].label if (ruleset, n) in needs else n,
                    "explain": needs[(ruleset, n)].explain if (ruleset, n) in needs else "",
                    "evidence": e,
                }
                for n, e in by_need.items()
            ]
        }
    return cards


def _model_card(flag: Row, models: dict[str, ModelConfig]) -> dict[str, Any]:
    config = models.get(flag["ruleset_id"])
    score = flag["score"]
    return {
        "model": True,
        "explain": f"A model estimated a {score:.0%} chance of {config.target_label} in the next "
        f"{config.horizon_months} months."
        if config and score is not None
        else "",
        "top_factors": list(flag["needs"] or []),
        "needs": [],
    }


def _flag(row: Row, run: IdentifyRun, card: dict[str, Any]) -> Flag:
    fields = {name: row[name] for name in FLAG_FIELDS}
    return Flag(**fields, flag_key=row["flag_id"].rsplit("/", 1)[0], run=run, card=card)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _run(summary: dict[str, Any], out_dir: Path) -> IdentifyRun:
    """The run record, with the reports the flags pages show beside the flags."""
    report = out_dir / "report"
    return IdentifyRun.objects.create(
        as_of=date.fromisoformat(summary["as_of"]),
        input_kind=summary["input_kind"],
        workspace=str(out_dir),
        summary=summary,
        report=json.loads(_text(report / "report.json") or "{}"),
        transparency=json.loads(_text(report / "transparency.json") or "[]"),
        transparency_markdown=_text(report / "transparency.md"),
        dpia_markdown=_text(report / "dpia.md"),
        fairness_csv=_text(report / "fairness-audit.csv"),
    )


def publish_workspace(out_dir: Path) -> dict[str, int]:
    """Replace the published flags with the workspace's latest date; keep overrides."""
    workspace = Workspace.identify(out_dir)
    with workspace.reading() as read:
        run_row = read.first("SELECT summary FROM run")
        if run_row is None:
            raise InputError("the identify workspace records no run", where=str(workspace.path))
        summary = json.loads(run_row["summary"])
        as_of = date.fromisoformat(summary["as_of"])
        cards = _cards(read, as_of)
        flags = read.all(FLAGS_SQL, [as_of])
        members = read.all(MEMBERS_SQL, [as_of])
    models = {m.id: m for m in load_model_configs()}
    with transaction.atomic():
        FlagMember.objects.all().delete()
        Flag.objects.all().delete()
        IdentifyRun.objects.all().delete()
        run = _run(summary, out_dir)
        Flag.objects.bulk_create(
            [_flag(f, run, cards.get(f["flag_id"]) or _model_card(f, models)) for f in flags],
            batch_size=2000,
        )
        FlagMember.objects.bulk_create(
            [FlagMember(flag_id=m["flag_id"], person_id=m["person_id"]) for m in members],
            batch_size=5000,
        )
    return {"flags": len(flags), "flag_members": len(members)}
