"""Saved cases: upload (checked as the CLI checks), download, edit as TOML, compare versions,
appraise in the background and read the report inside the service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from tests.appraisals.conftest import error_summary, page
from tests.appraisals.journey import build
from upstream.appraisals import casefiles, runs
from upstream.appraisals.models import AppraisalRun, BusinessCase, CaseVersion
from upstream.cli import app
from upstream.economics.examples import EXAMPLES
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db

PARENTING = EXAMPLES / "parenting-programme.toml"


def upload(
    client: Client,
    text: str | bytes,
    name: str = "parenting-programme.toml",
    to: str = "/appraisals/cases/upload/",
    note: str = "",
) -> object:
    content = text.encode() if isinstance(text, str) else text
    return client.post(to, {"case_file": SimpleUploadedFile(name, content), "note": note})


def quick(text: str) -> str:
    """The example with few draws, so a test appraises it in a moment."""
    return text.replace("draws = 5000", "draws = 200")


def test_an_uploaded_case_file_is_saved_as_version_one(commissioner: Client) -> None:
    response = upload(commissioner, PARENTING.read_text(encoding="utf-8"), note="From the example")
    version = CaseVersion.objects.get()
    assert response["Location"] == f"/appraisals/cases/{version.case.pk}/versions/1/"
    assert version.source == "upload" and version.note == "From the example"
    assert version.toml == PARENTING.read_text(encoding="utf-8")
    assert version.case.slug == "parenting-programme"  # from the file's name
    assert AuditEntry.objects.filter(action="appraisal_case_upload").count() == 1


def test_a_bad_file_is_refused_with_the_clis_message_and_nothing_is_saved(
    commissioner: Client,
) -> None:
    bad = PARENTING.read_text(encoding="utf-8").replace(
        'attrition = { low = 0.15, central = 0.20, high = 0.30, distribution = "pert" }',
        "attrition = 1.4",
    )
    response = upload(commissioner, bad, name="mine.toml")
    assert response.status_code == 400
    assert error_summary(response) == [
        "mine.toml: intervention.attrition: must be between 0 and 1, got 1.4"
    ]
    assert page(response).select_one(".govuk-error-summary__list a")["href"] == "#case-file"
    assert not BusinessCase.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="appraisal").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "mine.toml: case: is required"),
        (b"[case\n", "mine.toml: not valid TOML"),
        (
            b'title = "caf\xe9"\n',
            "mine.toml: not UTF-8 text: byte 0xe9 on line 1; save the file as UTF-8",
        ),
        (b"x" * 300_000, "mine.toml: is 300,000 bytes; a case file is at most 200,000"),
        (
            b'[case]\nkind = "intervention"\ntitle = "t"\noverrides_file = "/etc/passwd"\n',
            "mine.toml: case.overrides_file: names a file on the server",
        ),
    ],
)
def test_files_that_cannot_be_used_are_refused_clearly(
    commissioner: Client, content: bytes, expected: str
) -> None:
    response = upload(commissioner, content, name="mine.toml")
    assert response.status_code == 400
    [shown] = error_summary(response)
    assert shown.startswith(expected)
    assert not CaseVersion.objects.exists()


def test_no_file_chosen_is_refused(commissioner: Client) -> None:
    response = commissioner.post("/appraisals/cases/upload/", {})
    assert error_summary(response) == ["Choose a case file (.toml) to upload"]


def test_a_portfolio_names_other_cases_saved_here(commissioner: Client) -> None:
    portfolio = (EXAMPLES / "youth-portfolio.toml").read_text(encoding="utf-8")
    refused = upload(commissioner, portfolio, name="youth-portfolio.toml")
    assert "is not a case saved here" in error_summary(refused)[0]
    # Uploaded under their own file names, the options find them as the CLI finds files.
    for name in casefiles.option_files(portfolio):
        name = name.removesuffix(".toml")
        upload(
            commissioner,
            (EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"),
            name=f"{name}.toml",
        )
    assert upload(commissioner, portfolio, name="youth-portfolio.toml").status_code == 302
    version = CaseVersion.objects.get(kind="portfolio")
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    assert run.status == "done", run.message
    assert (runs.folder_for(run) / "parenting-programme.toml").is_file()


def test_a_version_downloads_as_the_toml_it_was_saved_as(commissioner: Client) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    version = CaseVersion.objects.get()
    response = commissioner.get(f"/appraisals/cases/{version.case.pk}/versions/1/case.toml")
    assert response.content.decode() == version.toml
    assert f'filename="{version.file_name}"' in response["Content-Disposition"]


def test_editing_as_toml_saves_a_new_version_only_when_it_checks(commissioner: Client) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    case = BusinessCase.objects.get()
    url = f"/appraisals/cases/{case.pk}/versions/1/toml/"
    text = case.latest().toml
    bad = commissioner.post(url, {"toml": text.replace("horizon_years = 15", "horizon_years = -1")})
    assert bad.status_code == 400
    assert error_summary(bad) == [
        f"{case.file_name}: case.horizon_years: must be between 1 and 300, got -1"
    ]
    assert case.versions.count() == 1
    good = commissioner.post(
        url, {"toml": text.replace("horizon_years = 15", "horizon_years = 12"), "note": "Shorter"}
    )
    assert good.status_code == 302
    assert case.versions.count() == 2 and case.latest().source == "text"


def test_appraising_a_version_runs_it_and_shows_the_report_inside_the_service(
    commissioner: Client,
) -> None:
    upload(commissioner, quick(PARENTING.read_text(encoding="utf-8")))
    version = CaseVersion.objects.get()
    response = commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    assert response["Location"] == f"/appraisals/runs/{run.pk}/"
    assert run.status == "done" and run.progress == 100, run.message
    assert "Net present value" in " ".join(run.headline["figures"])
    shown = page(commissioner.get(f"/appraisals/runs/{run.pk}/"))
    assert shown.select_one(".govuk-header") and shown.select_one("#navigation")
    assert (
        shown.select_one(".govuk-back-link")["href"]
        == f"/appraisals/cases/{version.case.pk}/versions/1/"
    )
    report = shown.select_one(".upstream-report")
    assert "The answer" in report.text
    assert report.select("img.upstream-report__chart") and not report.select("svg")
    assert len(shown.select("h1")) == 1
    links = [a["href"] for a in shown.select("main a[href*='/runs/']")]
    for name in (
        "report.html",
        "appraisal.xlsx",
        "appraisal.json",
        "cashflows.csv",
        version.case.file_name,
    ):
        assert f"/appraisals/runs/{run.pk}/{name}" in links
    assert AuditEntry.objects.get(action="appraisal_run").detail["run"] == run.pk


def test_the_reports_files_download(commissioner: Client) -> None:
    upload(commissioner, quick(PARENTING.read_text(encoding="utf-8")))
    version = CaseVersion.objects.get()
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    for name in ("appraisal.xlsx", "appraisal.json", "cashflows.csv"):
        response = commissioner.get(f"/appraisals/runs/{run.pk}/{name}")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    report = commissioner.get(f"/appraisals/runs/{run.pk}/report.html")
    assert report["Content-Security-Policy"].startswith("default-src 'none'")
    for name in ("../appraisal.json", "nothing.csv", "x" * 300):
        assert commissioner.get(f"/appraisals/runs/{run.pk}/{name}").status_code == 404


def test_the_service_figures_are_upstream_appraise_on_the_saved_toml(
    commissioner: Client, tmp_path: Path
) -> None:
    draft = build(commissioner)
    commissioner.post(draft + "check/", {})
    version = CaseVersion.objects.get()
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    assert run.status == "done", run.message
    saved = tmp_path / "cli" / version.case.file_name
    saved.parent.mkdir()
    saved.write_bytes(
        commissioner.get(f"/appraisals/cases/{version.case.pk}/versions/1/case.toml").content
    )
    result = CliRunner().invoke(
        app, ["appraise", str(saved), "--out", str(tmp_path / "cli-report")]
    )
    assert result.exit_code == 0, result.output
    from_cli = json.loads((tmp_path / "cli-report" / "appraisal.json").read_text(encoding="utf-8"))
    from_service = json.loads(
        commissioner.get(f"/appraisals/runs/{run.pk}/appraisal.json").getvalue()
    )
    assert from_service == from_cli
    assert run.headline == from_cli["headline"]


def test_a_run_that_fails_says_why_as_the_cli_would(commissioner: Client) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    version = CaseVersion.objects.get()
    # A version saved before a pack changed may no longer check: the run says so and stops.
    CaseVersion.objects.filter(pk=version.pk).update(
        toml=version.toml.replace('"E&S1.0"', '"GONE1"')
    )
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    assert run.status == "failed"
    assert "unknown unit cost code 'GONE1'" in run.message
    shown = page(commissioner.get(f"/appraisals/runs/{run.pk}/"))
    assert "could not finish" in shown.h1.text and "GONE1" in shown.text


def test_a_running_appraisal_refreshes_itself_and_offers_to_check_again(
    commissioner: Client,
) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    version = CaseVersion.objects.get()
    run = AppraisalRun.objects.create(
        version=version, started_by=version.saved_by, status="running", stage="Working", progress=15
    )
    shown = page(commissioner.get(f"/appraisals/runs/{run.pk}/"))
    assert shown.select_one("[data-stage]").text == "Working"
    assert shown.select_one("progress")["value"] == "15"
    assert shown.find("a", string="Check again")["href"] == f"/appraisals/runs/{run.pk}/"
    # No meta refresh (WCAG 2.2.1): a script follows the run where JavaScript runs.
    assert not shown.select('meta[http-equiv="refresh"]')
    assert shown.select_one('script[src$="appraisals/run.js"]')
    data = commissioner.get(f"/appraisals/runs/{run.pk}/?format=json").json()
    assert data["status"] == "running" and data["progress"] == 15


def test_a_run_the_server_stopped_is_shown_as_stopped(commissioner: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    version = CaseVersion.objects.get()
    run = AppraisalRun.objects.create(
        version=version, started_by=version.saved_by, status="running"
    )
    AppraisalRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    shown = page(commissioner.get(f"/appraisals/runs/{run.pk}/"))
    assert "stopped" in shown.h1.text and not shown.select('script[src$="appraisals/run.js"]')


def test_two_versions_compare_side_by_side_with_their_headlines(commissioner: Client) -> None:
    text = quick(PARENTING.read_text(encoding="utf-8"))
    upload(commissioner, text)
    case = BusinessCase.objects.get()
    upload(
        commissioner,
        text.replace("cashable = 0.5", "cashable = 0.8"),
        to=f"/appraisals/cases/{case.pk}/upload/",
    )
    for number in (1, 2):
        commissioner.post(f"/appraisals/cases/{case.pk}/versions/{number}/appraise/")
    response = commissioner.get(f"/appraisals/cases/{case.pk}/compare/?a=1&b=2")
    shown = page(response)
    changed = [r for r in shown.select("tr.upstream-compare__changed")]
    labels = [r.th.text for r in changed]
    assert any("Cashable share" in label for label in labels)
    assert any("of which cashable" in label for label in labels)
    only = page(commissioner.get(f"/appraisals/cases/{case.pk}/compare/?a=1&b=2&only=changed"))
    assert len(only.select("table")[1].select("tbody tr")) == 1
    data = commissioner.get(f"/appraisals/cases/{case.pk}/compare/?a=1&b=2&format=json").json()
    assert any(
        r["path"] == "intervention.outcome[2].cashable" and r["changed"] for r in data["rows"]
    )


def test_comparing_a_version_that_is_not_there_is_an_error_on_the_page(
    commissioner: Client,
) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    case = BusinessCase.objects.get()
    response = commissioner.get(f"/appraisals/cases/{case.pk}/compare/?a=7&b=x")
    assert response.status_code == 400
    assert error_summary(response) == [
        "Choose version A from the list",
        "Choose version B from the list",
    ]


def test_the_case_list_and_the_case_page(commissioner: Client) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    case = BusinessCase.objects.get()
    index = page(commissioner.get("/appraisals/"))
    assert index.find("a", string=case.name)["href"] == f"/appraisals/cases/{case.pk}/"
    shown = page(commissioner.get(f"/appraisals/cases/{case.pk}/"))
    assert shown.h1.text == case.name
    assert "Version 1" in shown.select_one("table").text
    data = commissioner.get(f"/appraisals/cases/{case.pk}/?format=json").json()
    assert data["versions"][0]["saved_by"] == "cara"


def test_the_version_page_lists_every_input_with_its_label(commissioner: Client) -> None:
    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    case = BusinessCase.objects.get()
    shown = page(commissioner.get(f"/appraisals/cases/{case.pk}/versions/1/"))
    keys = [d.text.strip() for d in shown.select(".govuk-summary-list__key")]
    assert "Attrition" in keys
    assert any(k.startswith("Outcome 3 (Entry to care avoided): Cashable share") for k in keys)
    rows = commissioner.get(f"/appraisals/cases/{case.pk}/versions/1/?format=csv").content.decode()
    assert "intervention.attrition" in rows


@pytest.mark.django_db(transaction=True)
def test_in_the_web_process_an_appraisal_runs_in_a_thread_and_the_page_follows_it(
    settings,
    commissioner: Client,  # type: ignore[no-untyped-def]
) -> None:
    import time

    settings.APPRAISALS_IN_BACKGROUND = True
    upload(commissioner, quick(PARENTING.read_text(encoding="utf-8")))
    version = CaseVersion.objects.get()
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    deadline = time.monotonic() + 120
    while run.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == "done", run.message
    assert runs.folder_for(run).joinpath("report.html").is_file()
    assert "The answer" in page(commissioner.get(f"/appraisals/runs/{run.pk}/")).text


def test_the_progress_when_the_report_starts_follows_the_draws() -> None:
    # Measured: 5,000 draws appraise in 0.06 s and the report takes 0.6 s, so writing starts
    # early; at a million draws the Monte Carlo is most of the run.
    shares = [runs.writing_starts_at(d) for d in (1, 5_000, 100_000, 1_000_000)]
    assert shares == sorted(shares) and shares[1] < 20 and shares[-1] >= 90


def test_a_save_that_cannot_be_audited_does_not_happen(commissioner: Client) -> None:
    from tests.governance.test_audit_integrity import tamper

    upload(commissioner, PARENTING.read_text(encoding="utf-8"))
    tamper("DELETE FROM governance_auditchainhead")  # the audit log refuses every entry now
    case = BusinessCase.objects.get()
    response = commissioner.post(
        f"/appraisals/cases/{case.pk}/upload/",
        {"case_file": SimpleUploadedFile("p.toml", quick(case.latest().toml).encode())},
    )
    assert response.status_code == 503
    assert case.versions.count() == 1
    refused = commissioner.post(f"/appraisals/cases/{case.pk}/versions/1/appraise/")
    assert refused.status_code == 503 and not AppraisalRun.objects.exists()
