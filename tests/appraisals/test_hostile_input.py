"""What a careless or hostile person might type into every question page, upload and search,
with a real draft, case and run behind them (the route probe, tests/web/test_every_route.py,
reaches these pages only with IDs that are not there). Whatever is sent: no 500, no traceback,
nothing sent shown back unescaped, and a refusal is a GOV.UK page."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.appraisals.journey import PAGES, build
from tests.web.test_every_route import HOSTILE, SCRIPT
from upstream.appraisals.models import AppraisalRun, CaseVersion

pytestmark = pytest.mark.django_db


def sound(response: object, what: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.content  # type: ignore[attr-defined]
    assert status < 500, what
    assert b"Traceback" not in body, what
    if response["Content-Type"].startswith("text/html"):  # type: ignore[index]
        assert SCRIPT.encode() not in body, what
        if status >= 400:
            assert b"govuk-template" in body, what


def test_hostile_answers_on_every_question_page(commissioner: Client) -> None:
    draft = build(commissioner)
    rng = random.Random("appraisal-pages")
    for step, answers in PAGES:
        url = draft + f"{step}/"
        for name in answers:
            for text in [*rng.sample(HOSTILE, 3), SCRIPT]:
                sound(
                    commissioner.post(url, {**answers, name: text}), f"{step} {name}={text[:20]!r}"
                )
        sound(commissioner.post(url, dict.fromkeys(answers, rng.choice(HOSTILE))), step)
        sound(commissioner.get(url), step)
    sound(commissioner.get(draft + "check/"), "check")
    sound(
        commissioner.post(draft + "outcomes/remove/", {"index": "99999999999999999999"}), "remove"
    )


def test_hostile_uploads_searches_and_comparisons(commissioner: Client) -> None:
    draft = build(commissioner)
    commissioner.post(draft + "check/", {})
    version = CaseVersion.objects.get()
    case = version.case.pk
    commissioner.post(f"/appraisals/cases/{case}/versions/1/appraise/")
    run = AppraisalRun.objects.get()
    for text in HOSTILE:
        content = text.encode("utf-8", "surrogatepass")
        upload = {"case_file": SimpleUploadedFile(f"{text[:50]}.toml", content), "note": text}
        sound(commissioner.post("/appraisals/cases/upload/", upload), f"upload {text[:20]!r}")
        sound(
            commissioner.post(
                f"/appraisals/cases/{case}/versions/1/toml/", {"toml": text, "note": text}
            ),
            "toml",
        )
        for url in (
            "/appraisals/what-works/",
            "/appraisals/unit-costs/",
            f"/appraisals/cases/{case}/compare/",
        ):
            params = {
                "q": text,
                "level": text,
                "category": text,
                "agency": text,
                "page": text,
                "a": text,
                "b": text,
            }
            sound(commissioner.get(url, params), f"{url} {text[:20]!r}")
            sound(commissioner.get(url, {**params, "format": "json"}), f"{url} json")
        sound(commissioner.get(f"/appraisals/runs/{run.pk}/", {"format": text}), "run")
    assert CaseVersion.objects.count() == 1  # nothing hostile was saved
