"""The example appraisals `upstream appraise` wrote (the demo writes them into
$UPSTREAM_DATA_DIR/reports/): listed with their headlines, read inside the service, and their
files downloaded."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.city import TestCity
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.economics.examples import EXAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, test_city: TestCity, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The example appraisals the demo pipeline wrote, in a data directory of the test's own."""
    here = tmp_path / "data"
    shutil.copytree(test_city.data_dir / "reports", here / "reports")
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=here)
    return here


def signed_in(role: Role) -> Client:
    client = Client()
    user = create_user(role=role)
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def test_a_commissioner_sees_every_example_appraisal_with_its_headline(data_dir: Path) -> None:
    html = BeautifulSoup(signed_in(Role.COMMISSIONER).get("/appraisals/").content, "html.parser")
    titles = [t.text.strip() for t in html.select(".govuk-summary-card__title")]
    assert len(titles) == len(list(EXAMPLES.glob("*.toml")))
    assert "Early help transformation programme: business case" in titles
    assert "Net present value" in html.select_one(".govuk-summary-list").text


def test_the_list_has_a_json_twin(data_dir: Path) -> None:
    data = signed_in(Role.ANALYST).get("/appraisals/?format=json").json()
    assert {a["name"] for a in data["appraisals"]} >= {"parenting-programme", "youth-portfolio"}


def test_the_report_reads_inside_the_service_with_a_back_link(data_dir: Path) -> None:
    html = BeautifulSoup(
        signed_in(Role.COMMISSIONER).get("/appraisals/reports/parenting-programme/").content,
        "html.parser",
    )
    assert html.select_one(".govuk-header") and html.select_one("#navigation")
    assert html.select_one(".govuk-back-link")["href"] == "/appraisals/"
    assert "The answer" in html.select_one(".upstream-report").text
    downloads = [a.text for a in html.select("main .govuk-list a")]
    assert {"report.html", "appraisal.xlsx", "appraisal.json", "cashflows.csv"} <= set(downloads)


def test_the_report_file_is_served_with_a_policy_that_allows_only_its_own_styles(
    data_dir: Path,
) -> None:
    response = signed_in(Role.COMMISSIONER).get("/appraisals/parenting-programme/report.html")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert b"<h2>The answer</h2>" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_tables_download_as_attachments(data_dir: Path) -> None:
    response = signed_in(Role.COMMISSIONER).get("/appraisals/parenting-programme/appraisal.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "path",
    [
        "../secret/report.html",
        "parenting-programme/..%2Fmanifest.json",
        "nothing/report.html",
        "parenting-programme/missing.csv",
    ],
)
def test_only_files_in_an_appraisal_folder_are_served(data_dir: Path, path: str) -> None:
    assert signed_in(Role.COMMISSIONER).get(f"/appraisals/{path}").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.CITIZEN, Role.FRONT_DOOR_OFFICER, Role.DATA_PROTECTION_OFFICER]
)
def test_business_cases_are_denied_to_roles_that_do_not_need_them(
    data_dir: Path, role: Role
) -> None:
    client = signed_in(role)
    assert client.get("/appraisals/").status_code == 403
    assert client.get("/appraisals/reports/parenting-programme/").status_code == 403
    assert client.get("/appraisals/parenting-programme/report.html").status_code == 403


def test_with_no_appraisals_the_page_says_how_to_make_one(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path)
    html = BeautifulSoup(signed_in(Role.COMMISSIONER).get("/appraisals/").content, "html.parser")
    assert "No appraisals yet" in html.select_one(".govuk-inset-text").text


def test_a_name_too_long_for_the_file_system_is_not_found_rather_than_a_server_error(
    data_dir: Path,
) -> None:
    # "File name too long" was a 500 (found by tests/web/test_every_route.py).
    client = signed_in(Role.COMMISSIONER)
    assert client.get(f"/appraisals/{'x' * 300}/report.html").status_code == 404
    assert client.get(f"/appraisals/parenting-programme/{'x' * 300}").status_code == 404
