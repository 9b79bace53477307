"""Who may open each appraisal page: commissioners build, save, upload and appraise; analysts
read the libraries too; the example reports stay open to the roles that read them before."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.appraisals.journey import PAGES
from upstream.accounts.roles import Role
from upstream.appraisals.access import CASE_WRITERS, LIBRARY_READERS, REPORT_READERS
from upstream.appraisals.models import AppraisalRun, BusinessCase, CaseVersion
from upstream.economics.examples import EXAMPLES
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(commissioner: Client) -> CaseVersion:
    text = (
        (EXAMPLES / "parenting-programme.toml")
        .read_text(encoding="utf-8")
        .replace("draws = 5000", "draws = 100")
    )
    commissioner.post(
        "/appraisals/cases/upload/", {"case_file": SimpleUploadedFile("p.toml", text.encode())}
    )
    version = CaseVersion.objects.get()
    commissioner.post(f"/appraisals/cases/{version.case.pk}/versions/1/appraise/")
    return version


def pages(version: CaseVersion) -> dict[str, frozenset[Role]]:
    case, run = version.case.pk, AppraisalRun.objects.get().pk
    return {
        "/appraisals/": REPORT_READERS,
        "/appraisals/what-works/": LIBRARY_READERS,
        "/appraisals/what-works/incredible_years_preschool/": LIBRARY_READERS,
        "/appraisals/unit-costs/": LIBRARY_READERS,
        "/appraisals/cases/new/": CASE_WRITERS,
        "/appraisals/cases/upload/": CASE_WRITERS,
        f"/appraisals/cases/{case}/": CASE_WRITERS,
        f"/appraisals/cases/{case}/upload/": CASE_WRITERS,
        f"/appraisals/cases/{case}/compare/": CASE_WRITERS,
        f"/appraisals/cases/{case}/versions/1/": CASE_WRITERS,
        f"/appraisals/cases/{case}/versions/1/case.toml": CASE_WRITERS,
        f"/appraisals/cases/{case}/versions/1/toml/": CASE_WRITERS,
        f"/appraisals/runs/{run}/": CASE_WRITERS,
        f"/appraisals/runs/{run}/appraisal.json": CASE_WRITERS,
    }


@pytest.mark.parametrize("role", list(Role))
def test_each_page_opens_for_the_roles_it_is_for_and_no_other(
    saved: CaseVersion, sign_in: Callable[..., Client], role: Role
) -> None:
    client = sign_in(role)
    for url, roles in pages(saved).items():
        status = client.get(url).status_code
        assert status == (200 if role in roles else 403), (role, url, status)


WRITES = ["appraise", "edit"]


@pytest.mark.parametrize("role", [r for r in Role if r not in CASE_WRITERS])
def test_no_other_role_can_save_upload_or_appraise(
    saved: CaseVersion, sign_in: Callable[..., Client], role: Role
) -> None:
    client = sign_in(role)
    case = saved.case.pk
    before = (
        BusinessCase.objects.count(),
        CaseVersion.objects.count(),
        AppraisalRun.objects.count(),
        AuditEntry.objects.count(),
    )
    text = saved.toml.encode()
    posts = [
        ("/appraisals/cases/new/", {}),
        ("/appraisals/cases/upload/", {"case_file": SimpleUploadedFile("p.toml", text)}),
        (f"/appraisals/cases/{case}/upload/", {"case_file": SimpleUploadedFile("p.toml", text)}),
        (f"/appraisals/cases/{case}/versions/1/toml/", {"toml": saved.toml}),
        (f"/appraisals/cases/{case}/versions/1/appraise/", {}),
        (f"/appraisals/cases/{case}/versions/1/edit/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    after = (
        BusinessCase.objects.count(),
        CaseVersion.objects.count(),
        AppraisalRun.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


def test_a_draft_belongs_to_the_session_that_started_it(
    commissioner: Client, sign_in: Callable[..., Client]
) -> None:
    first = commissioner.post("/appraisals/cases/new/")["Location"]
    commissioner.post(first, PAGES[0][1])
    other = sign_in(Role.COMMISSIONER)
    assert other.get(first).status_code == 404
    analyst = sign_in(Role.ANALYST)
    assert analyst.get(first).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(saved: CaseVersion) -> None:
    for url in pages(saved):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), url
