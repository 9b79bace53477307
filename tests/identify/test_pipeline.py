"""The whole-population run on a small synthetic city: reports, quality, gates, transparency."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from upstream.identify import model as model_module
from upstream.identify.pipeline import run_identification
from upstream.identify.rules import load_rulesets
from upstream.identify.transparency import dpia_markdown
from upstream.synth.truth_linked import truth_linked_events

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def run_dir(small_city: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("identify")
    run_identification(truth_linked_events(small_city), out, truth_dir=small_city)
    return out


def test_truth_linked_events_cover_every_extract_record_with_a_date(small_city: Path) -> None:
    linked = truth_linked_events(small_city)
    total, dated, with_cost = linked.con.execute(
        "SELECT count(*), count(event_date), count(cost) FROM events"
    ).fetchall()[0]
    manifest = json.loads((small_city / "manifest.json").read_text())
    assert total == dated == with_cost == manifest["records_in_extracts"]
    assert linked.input_kind.startswith("truth-linked")


def test_the_run_writes_the_cohort_report_and_says_its_input_is_the_truth(run_dir: Path) -> None:
    report = json.loads((run_dir / "report" / "report.json").read_text())
    assert report["input_kind"].startswith("truth-linked")
    assert {c["id"] for c in report["cohorts"]} >= {"supporting-families", "troubled-individuals"}
    assert report["sizes_over_time"]["columns"][-1] == "2025-03-31"
    html = (run_dir / "report" / "cohort-report.html").read_text()
    assert "synthetic truth" in html and "Overlaps" in html and "By ward" in html


def test_rules_are_measured_against_truth_with_useful_precision(run_dir: Path) -> None:
    report = json.loads((run_dir / "report" / "report.json").read_text())
    flags = {q["ruleset_id"]: q for q in report["quality"] if q["level"] == "flag"}
    assert flags["troubled-individuals"]["precision"] >= 0.5
    assert flags["frequent-attenders"]["precision"] >= 0.8


def test_the_model_is_kept_out_when_a_gate_fails_and_the_report_says_why(run_dir: Path) -> None:
    summary = json.loads((run_dir / "run.json").read_text())
    model = summary["models"]["homelessness-12m"]
    if model["status"] == "failed":
        assert model["reasons"] and summary["flags"]["homelessness-12m"] == 0
    else:
        assert model["status"] == "passed"


def test_a_model_that_passes_loose_gates_scores_people_above_its_threshold(
    small_city: Path, tmp_path: Path
) -> None:
    config = model_module.load_model_configs()[0]
    loose = {
        "min_precision": 0.0,
        "min_recall": 0.0,
        "max_calibration_error": 1.0,
        "must_beat_rules": False,
        "fairness": {
            "attributes": ["sex"],
            "min_group_size": 1,
            "max_selection_rate_difference": 1.0,
        },
    }
    config = replace(config, gates=loose, threshold=0.05)
    linked = truth_linked_events(small_city)
    rulesets = load_rulesets()
    from upstream.identify import engine

    engine.run_rules(linked.con, rulesets, config.evaluate_as_of)
    result = model_module.train_and_gate(linked.con, config, rulesets)
    assert result.status == "passed", result.reasons
    assert result.metrics["evaluated_on"] > result.metrics["trained_on"]
    assert model_module.score(linked.con, result, config.evaluate_as_of) > 0


def test_the_kill_switch_in_the_model_file_withdraws_it_without_training(small_city: Path) -> None:
    config = replace(model_module.load_model_configs()[0], enabled=False)
    result = model_module.train_and_gate(truth_linked_events(small_city).con, config, [])
    assert result.status == "withdrawn" and "enabled = false" in result.reasons[0]


def test_gates_are_required_before_training(tmp_path: Path) -> None:
    source = Path(model_module.__file__).parent / "models" / "homelessness.toml"
    text = source.read_text().split("\n[gates]")[0]
    (tmp_path / "m.toml").write_text(text)
    with pytest.raises(Exception, match="write the gates down before training"):
        model_module.load_model_config(tmp_path / "m.toml")


def test_the_transparency_record_has_both_tiers_and_a_lawful_basis_for_every_source(
    run_dir: Path,
) -> None:
    records = json.loads((run_dir / "report" / "transparency.json").read_text())
    assert {"tier_1", "tier_2"} <= set(records[0])
    for record in records[:-1]:
        assert all("not in the register" not in d["lawful_basis"] for d in record["tier_2"]["data"])
    assert (run_dir / "report" / "fairness-audit.csv").read_text().startswith("attribute,group")


def test_the_draft_dpia_lists_sources_risks_and_human_review() -> None:
    text = dpia_markdown(load_rulesets(), model_module.load_model_configs())
    for heading in (
        "Data used and lawful basis",
        "Purposes",
        "Risks and mitigations",
        "Human review",
    ):
        assert heading in text
    assert "police" in text


def test_model_gates_file_is_valid_toml_with_a_written_on_date() -> None:
    source = Path(model_module.__file__).parent / "models" / "homelessness.toml"
    assert tomllib.loads(source.read_text())["gates"]["written_on"]
