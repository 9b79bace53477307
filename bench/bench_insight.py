"""Benchmark person linkage on the synthetic city: wall time, peak memory and F1 for
(a) an exact-match baseline (same forename, surname, date of birth and postcode),
(b) Splink 5 with out-of-the-box comparisons and simple blocking, and
(c) Upstream's pipeline (`upstream link`), with ratios against (b).

    python bench/bench_insight.py [--people 1100000] [--seed 42] [--work var/bench-insight]

Each method runs in its own process so its peak memory (max RSS) is its own. The extracts are
imported once (timed separately) and every method reads the same standardised records.
Goals (issue 3): Upstream F1 >= 0.99, wall time <= (b)'s, peak memory <= 8 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

THREADS = 2
MEMORY_LIMIT = "6GB"
MAX_SPILL = "30GB"
NAN = float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _limits(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    # Spill to the benchmark's folder, never to ./.tmp, and cap it: an out-of-the-box model can
    # ask for tens of gigabytes of temporary space at city scale.
    con.execute(
        f"SET threads = {THREADS}; SET memory_limit = '{MEMORY_LIMIT}'; "
        f"SET temp_directory = '{data_dir / 'tmp'}'; SET max_temp_directory_size = '{MAX_SPILL}'"
    )


def _workspace(data_dir: Path) -> duckdb.DuckDBPyConnection:
    from upstream.insight.workspace import Workspace

    con = Workspace.insight(data_dir).connect()
    _limits(con, data_dir)
    return con


def _score(con: duckdb.DuckDBPyConnection, city: Path, labels: str) -> float:
    """Pairwise F1 of a (record_key, pred) table against the truth."""
    from upstream.insight.quality import accuracy

    con.execute(
        f"CREATE OR REPLACE TEMP TABLE scored AS SELECT l.pred, t.person_id AS truth_id FROM {labels} l "
        "JOIN person_records r USING (record_key) "
        f"JOIN read_parquet('{city / 'truth' / 'record_truth.parquet'}') t ON t.source = r.source AND t.record_id = r.record_id"
    )
    return accuracy(con, "scored").pairwise_f1


def stage_exact(city: Path, data_dir: Path) -> dict[str, float]:
    con = _workspace(data_dir)
    start = time.perf_counter()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE exact_labels AS SELECT record_key, CASE WHEN forename IS NULL OR surname IS NULL "
        "OR dob IS NULL OR postcode IS NULL THEN record_key ELSE concat_ws('|', forename, surname, dob, postcode) END AS pred "
        "FROM person_records"
    )
    wall = time.perf_counter() - start
    return {"wall": wall, "f1": _score(con, city, "exact_labels"), "peak_mib": _peak_mib()}


def stage_splink(city: Path, data_dir: Path) -> dict[str, float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = _workspace(data_dir)
    records = con.sql(
        "SELECT record_key, forename, surname, dob, postcode, sex FROM person_records"
    ).to_arrow_table()
    start = time.perf_counter()
    splink_con = duckdb.connect()
    _limits(splink_con, data_dir)
    frame = DuckDBAPI(connection=splink_con).register(records, dataset_display_name="records")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=[
            cl.NameComparison("forename"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname", "dob"),
            block_on("forename", "postcode"),
        ],
    )
    linker = Linker(frame, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("forename", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("forename", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.95)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    labels = (
        clusters.as_duckdbpyrelation().select("record_key, cluster_id AS pred").to_arrow_table()
    )
    wall = time.perf_counter() - start
    con.register("splink_labels", labels)
    return {"wall": wall, "f1": _score(con, city, "splink_labels"), "peak_mib": _peak_mib()}


def stage_upstream(city: Path, data_dir: Path) -> dict[str, float]:
    from upstream.insight.contract import load_contracts
    from upstream.insight.link import link, record_run
    from upstream.insight.linkage.pipeline import LinkOptions

    con = _workspace(data_dir)
    start = time.perf_counter()
    run = link(
        con,
        load_contracts(),
        data_dir,
        options=LinkOptions(THREADS, MEMORY_LIMIT),
        gazetteer=str(city / "truth" / "properties.parquet"),
    )
    wall = time.perf_counter() - start
    record_run(con, run)
    return {
        "wall": wall,
        "f1": _score(con, city, "(SELECT record_key, person_id AS pred FROM record_person)"),
        "peak_mib": _peak_mib(),
    }


def stage_ingest(city: Path, data_dir: Path) -> dict[str, float]:
    from upstream.insight.contract import load_contracts
    from upstream.insight.ingest import ingest_folder
    from upstream.insight.standardise import build_person_records

    con = _workspace(data_dir)
    start = time.perf_counter()
    contracts = load_contracts()
    ingest_folder(con, city / "extracts", contracts)
    records = build_person_records(con, contracts, [c.source for c in contracts])
    return {
        "wall": time.perf_counter() - start,
        "f1": float("nan"),
        "peak_mib": _peak_mib(),
        "records": records,
    }


STAGES = {
    "ingest": stage_ingest,
    "exact": stage_exact,
    "splink": stage_splink,
    "upstream": stage_upstream,
}
NAMES = {
    "ingest": "ingest + standardise (shared)",
    "exact": "(a) exact match: name, DOB, postcode",
    "splink": "(b) Splink 5 out of the box",
    "upstream": "(c) Upstream pipeline",
}


def run_stage(stage: str, city: Path, data_dir: Path) -> dict[str, float]:
    """Run one method in its own process; a failure is reported, not fatal to the table."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--city", str(city), "--data", str(data_dir)],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1][:150]
        print(f"{NAMES[stage]} failed after {time.perf_counter() - start:.0f} s: {last}")
        return {"wall": time.perf_counter() - start, "f1": NAN, "peak_mib": NAN, "failed": 1.0}
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(stage: str, r: dict[str, float]) -> str:
    f1 = "" if r["f1"] != r["f1"] else f"{r['f1']:.4f}"
    peak = "" if r["peak_mib"] != r["peak_mib"] else f"{r['peak_mib'] / 1024:.2f}"
    wall = f"{r['wall']:.1f}" + (" (failed)" if r.get("failed") else "")
    return f"{NAMES[stage]:<40} {wall:>16} {peak:>11} {f1:>8}"


