"""Publish the identify workspace to the operational database (whole-table replace)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from upstream import sources
from upstream.identify.model import load_model_configs
from upstream.identify.rules import load_rulesets


def setup_django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.web.settings")
        django.setup()


def _cards(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, dict[str, Any]]:
    needs = {(r.id, n.id): n for r in load_rulesets() for n in r.needs}
    agencies = sources.labels()
    labels = sources.event_labels()
    evidence: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    rows = con.execute(
        "SELECT e.flag_id, f.ruleset_id, e.need_id, e.event_id, e.person_id, e.source, "
        "e.event_type, e.event_date, e.cost FROM evidence e JOIN flags f USING (flag_id) "
        "WHERE f.as_of = ? ORDER BY e.event_date DESC",
        [as_of],
    ).fetchall()
    for flag_id, _ruleset, need, event_id, person, source, kind, when, cost in rows:
        evidence[flag_id][need].append(
            {
                "event_id": event_id,
                "person_id": person,
                "agency": agencies.get(source, source),
                "event": labels.get((source, kind), kind),
                "date": str(when),
                "cost": cost,
            }
        )
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


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def publish_workspace(out_dir: Path) -> dict[str, int]:
    """Replace the published flags with the workspace's latest date; keep overrides."""
    setup_django()
    from django.db import transaction

    from upstream.flags.models import Flag, FlagMember, IdentifyRun

    con = duckdb.connect(str(out_dir / "identify.duckdb"), read_only=True)
    summary = json.loads(con.execute("SELECT summary FROM run").fetchall()[0][0])
    as_of = date.fromisoformat(summary["as_of"])
    cards = _cards(con, as_of)
    models = {m.id: m for m in load_model_configs()}
    flags = con.execute(
        "SELECT flag_id, ruleset_id, ruleset_version, kind, code, label, subject_type, "
        "subject_id, needs, raised_on, lapses_on, score FROM flags WHERE as_of = ?",
        [as_of],
    ).fetchall()
    members = con.execute(
        "SELECT m.flag_id, m.person_id FROM flag_members m JOIN flags f USING (flag_id) "
        "WHERE f.as_of = ?",
        [as_of],
    ).fetchall()
    con.close()
    report = out_dir / "report"
    with transaction.atomic():
        FlagMember.objects.all().delete()
        Flag.objects.all().delete()
        IdentifyRun.objects.all().delete()
        run = IdentifyRun.objects.create(
            as_of=as_of,
            input_kind=summary["input_kind"],
            workspace=str(out_dir),
            summary=summary,
            report=json.loads(_text(report / "report.json") or "{}"),
            transparency=json.loads(_text(report / "transparency.json") or "[]"),
            transparency_markdown=_text(report / "transparency.md"),
            dpia_markdown=_text(report / "dpia.md"),
            fairness_csv=_text(report / "fairness-audit.csv"),
        )
        Flag.objects.bulk_create(
            [
                Flag(
                    flag_id=f[0],
                    flag_key=f[0].rsplit("/", 1)[0],
                    run=run,
                    ruleset_id=f[1],
                    ruleset_version=f[2],
                    kind=f[3],
                    code=f[4],
                    label=f[5],
                    subject_type=f[6],
                    subject_id=f[7],
                    raised_on=f[9],
                    lapses_on=f[10],
                    score=f[11],
                    card=cards.get(f[0]) or _model_card(f, models),
                )
                for f in flags
            ],
            batch_size=2000,
        )
        FlagMember.objects.bulk_create(
            [FlagMember(flag_id=m[0], person_id=m[1]) for m in members], batch_size=5000
        )
    return {"flags": len(flags), "flag_members": len(members)}


def _model_card(flag: tuple[Any, ...], models: dict[str, Any]) -> dict[str, Any]:
    config = models.get(flag[1])
    return {
        "model": True,
        "explain": f"A model estimated a {flag[11]:.0%} chance of {config.target_label} in the next "
        f"{config.horizon_months} months."
        if config and flag[11] is not None
        else "",
        "top_factors": list(flag[8] or []),
        "needs": [],
    }
