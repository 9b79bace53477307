"""An Algorithmic Transparency Recording Standard record (tier 1 and tier 2) and a draft DPIA
section, generated from the rule files, the model files and the dataset register.

Source of the structure: CDDO / DSIT Algorithmic Transparency Recording Standard v3.0 (2024):
tier 1 is a short public summary; tier 2 covers owner and responsibility, description and
rationale, decision making process, tool specification, data, and risks. Nothing here is typed
by hand: change the configuration and the record follows.
"""

from __future__ import annotations

from typing import Any

from upstream import sources
from upstream.identify.model import ModelConfig, ModelResult
from upstream.identify.rules import RuleSet

ORGANISATION = "Upstream city council and partners (synthetic demonstration)"
HUMAN_REVIEW = (
    "No decision is made by the tool. A flag is a prompt for a practitioner to look at the "
    "records and, where it is right to, offer help; they can mark it not relevant, already "
    "supported or disagree, with a reason. Override rates are reported per rule and model."
)
RISKS = [
    (
        "Wrongly flagging people (false positives), including children",
        "Rules are narrow and published; every flag shows its evidence; practitioners can override; precision is measured against synthetic truth and reviewed.",
    ),
    (
        "Missing people in need (false negatives), e.g. those not known to services",
        "Flags add to, never replace, professional judgement and self-referral; recall is reported.",
    ),
    (
        "Unfair treatment of groups (sex, ethnicity, age, disability)",
        "Fairness audit (fairlearn) by group for every rule set and model; models gated on tolerances written before training.",
    ),
    (
        "Function creep and use beyond purpose",
        "Purposes and lawful basis per dataset in the register; flags shown only to roles with a permitted purpose; every view audited.",
    ),
    ("Stale information", "Every flag lapses when its evidence leaves the look-back window."),
    (
        "Model drift or harm found later",
        "Kill switch withdraws a model or rule set everywhere at once and lists who saw its flags.",
    ),
]


def datasets() -> list[dict[str, Any]]:
    """The shipped dataset register (lawful basis per source), read as data."""
    return sources.register_entries()


def _sources(ruleset: RuleSet) -> list[str]:
    found = {p.split(":")[0] for n in ruleset.needs for p in n.events}
    # "*" is any source's events: the sources that record some (not the front door's).
    recording = {s.dataset for s in sources.catalogue() if s.events}
    return sorted(recording) if "*" in found else sorted(found)


def ruleset_record(ruleset: RuleSet, quality: list[dict[str, Any]]) -> dict[str, Any]:
    register = {d["code"]: d for d in datasets()}
    return {
        "tier_1": {
            "name": ruleset.title,
            "description": ruleset.summary,
            "organisation": ORGANISATION,
            "kind": "rule set (no machine learning)",
            "version": ruleset.version,
            "contact": ruleset.owner,
        },
        "tier_2": {
            "owner_and_responsibility": {
                "owner": ruleset.owner,
                "senior_responsible_owner": "Director of early help (to confirm)",
            },
            "description_and_rationale": {
                "summary": ruleset.summary,
                "references": list(ruleset.references),
            },
            "decision_making_process": {
                "human_review": HUMAN_REVIEW,
                "subject": ruleset.subject,
                "population": ruleset.population,
            },
            "tool_specification": {
                "rule_file": ruleset.path.rsplit("/", 1)[-1],
                "sha256": ruleset.sha256,
                "look_back_months": ruleset.lookback_months,
                "qualification": f"{ruleset.min_needs}+ needs"
                if ruleset.min_needs
                else "each need on its own",
                "needs": [
                    {
                        "id": n.id,
                        "label": n.label,
                        "evidence": list(n.events),
                        "min_events": n.min_events,
                        "min_cost": n.min_cost,
                        "ages": list(n.member_ages),
                    }
                    for n in ruleset.needs
                ],
            },
            "data": [
                {
                    "source": s,
                    "lawful_basis": register.get(s, {}).get("lawful_basis", "not in the register"),
                }
                for s in _sources(ruleset)
            ],
            "performance_against_synthetic_truth": quality,
            "risks": [{"risk": r, "mitigation": m} for r, m in RISKS],
        },
    }


