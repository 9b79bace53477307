"""A test-only hook that kills the process at a named step, as `kill -9` or a power cut would.

`tests/insight/test_fault_injection.py` runs `upstream ingest`, `link` and `publish` with
`UPSTREAM_FAULT_AT=POINT` (or `POINT#N` for the N-th time the step is reached, e.g. the third
file), re-runs them, and checks that nothing is lost or doubled. The process sends itself
SIGKILL: no `finally`, no rollback, no DuckDB checkpoint, no PostgreSQL goodbye — exactly what
an operator's `kill -9` does. The hook only fires when `UPSTREAM_ENV=test`, so a stray
variable cannot kill a real import.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

# Every named point, in the order a run reaches them (docs/insight.md, "After a crash").
POINTS = (
    "ingest:problems-stored",  # a file's rejected rows are written, its accepted rows not yet
    "ingest:records-stored",  # a file's accepted rows are written, its extract not yet recorded
    "ingest:extract-recorded",  # everything for a file is written, not yet committed
    "ingest:file-committed",  # a file is committed; later files are not imported yet
    "link:person-ids-assigned",  # person IDs and lineage are written, outputs not yet built
    "link:run-recorded",  # the quality report is written and the run recorded, not yet committed
    "publish:tables-emptied",  # the published tables are deleted, nothing copied yet
    "publish:batch-written",  # part of the new rows are copied
    "publish:run-recorded",  # every row and the publish run are written, not yet committed
)
_passes: Counter[str] = Counter()


def fault_point(name: str) -> None:
    """Kill this process with SIGKILL if `UPSTREAM_FAULT_AT` names this point (test only)."""
    wanted = os.environ.get("UPSTREAM_FAULT_AT", "")
    if not wanted or os.environ.get("UPSTREAM_ENV") != "test":
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _passes[name] += 1
    if _passes[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
