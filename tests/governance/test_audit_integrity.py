"""Cutting the end off the audit log is found, the log is never silently started again, and
checking it never makes a database (issue 10, items 6 and 7)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.casework.conftest import page
from tests.governance.test_audit import ACTOR, write_entries
from tests.governance.test_audit import without_triggers as tamper
from upstream.accounts.roles import Role
from upstream.errors import InputError
from upstream.governance.audit import AuditUnavailableError, Event, entry_hash, record, verify
from upstream.governance.checkpoints import Anchor, append_anchor, last_anchor, parse_anchor
from upstream.governance.models import AuditChainHead, AuditEntry

ROOT = Path(__file__).resolve().parents[2]


def cut_the_end(keep: int) -> None:
    """Delete entries after `keep` and move the head back to the last one kept."""
    tamper("DELETE FROM governance_auditentry WHERE sequence > %s", [keep])
    kept = AuditEntry.objects.get(sequence=keep)
    tamper(
        "UPDATE governance_auditchainhead SET sequence = %s, hash = %s WHERE id = 1",
        [keep, kept.hash],
    )


@pytest.mark.django_db
def test_entries_and_the_head_deleted_from_the_end_break_the_chain() -> None:
    write_entries(4)
    tamper("DELETE FROM governance_auditentry WHERE sequence >= 3")
    tamper("DELETE FROM governance_auditchainhead")
    result = verify()
    assert (result.ok, result.broken_at) == (False, 3)
    assert "chain head is missing" in result.problem


@pytest.mark.django_db
def test_entries_cut_from_the_end_with_the_head_moved_back_are_found_by_an_anchored_head() -> None:
    entries = write_entries(4)
    anchor = Anchor(4, entries[-1].hash, "2024-05-01T09:00:00+00:00")
    cut_the_end(keep=2)
    assert verify().ok  # the chain alone cannot tell
    result = verify(anchor)
    assert (result.ok, result.broken_at) == (False, 3)
    assert result.problem == (
        "the chain ends at entry 2 but entry 4 was anchored "
        "(written down 2024-05-01T09:00:00+00:00) (entries removed from the end)"
    )


@pytest.mark.django_db
def test_a_chain_rewritten_from_an_anchored_entry_onwards_is_found() -> None:
    entries = write_entries(3)
    anchor = Anchor(2, entries[1].hash)
    previous = entries[0].hash
    for entry in AuditEntry.objects.filter(sequence__gte=2).order_by("sequence"):
        entry.reason, entry.previous_hash = "rewritten", previous
        previous = entry_hash(entry)
        tamper(
            "UPDATE governance_auditentry SET reason = %s, previous_hash = %s, hash = %s "
            "WHERE sequence = %s",
            ["rewritten", entry.previous_hash, previous, entry.sequence],
        )
    tamper("UPDATE governance_auditchainhead SET hash = %s WHERE id = 1", [previous])
    assert verify().ok  # every link recomputed
    result = verify(anchor)
    assert (result.broken_at, result.problem) == (
        2,
        "entry 2 is not the entry anchored: the chain was rewritten",
    )


@pytest.mark.django_db
def test_an_intact_chain_contains_its_anchored_heads() -> None:
    entries = write_entries(3)
    assert verify(Anchor(3, entries[-1].hash)).ok
    assert verify(Anchor(1, entries[0].hash)).ok
    assert verify(Anchor(None, entries[1].hash)).ok  # a bare hash, as older checks printed


@pytest.mark.django_db
def test_an_audit_write_after_the_head_is_removed_fails_clearly_and_never_starts_a_new_chain() -> (
    None
):
    write_entries(2)
    tamper("DELETE FROM governance_auditchainhead")
    with pytest.raises(AuditUnavailableError, match="chain head is missing"):
        record(ACTOR, Event(action="view-person", person="P1"))
    assert not AuditChainHead.objects.exists()
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_an_audit_write_after_the_head_was_moved_back_fails_clearly() -> None:
    write_entries(3)
    tamper("UPDATE governance_auditchainhead SET sequence = 1 WHERE id = 1")
    with pytest.raises(AuditUnavailableError, match="does not follow the entries"):
        record(ACTOR, Event(action="view-person", person="P1"))


@pytest.mark.django_db
def test_pages_and_the_api_answer_503_audit_log_unavailable_when_the_head_is_gone(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, dpo = sign_in(Role.DATA_PROTECTION_OFFICER)
    tamper("DELETE FROM governance_auditchainhead")
    response = dpo.get("/governance/audit/")
    assert response.status_code == 503
    heading = page(response).select_one("h1")
    assert heading is not None and heading.text == "Sorry, the audit log is unavailable"
    api = dpo.get("/api/governance/audit")
    assert api.status_code == 503
    assert "audit log is unavailable" in api.json()["detail"]
    assert not AuditChainHead.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_anchors_the_head_so_verify_finds_entries_cut_from_the_end(
    tmp_path: Path,
) -> None:
    from upstream.cli import app

    runner = CliRunner()
    entries = write_entries(3)
    checkpoints = tmp_path / "audit-checkpoints.txt"
    written = runner.invoke(app, ["audit", "checkpoint", "--out", str(checkpoints)])
    assert written.exit_code == 0, written.output
    line = checkpoints.read_text(encoding="utf-8")
    assert line.startswith(f"3:{entries[-1].hash} ") and line.count("\n") == 1
    write_entries(2)
    intact = runner.invoke(app, ["audit", "verify", "--checkpoint", str(checkpoints)])
    assert intact.exit_code == 0, intact.output
    assert "Contains the anchored entry 3" in intact.output

    cut_the_end(keep=2)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # the chain alone cannot tell
    for args in (["--checkpoint", str(checkpoints)], ["--expect-head", f"3:{entries[-1].hash}"]):
        truncated = runner.invoke(app, ["audit", "verify", *args])
        assert truncated.exit_code == 1
        assert "entries removed from the end" in truncated.output
    again = runner.invoke(app, ["audit", "checkpoint", "--out", str(checkpoints)])
    assert again.exit_code == 1  # a shortened chain is never anchored
    assert checkpoints.read_text(encoding="utf-8") == line


def upstream_command(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "UPSTREAM_ENV": "test",
        "UPSTREAM_DATA_DIR": str(database.parent),
        "UPSTREAM_DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "-m", "upstream", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "command", [["audit", "verify"], ["audit", "checkpoint", "--out", "checkpoint.txt"]]
)
def test_checking_a_mistyped_database_path_is_a_one_line_error_and_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "not-here" / "upstrem.sqlite3"
    result = upstream_command(*command, database=typo)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {typo}: no database here (check UPSTREAM_DATABASE_URL or UPSTREAM_DATA_DIR)"
    )
    assert "intact" not in result.stdout
    assert not typo.parent.exists()
    assert not (ROOT / "checkpoint.txt").exists()


def test_verifying_a_database_that_was_never_migrated_is_an_error_and_migrates_nothing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "other.sqlite3"
    with sqlite3.connect(database) as made:
        made.execute("CREATE TABLE notes (text TEXT)")
    result = upstream_command("audit", "verify", database=database)
    assert result.returncode == 2
    assert "holds no audit log (it was never migrated)" in result.stderr
    with sqlite3.connect(database) as check:
        tables = [row[0] for row in check.execute("SELECT name FROM sqlite_master")]
    assert tables == ["notes"]


@pytest.mark.parametrize("typed", ["nonsense", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64])
def test_an_anchor_that_is_not_seq_colon_hash_is_a_one_line_input_error(typed: str) -> None:
    with pytest.raises(InputError, match="expected SEQUENCE:HASH"):
        parse_anchor(typed)


def test_a_checkpoint_file_is_read_from_its_last_line(tmp_path: Path) -> None:
    checkpoints = tmp_path / "anchors.txt"
    first = append_anchor(checkpoints, 3, "a" * 64)
    second = append_anchor(checkpoints, 7, "b" * 64)
    assert checkpoints.read_text(encoding="utf-8") == first.line() + second.line()
    assert last_anchor(checkpoints) == second
    assert parse_anchor("7:" + "B" * 64 + " 2025-03-31T09:00:00+00:00") == Anchor(
        7, "b" * 64, "2025-03-31T09:00:00+00:00"
    )


def test_a_missing_or_empty_checkpoint_file_is_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no checkpoint file here"):
        last_anchor(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    assert last_anchor(tmp_path / "empty.txt") is None
