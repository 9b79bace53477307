"""The optional gated model: trained with scikit-learn, shown only if it passes gates written
down before training, on a later period than training.

Gates (from the model's TOML file): precision and recall at the threshold, calibration
(expected calibration error), a fairlearn audit (selection rate, false positive and false
negative rates by sex, ethnicity, age band and disability where known) within tolerances, and
beating the rules on the same period. A failed gate keeps the model out and says why; the
`enabled` switch withdraws it. No quota: everyone above the threshold is scored, nobody else.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from upstream.errors import InputError
from upstream.identify import engine

AGE_BANDS = [(16, 24), (25, 34), (35, 49), (50, 64), (65, 200)]


@dataclass(frozen=True)
class ModelConfig:
    id: str
    version: str
    title: str
    purpose: str
    owner: str
    enabled: bool
    algorithm: str
    population: str
    target_events: tuple[str, ...]
    target_label: str
    horizon_months: int
    feature_lookback_months: int
    train_as_of: date
    evaluate_as_of: date
    threshold: float
    compare_with_rules: tuple[str, ...]
    gates: dict[str, Any]
    gates_sha256: str
    path: str


def load_model_config(path: Path) -> ModelConfig:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    m, gates = data.get("model", {}), data.get("gates", {})
    try:
        config = ModelConfig(
            id=m["id"],
            version=str(m["version"]),
            title=m["title"],
            purpose=m["purpose"],
            owner=m.get("owner", ""),
            enabled=bool(m.get("enabled", True)),
            algorithm=m.get("algorithm", ""),
            population=m.get("population", "adults"),
            target_events=tuple(m["target_events"]),
            target_label=m.get("target_label", "the target event"),
            horizon_months=int(m["horizon_months"]),
            feature_lookback_months=int(m["feature_lookback_months"]),
            train_as_of=date.fromisoformat(m["train_as_of"]),
            evaluate_as_of=date.fromisoformat(m["evaluate_as_of"]),
            threshold=float(m["threshold"]),
            compare_with_rules=tuple(m.get("compare_with_rules", ())),
            gates=gates,
            gates_sha256=hashlib.sha256(json.dumps(gates, sort_keys=True).encode()).hexdigest(),
            path=str(path),
        )
    except KeyError as error:
        raise InputError(f"the model file has no {error.args[0]}", where=str(path)) from error
    if config.evaluate_as_of <= config.train_as_of:
        raise InputError("evaluate_as_of must be later than train_as_of", where=str(path))
    if not gates:
        raise InputError("no [gates]: write the gates down before training", where=str(path))
    return config


def load_model_configs(folder: Path | None = None) -> list[ModelConfig]:
    folder = folder or Path(str(resources.files("upstream.identify") / "models"))
    return [load_model_config(p) for p in sorted(folder.glob("*.toml"))]


def _patterns_sql(patterns: tuple[str, ...]) -> str:
    parts = []
    for p in patterns:
        source, _, kind = p.partition(":")
        parts.append(
            f"(source = '{source}'"
            + (f" AND event_type = '{kind}')" if kind not in ("", "*") else ")")
        )
    return " OR ".join(parts)


def dataset(con: duckdb.DuckDBPyConnection, config: ModelConfig, as_of: date) -> pd.DataFrame:
    """One row per person in the population on `as_of`: features from the look-back window,
    protected attributes (for the audit only) and the outcome in the horizon after."""
    engine.prepare(con)
    engine.snapshot_population(con, as_of)
    where = engine.POPULATION_FILTERS[config.population]
    frame = con.execute(
        f"""
        WITH pop AS (SELECT * FROM population WHERE as_of = $as_of AND {where}),
        past AS (
            SELECT person_id, source || ':' || event_type AS kind, count(*) AS n, sum(cost) AS cost
            FROM events WHERE event_date > $as_of - INTERVAL {config.feature_lookback_months} MONTH
                          AND event_date <= $as_of
            GROUP BY ALL),
        wide AS (SELECT person_id, map_from_entries(list((kind, n))) AS counts, sum(cost) AS cost
                 FROM past GROUP BY person_id),
        outcome AS (
            SELECT DISTINCT person_id FROM events
            WHERE event_date > $as_of AND event_date <= $as_of + INTERVAL {config.horizon_months} MONTH
              AND ({_patterns_sql(config.target_events)}))
        SELECT p.person_id, p.age, p.hh_size, p.hh_children, p.sex, p.ethnicity,
               p.disability_known, coalesce(w.cost, 0) AS past_cost, w.counts,
               o.person_id IS NOT NULL AS outcome
        FROM pop p LEFT JOIN wide w USING (person_id) LEFT JOIN outcome o USING (person_id)
        ORDER BY p.person_id
        """,
        {"as_of": as_of},
    ).df()
    frame["age_band"] = pd.cut(
        frame["age"],
        [b[0] - 1 for b in AGE_BANDS] + [AGE_BANDS[-1][1]],
        labels=[f"{a}-{b}" if b < 200 else f"{a}+" for a, b in AGE_BANDS],
    ).astype(str)
    return frame


def feature_matrix(frame: pd.DataFrame, kinds: list[str]) -> np.ndarray:
    counts = frame["counts"].map(lambda m: m if isinstance(m, dict) else {})
    columns = [counts.map(lambda m, k=k: m.get(k, 0)).to_numpy(dtype=float) for k in kinds]
    base = [
        frame["age"].to_numpy(float),
        frame["hh_size"].to_numpy(float),
        frame["hh_children"].to_numpy(float),
        frame["past_cost"].to_numpy(float),
    ]
    matrix: np.ndarray = np.log1p(np.column_stack(base + columns))
    return matrix


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            error += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(error)


@dataclass
class Check:
    gate: str
    value: float | None
    limit: str
    passed: bool
    note: str = ""


@dataclass
class ModelResult:
    config: ModelConfig
    status: str  # "passed", "failed" or "withdrawn"
    checks: list[Check] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    fairness: pd.DataFrame = field(default_factory=pd.DataFrame)
    rules: pd.DataFrame = field(default_factory=pd.DataFrame)
    kinds: list[str] = field(default_factory=list)
    estimator: Any = None

    @property
    def reasons(self) -> list[str]:
        return [
            f"{c.gate}: {c.note or f'{c.value} (limit {c.limit})'}"
            for c in self.checks
            if not c.passed
        ]


def _scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = float((y & predicted).sum())
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / y.sum() if y.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "flagged": int(predicted.sum()),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def _fairness(
    frame: pd.DataFrame, y: np.ndarray, predicted: np.ndarray, attributes: list[str]
) -> pd.DataFrame:
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
    )

    rows = []
    for attribute in attributes:
        frame_ = MetricFrame(
            metrics={
                "selection_rate": selection_rate,
                "false_positive_rate": false_positive_rate,
                "false_negative_rate": false_negative_rate,
                "count": lambda a, b: len(a),
            },
            y_true=y,
            y_pred=predicted,
            sensitive_features=frame[attribute].astype(str).fillna("unknown"),
        )
        for group, values in frame_.by_group.iterrows():
            rows.append(
                {
                    "attribute": attribute,
                    "group": str(group),
                    **{k: float(v) for k, v in values.items()},
                }
            )
    return pd.DataFrame(rows)


def _fairness_checks(table: pd.DataFrame, fairness: dict[str, Any]) -> list[Check]:
    checks = []
    limits = {
        "selection_rate": fairness.get("max_selection_rate_difference"),
        "false_positive_rate": fairness.get("max_false_positive_rate_difference"),
        "false_negative_rate": fairness.get("max_false_negative_rate_difference"),
    }
    big = table[table["count"] >= fairness.get("min_group_size", 0)]
    for attribute, groups in big.groupby("attribute"):
        for metric, limit in limits.items():
            if limit is None or len(groups) < 2:
                continue
            values = groups[metric].dropna()
            difference = float(values.max() - values.min()) if len(values) else 0.0
            worst = (
                f"{groups.loc[values.idxmax(), 'group']} vs {groups.loc[values.idxmin(), 'group']}"
                if len(values)
                else ""
            )
            checks.append(
                Check(
                    f"fairness: {metric.replace('_', ' ')} by {attribute}",
                    round(difference, 3),
                    f"<= {limit}",
                    difference <= limit,
                    ""
                    if difference <= limit
                    else f"difference {difference:.3f} ({worst}) exceeds {limit}",
                )
            )
    return checks


def _rule_predictions(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, spec: str, as_of: date
) -> np.ndarray:
    """Whether each person in `frame` was in a flag of this rule set (or ruleset/code)."""
    ruleset, _, code = spec.partition("/")
    code_sql = f"AND f.code = '{code}'" if code else ""
    flagged = {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT fm.person_id FROM flags f JOIN flag_members fm USING (flag_id) "
            f"WHERE f.as_of = $as_of AND f.ruleset_id = '{ruleset}' {code_sql}",
            {"as_of": as_of},
        ).fetchall()
    }
    return frame["person_id"].isin(flagged).to_numpy()


def train_and_gate(
    con: duckdb.DuckDBPyConnection, config: ModelConfig, rulesets: list[Any]
) -> ModelResult:
    """Train on `train_as_of`, evaluate every gate on `evaluate_as_of` (a later period)."""
    if not config.enabled:
        return ModelResult(
            config,
            "withdrawn",
            [
                Check(
                    "kill switch",
                    None,
                    "enabled",
                    False,
                    "withdrawn in its configuration (enabled = false)",
                )
            ],
        )
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train = dataset(con, config, config.train_as_of)
    kinds = sorted({k for m in train["counts"] if isinstance(m, dict) for k in m})
    estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    estimator.fit(feature_matrix(train, kinds), train["outcome"].to_numpy())
    later = dataset(con, config, config.evaluate_as_of)
    y = later["outcome"].to_numpy(dtype=bool)
    p = estimator.predict_proba(feature_matrix(later, kinds))[:, 1]
    predicted = p >= config.threshold
    gates = config.gates
    model_scores = _scores(y, predicted)
    metrics: dict[str, Any] = {
        "trained_on": str(config.train_as_of),
        "evaluated_on": str(config.evaluate_as_of),
        "train_people": len(train),
        "train_positives": int(train["outcome"].sum()),
        "evaluate_people": len(later),
        "evaluate_positives": int(y.sum()),
        **model_scores,
        "auc": round(float(roc_auc_score(y, p)), 3) if 0 < y.sum() < len(y) else None,
        "brier": round(float(brier_score_loss(y, p)), 4),
        "calibration_error": round(expected_calibration_error(y, p), 4),
    }
    k = int(predicted.sum())
    metrics["precision_at_k"] = round(float(y[np.argsort(-p)[:k]].mean()), 3) if k else None
    checks = [
        Check(
            "precision",
            model_scores["precision"],
            f">= {gates['min_precision']}",
            model_scores["precision"] >= gates["min_precision"],
        ),
        Check(
            "recall",
            model_scores["recall"],
            f">= {gates['min_recall']}",
            model_scores["recall"] >= gates["min_recall"],
        ),
        Check(
            "calibration error",
            metrics["calibration_error"],
            f"<= {gates['max_calibration_error']}",
            metrics["calibration_error"] <= gates["max_calibration_error"],
        ),
    ]
    fairness_cfg = gates.get("fairness", {})
    fairness = _fairness(later, y, predicted, list(fairness_cfg.get("attributes", [])))
    checks += _fairness_checks(fairness, fairness_cfg)
    for ruleset in rulesets:
        engine.run_ruleset(con, ruleset, config.evaluate_as_of)
    rule_rows = []
    for spec in config.compare_with_rules:
        rule_predicted = _rule_predictions(con, later, spec, config.evaluate_as_of)
        scores = _scores(y, rule_predicted)
        rule_rows.append({"rule": spec, **scores})
        if gates.get("must_beat_rules"):
            checks.append(
                Check(
                    f"beats rule {spec} (F1)",
                    model_scores["f1"],
                    f"> {scores['f1']}",
                    model_scores["f1"] > scores["f1"],
                )
            )
    status = "passed" if all(c.passed for c in checks) else "failed"
    return ModelResult(
        config, status, checks, metrics, fairness, pd.DataFrame(rule_rows), kinds, estimator
    )


def score(con: duckdb.DuckDBPyConnection, result: ModelResult, as_of: date) -> int:
    """Flags for everyone at or above the threshold on `as_of`, only if every gate passed."""
    if result.status != "passed":
        return 0
    config = result.config
    frame = dataset(con, config, as_of)
    x = feature_matrix(frame, result.kinds)
    p = result.estimator.predict_proba(x)[:, 1]
    coefficients = result.estimator[-1].coef_[0]
    scaled = result.estimator[0].transform(x) * coefficients
    names = ["age", "household size", "children in household", "cost of services", *result.kinds]
    rows: list[tuple[object, ...]] = []
    members: list[tuple[str, str]] = []
    for i in np.flatnonzero(p >= config.threshold):
        person = str(frame["person_id"].iat[int(i)])
        flag_id = f"{config.id}/{config.id}/{person}/{as_of}"
        top = [names[j] for j in np.argsort(-scaled[i])[:3] if scaled[i, j] > 0]
        rows.append(
            (
                flag_id,
                as_of,
                config.id,
                config.version,
                "model",
                config.id,
                config.title,
                "person",
                person,
                top,
                as_of,
                None,
                float(p[i]),
            )
        )
        members.append((flag_id, person))
    con.executemany(
        "INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    ) if rows else None
    con.executemany("INSERT INTO flag_members VALUES (?, ?)", members) if members else None
    return len(rows)
