"""Benchmark: generate the 1.1M-person synthetic city (issue 2 goal: <= 180 s, <= 4 GiB).

Runs each city in a fresh subprocess and reads its peak RSS from RUSAGE_CHILDREN, with a
110,000-person city in the same run as the baseline. `--people N` overrides the big city.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 180.0
GOAL_BYTES = 4 * 1024**3
BASELINE_PEOPLE = 110_000


def run_city(people: int, out: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS bytes and records written for one city, in a child process."""
    code = (
        "import sys, json; from upstream.synth import generate_city; "
        "m = generate_city(people=int(sys.argv[1]), seed=42, out=sys.argv[2]); "
        "print(json.dumps(m['records_in_extracts']))"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(people), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far (kilobytes on Linux); the
    # baseline runs first and is smaller, so after the big run it is the big run's peak.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return wall, peak, int(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_100_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, people in (
            ("baseline", min(BASELINE_PEOPLE, args.people)),
            ("city", args.people),
        ):
            wall, peak, records = run_city(people, Path(tmp) / label)
            rows.append((label, people, wall, peak, records))
    print(
        f"{'run':<9}{'people':>11}{'wall s':>9}{'goal s':>8}{'ratio':>7}{'peak GiB':>10}{'goal':>6}{'ratio':>7}{'records':>12}"
    )
    for label, people, wall, peak, records in rows:
        gib = peak / 1024**3
        print(
            f"{label:<9}{people:>11,}{wall:>9.1f}{GOAL_SECONDS:>8.0f}{wall / GOAL_SECONDS:>7.2f}{gib:>10.2f}{4:>6}{peak / GOAL_BYTES:>7.2f}{records:>12,}"
        )
    (_, base_people, base_wall, _, _), (_, people, wall, _, _) = rows
    print(f"scale: {people / base_people:.1f}x people took {wall / base_wall:.1f}x the time")


if __name__ == "__main__":
    main()
