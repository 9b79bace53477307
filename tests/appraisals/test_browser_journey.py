"""The issue's journey in a real browser (Chromium, axe-core on every page): a commissioner
builds a per-outcome case with a weekly cost over three years, saves it, appraises it in the
background, reads the report inside the service and downloads it; the figures are
`upstream appraise` on the saved TOML. Screenshots of every page go to var/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.appraisals.journey import PAGES, TITLE
from tests.browser.fixtures import Browser
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.appraisals.models import AppraisalRun, CaseVersion
from upstream.cli import app

pytestmark = pytest.mark.django_db(transaction=True)


def answer(browser: Browser, step: str, answers: dict[str, str]) -> None:
    """Fill one question page as a person would: type into inputs, choose radios and options."""
    page = browser.page
    assert f"/{step}/" in page.url, (step, page.url)
    for name, value in answers.items():
        radios = page.locator(f'input[type=radio][name="{name}"]')
        if radios.count():
            page.check(f'input[type=radio][name="{name}"][value="{value}"]')
            continue
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
            continue
        details = field.locator("xpath=ancestor::details")
        if details.count() and not details.evaluate("d => d.open"):
            details.locator("summary").click()
        field.fill(value)
    browser.screenshot(f"appraisal-step-{step}")
    page.click("button:has-text('Save')")
    browser.checked()


def test_a_commissioner_builds_appraises_and_downloads_a_case_in_the_browser(
    browser: Browser,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    import dataclasses

    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path / "data")
    settings.APPRAISALS_IN_BACKGROUND = True
    create_user(username="cara", role=Role.COMMISSIONER, first_name="Cara")
    page = browser.sign_in("cara", DEFAULT_PASSWORD)
    page.click("#navigation >> text=Business cases")
    browser.checked()
    browser.screenshot("appraisals-index")
    page.click("text=Build a business case")
    browser.checked()
    browser.screenshot("appraisal-start")
    page.click("button:has-text('Start now')")
    browser.checked()
    for step, answers in PAGES:
        if step.startswith("outcome-") and step.endswith("-risk"):
            page.click("a.govuk-button--secondary")  # "Add an outcome", from the outcomes list
            browser.checked()
        if step == "cost-0":
            browser.screenshot("appraisal-outcomes")
            page.click("text=Continue")
            browser.checked()
            page.click("a.govuk-button--secondary")  # "Add a cost"
            browser.checked()
        if step == "uncertainty":
            browser.screenshot("appraisal-costs")
            page.click("text=Continue")
            browser.checked()
        answer(browser, step, answers)
        if step == "adjustments":
            assert "/outcomes/" in page.url
    assert "/check/" in page.url
    assert page.locator(".govuk-error-summary").count() == 0
    browser.screenshot("appraisal-check")
    page.fill("#note", "Built in the browser")
    page.click("button:has-text('Save the business case')")
    browser.checked()
    browser.screenshot("appraisal-version")
    page.click("button:has-text('Appraise this version')")
    browser.checked()
    browser.screenshot("appraisal-run")
    # The page follows the run (a script asking its JSON twin), then offers the report.
    page.wait_for_selector(".upstream-report, [data-finished]:not([hidden])", timeout=120_000)
    if page.locator("[data-finished]:not([hidden])").count():
        browser.screenshot("appraisal-run-finished")
        page.click("text=read the report")
        browser.checked()
    assert page.inner_text("h1") == TITLE
    assert page.locator(".govuk-back-link").count() == 1
    browser.screenshot("appraisal-report-in-service")
    with page.expect_download() as download:
        page.click("main a:text-is('appraisal.json')")
    saved_json = tmp_path / "service.json"
    download.value.save_as(saved_json)
    page.click(".govuk-back-link")
    browser.checked()
    with page.expect_download() as toml_download:
        page.click("text=Download the case file (TOML)")
    version = CaseVersion.objects.get()
    case_file = tmp_path / "cli" / version.case.file_name
    case_file.parent.mkdir()
    toml_download.value.save_as(case_file)
    result = CliRunner().invoke(
        app, ["appraise", str(case_file), "--out", str(tmp_path / "cli-report")]
    )
    assert result.exit_code == 0, result.output
    from_cli = json.loads((tmp_path / "cli-report" / "appraisal.json").read_text(encoding="utf-8"))
    assert json.loads(saved_json.read_text(encoding="utf-8")) == from_cli
    assert AppraisalRun.objects.get().headline == from_cli["headline"]


def test_a_bad_answer_in_the_browser_shows_the_error_summary(browser: Browser) -> None:
    create_user(username="cara", role=Role.COMMISSIONER)
    page = browser.sign_in("cara", DEFAULT_PASSWORD)
    browser.visit("/appraisals/cases/new/")
    page.click("button:has-text('Start now')")
    browser.checked()
    answer(browser, "about", PAGES[0][1])
    answer(browser, "settings", {**PAGES[1][1], "horizon-years": "ten"})
    summary = page.inner_text(".govuk-error-summary")
    assert "Years appraised must be a whole number, got 'ten'" in summary
    browser.screenshot("appraisal-step-error")
    page.click(".govuk-error-summary__list a")
    assert page.evaluate("document.activeElement.id") == "horizon-years"


def test_the_libraries_in_the_browser(browser: Browser) -> None:
    create_user(username="ana", role=Role.ANALYST)
    page = browser.sign_in("ana", DEFAULT_PASSWORD)
    page.click("#navigation >> text=What works")
    browser.checked()
    browser.screenshot("what-works")
    page.fill("#q", "conduct")
    page.click("button:has-text('Search')")
    browser.checked()
    page.click("text=Incredible Years: preschool parent programme (BASIC)")
    browser.checked()
    browser.screenshot("what-works-entry")
    page.click("#navigation >> text=Unit costs")
    browser.checked()
    browser.screenshot("unit-costs")
    page.click("text=Next")
    browser.checked()
    assert "Page 2 of" in page.inner_text(".govuk-pagination")


def test_a_commissioner_uploads_versions_and_compares_them(
    browser: Browser, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from upstream.economics.examples import EXAMPLES

    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path / "data")
    settings.APPRAISALS_IN_BACKGROUND = False
    text = (
        (EXAMPLES / "parenting-programme.toml")
        .read_text(encoding="utf-8")
        .replace("draws = 5000", "draws = 500")
    )
    first, bad, second = (
        tmp_path / "parenting-programme.toml",
        tmp_path / "bad.toml",
        tmp_path / "v2.toml",
    )
    first.write_text(text, encoding="utf-8")
    bad.write_text(text.replace("horizon_years = 15", "horizon_years = 0"), encoding="utf-8")
    second.write_text(text.replace("cashable = 0.5", "cashable = 0.8"), encoding="utf-8")
    create_user(username="cara", role=Role.COMMISSIONER)
    page = browser.sign_in("cara", DEFAULT_PASSWORD)
    browser.visit("/appraisals/cases/upload/")
    page.set_input_files("#case-file", str(first))
    page.click("button:has-text('Upload and check')")
    browser.checked()
    page.click("text=Appraise this version")
    browser.checked()
    page.click(".govuk-back-link")
    browser.checked()
    page.click(".govuk-back-link")  # to the case
    browser.checked()
    page.click("text=Upload a new version")
    browser.checked()
    page.set_input_files("#case-file", str(bad))
    page.click("button:has-text('Upload and check')")
    browser.checked()
    assert "case.horizon_years: must be between 1 and 300, got 0" in page.inner_text(
        ".govuk-error-summary"
    )
    browser.screenshot("appraisal-upload-error")
    page.set_input_files("#case-file", str(second))
    page.fill("#note", "Council releases more placement spend")
    page.click("button:has-text('Upload and check')")
    browser.checked()
    page.click("text=Appraise this version")
    browser.checked()
    page.click(".govuk-back-link")
    browser.checked()
    page.click(".govuk-back-link")
    browser.checked()
    browser.screenshot("appraisal-case")
    page.click("button:has-text('Compare')")
    browser.checked()
    assert page.locator("tr.upstream-compare__changed").count() >= 2
    browser.screenshot("appraisal-compare")
    case_path = page.url.removeprefix(browser.base_url).split("/compare/")[0]
    browser.visit(case_path + "/versions/2/toml/")
    browser.screenshot("appraisal-edit-toml")
    browser.visit("/appraisals/what-works/wsipp-1/")
    browser.screenshot("what-works-wsipp")
