"""Benchmark: the identification rules over the 1.1M-person city, against the same rules
written naively in pandas row by row (on a 50k-person sample, scaled).

    python bench/bench_identify.py [--people 1100000] [--city /tmp/city1m] [--sample 50000]

Input: the truth-linked events (the synthetic truth; insight's linked output is used when
`--data-dir` holds an insight workspace with linked events). Goals: <= 60 s, <= 4 GiB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from upstream.identify import engine
from upstream.identify.inputs import LinkedCity, insight_linked_events
from upstream.identify.rules import RuleSet, load_rulesets
from upstream.synth.truth_linked import truth_linked_events

AS_OF = date(2025, 3, 31)
NAIVE_POPULATIONS = {
    "everyone": lambda p: p.age >= 0,
    "adults": lambda p: p.age >= 18,
    "children": lambda p: p.age < 18,
    "adults_without_dependent_children": lambda p: (p.age >= 18) & (p.hh_children.fillna(0) == 0),
    "families": lambda p: p.hh_children > 0,
}


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def naive(con: object, rulesets: list[RuleSet], as_of: date) -> dict[str, int]:
    """The same rules, row by row: for each subject, need, member and event, check it."""
    events = con.execute("SELECT * FROM events").df()  # type: ignore[attr-defined]
    population = con.execute("SELECT * FROM population WHERE as_of = ?", [as_of]).df()  # type: ignore[attr-defined]
    by_person = {pid: frame for pid, frame in events.groupby("person_id")}
    flags: dict[str, int] = {}
    for ruleset in rulesets:
        start = pd.Timestamp(as_of) - pd.DateOffset(months=ruleset.lookback_months)
        chosen = population[NAIVE_POPULATIONS[ruleset.population](population)]
        if ruleset.subject == "household":
            chosen = population[population.household_id.isin(chosen.household_id.dropna())]
            key = "household_id"
        else:
            key = "person_id"
        count = 0
        for _, members in chosen.groupby(key):
            met = 0
            for need in ruleset.needs:
                n, cost = 0, 0.0
                for _, member in members.iterrows():
                    if not need.member_ages[0] <= member.age <= need.member_ages[1]:
                        continue
                    if need.lives_alone and member.hh_size > 1:
                        continue
                    person_events = by_person.get(member.person_id)
                    if person_events is None:
                        continue
                    for _, e in person_events.iterrows():
                        when = pd.Timestamp(e.event_date)
                        if not (start < when <= pd.Timestamp(as_of)):
                            continue
                        if any(
                            (s in ("*", e.source)) and (k in ("*", e.event_type))
                            for s, k in need.patterns()
                        ):
                            n += 1
                            cost += e.cost
                if n >= need.min_events and cost >= need.min_cost:
                    met += 1
                    if ruleset.each:
                        count += 1
            if not ruleset.each and met >= ruleset.min_needs:
                count += 1
        flags[ruleset.id] = count
    return flags


def sample(city: LinkedCity, people: int) -> None:
    """Keep only the first `people` people (and their events and memberships)."""
    con = city.con
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE keep AS SELECT person_id FROM people ORDER BY person_id LIMIT {people}"
    )
    for table in ("events", "memberships", "people"):
        con.execute(f"DELETE FROM {table} WHERE person_id NOT IN (SELECT person_id FROM keep)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_100_000)
    parser.add_argument("--city", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    city_dir = args.city or Path(f"/tmp/city{args.people // 1000}k")
    if not (city_dir / "manifest.json").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "upstream",
                "synth",
                "--people",
                str(args.people),
                "--out",
                str(city_dir),
            ],
            check=True,
        )
    rulesets = load_rulesets()

    t0 = time.perf_counter()
    city = (insight_linked_events(args.data_dir) if args.data_dir else None) or truth_linked_events(
        city_dir
    )
    load_s = time.perf_counter() - t0
    n_events = city.con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    t1 = time.perf_counter()
    flags = engine.run_rules(city.con, rulesets, AS_OF)
    rules_s = time.perf_counter() - t1
    full_peak = peak_gib()

    small = truth_linked_events(city_dir)
    sample(small, args.sample)
    t2 = time.perf_counter()
    sample_flags = engine.run_rules(small.con, rulesets, AS_OF)
    sample_engine_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    naive_flags = naive(small.con, rulesets, AS_OF)
    naive_s = time.perf_counter() - t3
    assert naive_flags == sample_flags, (naive_flags, sample_flags)
    scale = args.people / args.sample

    print(f"input: {city.input_kind} ({n_events:,} events, {args.people:,} people)")
    print(
        f"flags on {AS_OF}: {sum(flags.values()):,} ({', '.join(f'{k} {v:,}' for k, v in flags.items())})"
    )
    print()
    print("| step | people | wall time (s) | vs engine |")
    print("|---|---|---|---|")
    print(f"| load truth-linked events | {args.people:,} | {load_s:.1f} | |")
    print(f"| rules, DuckDB engine | {args.people:,} | {rules_s:.1f} | 1.0 |")
    print(f"| rules, DuckDB engine | {args.sample:,} sample | {sample_engine_s:.2f} | 1.0 |")
    print(
        f"| rules, pandas row by row | {args.sample:,} sample | {naive_s:.1f} | {naive_s / sample_engine_s:.0f}x slower |"
    )
    print(
        f"| rules, pandas row by row (scaled x{scale:.0f}) | {args.people:,} (estimate) | {naive_s * scale:.0f} | {naive_s * scale / rules_s:.0f}x slower |"
    )
    print()
    print(
        f"engine + load wall time {load_s + rules_s:.1f} s (goal <= 60 s): {'met' if load_s + rules_s <= 60 else 'missed'}"
    )
    print(
        f"peak memory after the full run {full_peak:.2f} GiB (goal <= 4 GiB): {'met' if full_peak <= 4 else 'missed'}"
    )
    print("naive and engine agree on every rule set's flag count on the sample.")


if __name__ == "__main__":
    main()