def model_record(config: ModelConfig, result: ModelResult | None) -> dict[str, Any]:
    return {
        "tier_1": {
            "name": config.title,
            "description": f"{config.purpose} Predicts {config.target_label} within {config.horizon_months} months.",
            "organisation": ORGANISATION,
            "kind": f"predictive model ({config.algorithm})",
            "version": config.version,
            "status": result.status if result else "not trained",
        },
        "tier_2": {
            "owner_and_responsibility": {"owner": config.owner},
            "decision_making_process": {
                "human_review": HUMAN_REVIEW,
                "threshold": config.threshold,
                "quota": "none",
            },
            "tool_specification": {
                "algorithm": config.algorithm,
                "trained_on": str(config.train_as_of),
                "evaluated_on": str(config.evaluate_as_of),
                "features": "counts of service events by agency and type in the last "
                f"{config.feature_lookback_months} months, their cost, age, household size and children; never sex, ethnicity, disability, ward or names",
                "gates": config.gates,
                "gates_sha256": config.gates_sha256,
            },
            "performance": result.metrics if result else {},
            "gate_results": [c.__dict__ for c in result.checks] if result else [],
            "why_kept_out": result.reasons if result and result.status != "passed" else [],
            "risks": [{"risk": r, "mitigation": m} for r, m in RISKS],
        },
    }


def dpia_markdown(rulesets: list[RuleSet], models: list[ModelConfig]) -> str:
    register = {d["code"]: d for d in datasets()}
    used = sorted({s for r in rulesets for s in _sources(r)})
    lines = [
        "# Draft DPIA section: identification of need (generated)",
        "",
        "Generated from the rule files, model files and the dataset register; a data protection officer reviews and completes it.",
        "",
        "## Processing",
        "",
        "Linked service events from partner agencies are evaluated against published rule sets to find people and families who may benefit from a proactive offer of help.",
        "",
        "## Data used and lawful basis per source",
        "",
        "| source | controller | lawful basis |",
        "|---|---|---|",
    ]
    lines += [
        f"| {s} | {register.get(s, {}).get('controller', '?')} | {register.get(s, {}).get('lawful_basis', 'not in the register')} |"
        for s in used
    ]
    lines += [
        "",
        "## Purposes",
        "",
        "- Supporting a person or household (direct support) and safeguarding, by practitioners with a permitted purpose.",
        "- Pseudonymised analysis of need and cost by insight analysts (cohort reports carry counts, not names).",
        "",
        "## Rule sets and models",
        "",
    ]
    lines += [f"- **{r.title}** (`{r.id}` v{r.version}): {r.summary}" for r in rulesets]
    lines += [
        f"- **{m.title}** (`{m.id}` v{m.version}, model; shown only if its gates pass): {m.purpose}"
        for m in models
    ]
    lines += ["", "## Risks and mitigations", "", "| risk | mitigation |", "|---|---|"]
    lines += [f"| {r} | {m} |" for r, m in RISKS]
    lines += [
        "",
        "## Human review",
        "",
        HUMAN_REVIEW,
        "",
        "## Individual rights",
        "",
        "Every flag can be explained from source records on a card a practitioner could show the family; every view of a flag is recorded in the audit log.",
        "",
    ]
    return "\n".join(lines)


def transparency_markdown(records: list[dict[str, Any]]) -> str:
    lines = ["# Algorithmic transparency records (ATRS v3.0, generated)", ""]
    for record in records:
        t1, t2 = record["tier_1"], record["tier_2"]
        lines += [f"## {t1['name']}", "", "### Tier 1", ""]
        lines += [f"- **{k.replace('_', ' ')}**: {v}" for k, v in t1.items()]
        lines += ["", "### Tier 2", ""]
        for section, body in t2.items():
            lines += [
                f"#### {section.replace('_', ' ').capitalize()}",
                "",
                _markdown_value(body),
                "",
            ]
    return "\n".join(lines)


def _markdown_value(body: Any) -> str:
    if isinstance(body, dict):
        return "\n".join(f"- **{k.replace('_', ' ')}**: {_inline(v)}" for k, v in body.items())
    if isinstance(body, list):
        return "\n".join(f"- {_inline(v)}" for v in body) or "- (none)"
    return str(body)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_inline(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_inline(v) for v in value)
    return str(value)