def print_table(results: dict[str, dict[str, float]], people: int) -> None:
    records = int(results["ingest"].get("records", 0))
    print(f"\nPerson linkage: {people:,} people, {records:,} source records, {THREADS} threads")
    print(f"{'method':<40} {'wall (s)':>16} {'peak (GiB)':>11} {'F1':>8}")
    for stage, r in results.items():
        print(_row(stage, r))
    b, c = results.get("splink"), results.get("upstream")
    if not c or c.get("failed"):
        return
    finished_b = b is not None and not b.get("failed")
    if b and finished_b:
        print(
            f"\nratios (c)/(b): wall {c['wall'] / b['wall']:.2f}, "
            f"peak memory {c['peak_mib'] / b['peak_mib']:.2f}, F1 {c['f1'] / b['f1']:.3f}"
        )
    goals = [
        ("Upstream F1 >= 0.99", "met" if c["f1"] >= 0.99 else "NOT met"),
        ("wall <= (b)", _wall_goal(b, c)),
        ("peak <= 8 GiB", "met" if c["peak_mib"] <= 8 * 1024 else "NOT met"),
    ]
    print("goals: " + ", ".join(f"{name}: {verdict}" for name, verdict in goals))


def _wall_goal(b: dict[str, float] | None, c: dict[str, float]) -> str:
    if b is None:
        return "(b) not run"
    if b.get("failed"):
        return f"met ((b) failed after {b['wall']:.0f} s)"
    return "met" if c["wall"] <= b["wall"] else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=Path("var/bench-insight"))
    parser.add_argument("--stage", choices=list(STAGES))
    parser.add_argument(
        "--methods",
        default="exact,splink,upstream",
        help="comma-separated: exact, splink, upstream",
    )
    parser.add_argument("--city", type=Path)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(STAGES[args.stage](args.city, args.data)))
        return
    city, data_dir = (
        args.work / f"city-{args.people}-{args.seed}",
        args.work / f"data-{args.people}-{args.seed}",
    )
    if not (city / "manifest.json").exists():
        from upstream.synth import generate_city

        generate_city(people=args.people, seed=args.seed, out=city)
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    stages = ["ingest", *args.methods.split(",")]
    results = {stage: run_stage(stage, city, data_dir) for stage in stages}
    print_table(results, args.people)


if __name__ == "__main__":
    main()
