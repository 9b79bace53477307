"""People from edges (connected components) and persistent person IDs across runs.

A person ID, once given, is kept: a new cluster takes the ID most of its identities had last
run. When a cluster holds identities of two earlier people, the older ID wins and the other is
recorded as merged into it; when an earlier person's identities fall into several clusters,
the biggest part keeps the ID and the others get new IDs, recorded as splits. Lineage lives in
`person_lineage`; `person_identity` maps identity keys to person IDs for the next run.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

ID_WIDTH = 8  # P00000001: room for 99,999,999 people


def components(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label per node (nodes are 0..n-1)."""
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_nodes, n_nodes))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def dates_compatible(a: str, b: str) -> bool:
    """Could two recorded dates of birth (ISO text) be one person's? Equal, within a year, one
    character mistyped or swapped, or day and month transposed (the noise ONS 2019 describes)."""
    if a == b:
        return True
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return True
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diffs) == 1 or (
        len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
    ):
        return True
    return abs(date.fromisoformat(a).toordinal() - date.fromisoformat(b).toordinal()) <= 366


class ConstrainedUnion:
    """Union-find that refuses a merge making one person of two NHS numbers or two incompatible
    dates of birth: stops a record with no birth date chaining a father to his namesake son."""

    def __init__(self, dobs: list[str | None], nhs: list[str | None]) -> None:
        self.parent = list(range(len(dobs)))
        self.dobs: list[set[str]] = [{d} if d else set() for d in dobs]
        self.nhs: list[set[str]] = [{n} if n else set() for n in nhs]

    def find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def compatible(self, a: int, b: int) -> bool:
        if self.nhs[a] and self.nhs[b] and self.nhs[a] != self.nhs[b]:
            return False
        return all(dates_compatible(x, y) for x in self.dobs[a] for y in self.dobs[b])

    def union(self, a: int, b: int, *, constrained: bool) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (constrained and not self.compatible(ra, rb)):
            return
        if len(self.dobs[ra]) < len(self.dobs[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.dobs[ra] |= self.dobs[rb]
        self.nhs[ra] |= self.nhs[rb]


def cluster_identities(con: duckdb.DuckDBPyConnection) -> None:
    """`identity_cluster` (identity_id, cluster) from `edges`: rule edges join unconditionally;
    Splink's, strongest first, only where the people they join are compatible."""
    n_row = con.execute("SELECT max(identity_id) FROM identities").fetchall()
    n_nodes = int(n_row[0][0] or 0) + 1
    dobs: list[str | None] = [None] * n_nodes
    nhs: list[str | None] = [None] * n_nodes
    for identity_id, dob, nhs_number in con.execute(
        "SELECT identity_id, CAST(dob AS VARCHAR), nhs_number FROM identities"
    ).fetchall():
        dobs[identity_id], nhs[identity_id] = dob, nhs_number
    union = ConstrainedUnion(dobs, nhs)
    edges = con.execute(
        "SELECT identity_l, identity_r, method = 'probabilistic' FROM edges "
        "ORDER BY method = 'probabilistic', match_probability DESC, identity_l, identity_r"
    ).fetchall()
    for left, right, probabilistic in edges:
        union.union(left, right, constrained=probabilistic)
    labels = np.array([union.find(i) for i in range(n_nodes)], dtype=np.int64)
    table = pa.table({"identity_id": pa.array(np.arange(n_nodes)), "cluster": pa.array(labels)})
    con.register("labels", table)
    con.execute(
        "CREATE OR REPLACE TABLE identity_cluster AS SELECT l.* FROM labels l JOIN identities USING (identity_id)"
    )
    con.unregister("labels")


def _next_number(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.execute(
        "SELECT max(CAST(substr(person_id, 2) AS BIGINT)) FROM person_identity"
    ).fetchall()
    return int(rows[0][0] or 0) + 1


def ensure_id_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS person_identity (identity_key VARCHAR PRIMARY KEY, person_id VARCHAR, link_run_id VARCHAR)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS person_lineage (old_person_id VARCHAR, new_person_id VARCHAR, kind VARCHAR, link_run_id VARCHAR)"
    )


def assign_person_ids(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Give every cluster a person ID, keeping earlier IDs; record merges and splits."""
    ensure_id_tables(con)
    rows = con.execute(
        """
        SELECT c.cluster, p.person_id, count(*) AS n
        FROM identity_cluster c JOIN identities i USING (identity_id)
        LEFT JOIN person_identity p USING (identity_key)
        GROUP BY ALL ORDER BY c.cluster
        """
    ).fetchall()
    chosen, lineage = _choose_ids(rows, _next_number(con), run_id)
    con.register(
        "chosen",
        pa.table(
            {
                "cluster": pa.array(list(chosen), pa.int64()),
                "person_id": pa.array(list(chosen.values())),
            }
        ),
    )
    con.execute(
        "CREATE OR REPLACE TABLE identity_person AS SELECT c.identity_id, i.identity_key, ch.person_id "
        "FROM identity_cluster c JOIN identities i USING (identity_id) JOIN chosen ch USING (cluster)"
    )
    con.unregister("chosen")
    con.execute(
        "INSERT OR REPLACE INTO person_identity SELECT identity_key, person_id, ? FROM identity_person",
        [run_id],
    )
    if lineage:
        con.executemany("INSERT INTO person_lineage VALUES (?, ?, ?, ?)", lineage)
    return {
        "merges": sum(1 for row in lineage if row[2] == "merge"),
        "splits": sum(1 for row in lineage if row[2] == "split"),
    }


def _choose_ids(
    rows: list[tuple[int, str | None, int]], next_number: int, run_id: str
) -> tuple[dict[int, str], list[tuple[str, str, str, str]]]:
    """Pure: from (cluster, earlier person ID or None, identities) rows, each cluster's ID."""
    by_cluster: dict[int, dict[str, int]] = {}
    for cluster, person_id, n in rows:
        by_cluster.setdefault(cluster, {})
        if person_id:
            by_cluster[cluster][person_id] = by_cluster[cluster].get(person_id, 0) + n
    # An earlier ID goes to the cluster holding most of its identities (ties: lower cluster).
    best_cluster: dict[str, tuple[int, int]] = {}
    for cluster, earlier in by_cluster.items():
        for person_id, n in earlier.items():
            if person_id not in best_cluster or n > best_cluster[person_id][0]:
                best_cluster[person_id] = (n, cluster)
    chosen: dict[int, str] = {}
    lineage: list[tuple[str, str, str, str]] = []
    for cluster, earlier in sorted(by_cluster.items()):
        kept = sorted(p for p in earlier if best_cluster[p][1] == cluster)
        if kept:
            chosen[cluster] = kept[0]  # the oldest ID survives a merge
            lineage += [(old, kept[0], "merge", run_id) for old in kept[1:]]
        else:
            chosen[cluster] = f"P{next_number:0{ID_WIDTH}d}"
            next_number += 1
        lineage += [
            (p, chosen[cluster], "split", run_id) for p in earlier if best_cluster[p][1] != cluster
        ]
    return chosen, lineage
