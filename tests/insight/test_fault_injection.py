"""Nothing lost, nothing doubled: `upstream ingest`, `link` and `publish`, killed with SIGKILL at
named points and run again, leave exactly what one clean run leaves.

Each command runs as a real subprocess on the smallest city synth makes, with the test-only hook
`UPSTREAM_FAULT_AT=POINT#N` (src/upstream/insight/faults.py) making it `kill -9` itself at the
N-th pass of a named step. The checks: the killed run changed nothing a reader can see (the
workspace or the published tables are as before it), and after a re-run every workspace table
and every published table has the same rows — counted, and hashed in content — as one clean run.

The city carries the quirks agencies' exports have: the police file starts with a UTF-8
byte-order mark, one address holds a NUL character, one row has an unknown code and one is blank,
so the problems table is not empty and the address goes all the way to the operational database
(PostgreSQL in the postgres pass, which refuses NULs). The city is built, ingested, linked and
published once per module; the whole module takes about a minute on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import models

from tests.conftest import ON_POSTGRES
from upstream import sources
from upstream.insight.contract import load_contracts
from upstream.insight.faults import POINTS
from upstream.insight.workspace import Workspace

pytestmark = pytest.mark.sqlite  # it publishes into the operational database: both passes

PEOPLE = 1_000  # the smallest city synth makes; every source, with its noise
POLICE_FILE = "police_nominals_incidents.csv"
# Columns that name the run or its time, not its content.
VOLATILE = {"imported_at", "link_run_id", "run_id", "finished_at", "model_path"}
Fingerprint = dict[str, tuple[int, str]]  # table -> (rows, hash of its sorted rows)


@dataclass
class CleanRun:
    city: Path
    ingested: Path  # a workspace after one clean ingest, to copy
    linked: Path  # the data directory after one clean ingest and link
    ingest_tables: Fingerprint
    link_tables: Fingerprint
    database_url: str
    published: Fingerprint


def add_agency_quirks(extracts: Path) -> None:
    """A byte-order mark, a NUL in an address, an unknown code and a blank line, in one file."""
    path = extracts / POLICE_FILE
    header, first, second, *rest = path.read_text(encoding="utf-8").splitlines()
    address = next(csv.reader([first]))[7]  # published as it is, unlike names (standardised)
    first = first.replace(f'"{address}"', f'"{address[:2]}\x00{address[2:]}"', 1)
    category = next(csv.reader([second]))[9]
    second = second.replace(f'"{category}"', '"NOT-A-CODE"', 1)
    text = "\n".join([header, first, second, *rest, "", ""])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def police_pass() -> int:
    """Which pass of a per-file step imports the police file (files go contract by contract;
    the city has a file for every agency's contract, none for the front door's)."""
    agencies = set(sources.agency_codes())
    return [c.source for c in load_contracts() if c.source in agencies].index("police") + 1


def upstream(data_dir: Path, database_url: str, *args: str, fault: str = "") -> int:
    env = {
        **os.environ,
        "UPSTREAM_ENV": "test",
        "UPSTREAM_DATA_DIR": str(data_dir),
        "UPSTREAM_DATABASE_URL": database_url,
        "UPSTREAM_FAULT_AT": fault,
    }
    result = subprocess.run(
        [sys.executable, "-m", "upstream", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode not in (0, -signal.SIGKILL):
        pytest.fail(f"upstream {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result.returncode


def _digest(rows: list[tuple[object, ...]]) -> str:
    def normal(value: object) -> object:
        return round(value, 9) if isinstance(value, float) else value

    lines = sorted(repr(tuple(normal(v) for v in row)) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def workspace_tables(data_dir: Path) -> Fingerprint:
    """Every workspace table: its row count and a hash of its rows (run ids and times left out)."""
    con = Workspace.insight(data_dir).connect(read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall():
            if column not in VOLATILE:
                columns.setdefault(table, []).append(f'"{column}"')
        found = {}
        for table, names in columns.items():
            rows = con.execute(f'SELECT {", ".join(names)} FROM "{table}"').fetchall()
            found[table] = (len(rows), _digest(rows))
        return found
    finally:
        con.close()


def query(database_url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows straight from the operational database the subprocesses wrote (not pytest's)."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(database_url).path) as sqlite:
            return sqlite.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as postgres:
        return postgres.execute(sql).fetchall()  # type: ignore[arg-type]


def published_tables(database_url: str) -> Fingerprint:
    """Every published table and the publish runs, read straight from the operational database."""
    from upstream.people.models import PublishRun
    from upstream.people.publish import QUERIES

    found = {}
    for model in QUERIES:
        names = [
            f'"{f.column}"'
            for f in model._meta.concrete_fields
            if not isinstance(f, models.AutoField)  # numbered afresh by every publish
        ]
        rows = query(database_url, f'SELECT {", ".join(names)} FROM "{model._meta.db_table}"')
        found[model.__name__] = (len(rows), _digest(rows))
    runs = query(database_url, f'SELECT count(*) FROM "{PublishRun._meta.db_table}"')[0][0]
    found["PublishRun"] = (int(str(runs)), "")  # one row per publish that committed
    return found


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own (the subprocesses cannot see pytest's test database)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('operational') / 'upstream.sqlite3'}"
        return
    import psycopg

    server = urlsplit(os.environ["UPSTREAM_DATABASE_URL"])
    maintenance = urlunsplit(server._replace(path="/postgres"))
    name = f"upstream_fault_{os.getpid()}"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    yield urlunsplit(server._replace(path=f"/{name}"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> CleanRun:
    from upstream.synth import generate_city

    city = tmp_path_factory.mktemp("city")
    generate_city(people=PEOPLE, seed=11, out=city)
    add_agency_quirks(city / "extracts")
    data_dir = tmp_path_factory.mktemp("clean")
    assert upstream(data_dir, database_url, "ingest", str(city / "extracts")) == 0
    workspace = Workspace.insight(data_dir)
    ingested = tmp_path_factory.mktemp("ingested") / workspace.path.name
    shutil.copy(workspace.path, ingested)
    ingest_tables = workspace_tables(data_dir)
    assert upstream(data_dir, database_url, "link", "--city", str(city)) == 0
    assert upstream(data_dir, database_url, "publish") == 0
    return CleanRun(
        city,
        ingested,
        data_dir,
        ingest_tables,
        workspace_tables(data_dir),
        database_url,
        published_tables(database_url),
    )


def test_every_named_fault_point_is_exercised_here() -> None:
    exercised = {point for point, _ in INGEST_KILLS + LINK_KILLS + PUBLISH_KILLS}
    assert exercised == set(POINTS)


INGEST_KILLS = [
    ("ingest:problems-stored", police_pass()),
    ("ingest:records-stored", police_pass()),
    ("ingest:extract-recorded", police_pass()),
    ("ingest:file-committed", police_pass()),
]


@pytest.mark.parametrize(("point", "nth"), INGEST_KILLS)
def test_an_ingest_killed_and_run_again_stores_every_row_and_problem_once(
    clean: CleanRun, tmp_path: Path, point: str, nth: int
) -> None:
    extracts = str(clean.city / "extracts")
    killed = upstream(tmp_path, clean.database_url, "ingest", extracts, fault=f"{point}#{nth}")
    assert killed == -signal.SIGKILL
    assert upstream(tmp_path, clean.database_url, "ingest", extracts) == 0
    assert workspace_tables(tmp_path) == clean.ingest_tables


LINK_KILLS = [("link:person-ids-assigned", 1), ("link:run-recorded", 1)]


@pytest.mark.parametrize(("point", "nth"), LINK_KILLS)
def test_a_link_killed_changes_nothing_and_run_again_gives_one_clean_run(
    clean: CleanRun, tmp_path: Path, point: str, nth: int
) -> None:
    workspace = Workspace.insight(tmp_path)
    workspace.folder.mkdir()
    shutil.copy(clean.ingested, workspace.path)
    city = str(clean.city)
    killed = upstream(tmp_path, clean.database_url, "link", "--city", city, fault=f"{point}#{nth}")
    assert killed == -signal.SIGKILL
    assert workspace_tables(tmp_path) == clean.ingest_tables
    assert upstream(tmp_path, clean.database_url, "link", "--city", city) == 0
    assert workspace_tables(tmp_path) == clean.link_tables


PUBLISH_KILLS = [
    ("publish:tables-emptied", 1),
    ("publish:batch-written", 2),
    ("publish:run-recorded", 1),
]


@pytest.mark.parametrize(("point", "nth"), PUBLISH_KILLS)
def test_a_publish_killed_leaves_the_last_publish_and_run_again_publishes_it_once(
    clean: CleanRun, point: str, nth: int
) -> None:
    url = clean.database_url
    before = published_tables(url)
    assert upstream(clean.linked, url, "publish", fault=f"{point}#{nth}") == -signal.SIGKILL
    assert published_tables(url) == before
    assert upstream(clean.linked, url, "publish") == 0
    runs = before["PublishRun"][0]
    assert published_tables(url) == {**clean.published, "PublishRun": (runs + 1, "")}


def test_a_city_whose_police_file_has_a_bom_and_a_nul_is_imported_and_published(
    clean: CleanRun,
) -> None:
    con = Workspace.insight(clean.linked).connect(read_only=True)
    try:
        status, rejected = con.execute(
            "SELECT status, rejected FROM extracts WHERE source = 'police'"
        ).fetchall()[0]
        problems = con.execute(
            "SELECT field, reason, action FROM problems ORDER BY row_number"
        ).fetchall()
        record_id, address = con.execute(
            "SELECT OccurrenceRef, Address FROM records_police WHERE _row = 2"
        ).fetchall()[0]
    finally:
        con.close()
    assert (status, rejected) == ("current", 2)
    assert problems == [
        ("Address", "NUL character removed", "cleaned"),
        ("Category", "unknown code", "rejected"),
        (None, "blank line", "rejected"),
    ]
    assert "\x00" not in address
    from upstream.people.models import SourceRecord

    published = query(
        clean.database_url,
        f"SELECT address FROM {SourceRecord._meta.db_table} "
        f"WHERE source = 'police' AND source_record_id = '{record_id}'",
    )
    assert published == [(address.upper(),)]
