"""Appraising a saved version in the background, with its progress on the run's page.

A run is a thread in the web process (a Monte Carlo of the usual 5,000 draws takes seconds, a
million about 10 s on 2 cores: no queue server is worth running for that). The thread reads
the version's TOML with the same parser as `upstream appraise`, appraises it with the same
function and writes the same files with the same writer, into the run's own folder, with the
case file beside them; so the run's figures are `upstream appraise` on the saved TOML.

One run at a time: the machine has 2 cores and other people's pages to serve, so a second run
waits its turn ("Waiting for another appraisal to finish"). A run the server stopped (restarted
mid-run) is shown as stopped after `models.STALLED_AFTER`; starting it again is one click.

The run's page has a "Check again" link, and a small script (appraisals/run.js) follows the
run when JavaScript is there; it never refreshes by itself (a meta refresh fails WCAG 2.2.1).
Settings: APPRAISALS_IN_BACKGROUND (default True). Tests set it False to run in the request.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from upstream.appraisals import casefiles
from upstream.appraisals.models import AppraisalRun, BusinessCase
from upstream.economics.appraise import appraise
from upstream.economics.report import write_all
from upstream.errors import InputError

log = logging.getLogger("upstream.appraisals")
ONE_AT_A_TIME = threading.BoundedSemaphore(1)

# What the page says at each stage, and how far along that is. Measured on 2 shared cores with
# the parenting example (5,000 draws), imports warm: reading 0.01 s, appraising 0.06 s (the
# Monte Carlo is vectorised; about 10 s at a million draws), writing the report 0.6 s (charts
# drawn by matplotlib). So the share of the time left when the report starts to be written
# depends on the draws: `writing_starts_at`.
WAITING = ("Waiting for another appraisal to finish", 0)
READING = ("Reading the case file", 2)
APPRAISING = ("Working out the central case, scenarios and Monte Carlo", 5)
WRITING = "Writing the report, tables and charts"
FINISHED = ("Finished", 100)
SECONDS_PER_DRAW = 0.06 / 5000
SECONDS_TO_WRITE = 0.6


def writing_starts_at(draws: int) -> int:
    """Per cent done when the report starts to be written, from the measured times above."""
    appraising = draws * SECONDS_PER_DRAW
    return int(APPRAISING[1] + (95 - APPRAISING[1]) * appraising / (appraising + SECONDS_TO_WRITE))


def runs_root() -> Path:
    return Path(settings.UPSTREAM.data_dir) / "appraisals" / "runs"


def folder_for(run: AppraisalRun) -> Path:
    return runs_root() / str(run.pk)


def saved_cases(excluding: int | None = None) -> dict[str, str]:
    """Every saved case's latest TOML by file name, for a portfolio's options."""
    found = {}
    cases = BusinessCase.objects.all()
    if excluding is not None:
        cases = cases.exclude(pk=excluding)
    for case in cases:
        latest = case.latest()
        if latest is not None:
            found[case.file_name] = latest.toml
    return found


def start(run: AppraisalRun) -> None:
    """Run it: in a thread once the request's transaction has committed (so the thread can
    read the run), or here and now when APPRAISALS_IN_BACKGROUND is False."""
    if not getattr(settings, "APPRAISALS_IN_BACKGROUND", True):
        execute(run.pk)
        return
    name = f"appraisal-run-{run.pk}"
    transaction.on_commit(
        lambda: threading.Thread(target=_in_thread, args=(run.pk,), name=name, daemon=True).start()
    )


def _in_thread(run_id: int) -> None:
    close_old_connections()
    try:
        execute(run_id)
    finally:
        connection.close()  # a thread's connection is its own: close it, or it stays open


def execute(run_id: int) -> None:
    """Appraise the run's version and record what happened; never raises."""
    run = AppraisalRun.objects.select_related("version__case").get(pk=run_id)
    _move(run, *WAITING, status=AppraisalRun.QUEUED)
    with ONE_AT_A_TIME:
        try:
            _appraise(run)
        except InputError as error:  # the case or a pack cannot be used: say so, as the CLI does
            _fail(run, error.one_line())
        except Exception:  # a fault: logged in full, summarised on the page
            log.exception("appraisal run %s failed", run_id)
            _fail(run, "The appraisal stopped with an unexpected error. It has been logged.")


def _appraise(run: AppraisalRun) -> None:
    run.started_at = timezone.now()
    _move(run, *READING, status=AppraisalRun.RUNNING)
    version = run.version
    saved = saved_cases(excluding=version.case.pk)
    checked = casefiles.check(version.toml, version.case.file_name, saved)
    if checked.problem is not None:
        raise InputError(checked.problem.message, where=checked.problem.where)
    assert checked.case is not None
    kind = checked.case.settings.kind
    draws = checked.case.settings.draws
    if kind == "portfolio":
        stage = "Choosing the portfolio over its scenarios"
    else:
        stage = f"{APPRAISING[0]} ({draws:,} draws)"
    _move(run, stage, APPRAISING[1])
    appraisal = appraise(checked.case)
    _move(run, WRITING, writing_starts_at(draws))
    folder = folder_for(run)
    shutil.rmtree(folder, ignore_errors=True)
    write_all(appraisal, folder)
    _keep_case_files(folder, version.case.file_name, version.toml, saved)
    data = json.loads((folder / "appraisal.json").read_text(encoding="utf-8"))
    run.headline = data.get("headline", {})
    run.finished_at = timezone.now()
    _move(run, *FINISHED, status=AppraisalRun.DONE)


def _keep_case_files(folder: Path, name: str, toml: str, saved: dict[str, str]) -> None:
    """The case file appraised, beside its report (and a portfolio's option files)."""
    (folder / name).write_text(toml, encoding="utf-8")
    for option in casefiles.option_files(toml):
        if option in saved:
            (folder / option).write_text(saved[option], encoding="utf-8")


def _move(run: AppraisalRun, stage: str, progress: int, *, status: str | None = None) -> None:
    run.stage, run.progress = stage, progress
    if status is not None:
        run.status = status
    _saved(run)


def _saved(run: AppraisalRun, tries: int = 100) -> None:
    """Save the run's progress, waiting out a lock. SQLite in shared-cache mode (an in-memory
    database shared by threads, as the tests' is) refuses a write at once while another
    connection holds a lock, where a file database waits (settings: timeout 20 s)."""
    for attempt in range(tries):
        try:
            run.save()
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == tries - 1:
                raise
            time.sleep(0.1)


def _fail(run: AppraisalRun, message: str) -> None:
    run.message = message
    run.finished_at = timezone.now()
    _move(run, "Stopped", run.progress, status=AppraisalRun.FAILED)
