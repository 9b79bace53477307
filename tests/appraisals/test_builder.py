"""Building a case in the browser: GOV.UK question pages whose answers are checked by the CLI's
own parser, a check-your-answers page, and saving the case as a version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.test import Client

from tests.appraisals.conftest import error_summary, page
from tests.appraisals.journey import PAGES, TITLE, build, draft_url, start
from upstream.appraisals.models import BusinessCase, CaseVersion
from upstream.economics.casefile import parse_case
from upstream.errors import InputError
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def cli_message(toml: str) -> str:
    """What `upstream appraise` says about this case file."""
    with pytest.raises(InputError) as error:
        parse_case(toml, name="case.toml")
    return error.value.message


def test_a_commissioner_builds_a_per_outcome_case_with_a_weekly_cost_and_saves_it(
    commissioner: Client,
) -> None:
    draft = build(commissioner)
    check = commissioner.get(draft + "check/")
    assert check.status_code == 200
    assert not error_summary(check)
    assert "Check your answers" in page(check).h1.text
    response = commissioner.post(draft + "check/", {"note": "First go"})
    assert response.status_code == 302
    version = CaseVersion.objects.get()
    assert version.number == 1 and version.note == "First go" and version.source == "form"
    assert version.case.name == TITLE and version.saved_by.username == "cara"
    data = tomllib.loads(version.toml)
    care = data["intervention"]["outcome"][1]
    assert care["unit_cost"] == 1250 and care["unit_cost_per"] == "week"
    assert care["duration"] == 156 and care["base_rate"] == 0.05
    exclusion = data["intervention"]["outcome"][0]
    assert exclusion["baseline"] == 12
    assert exclusion["success"] == {"low": 0.15, "central": 0.25, "high": 0.35}
    assert data["intervention"]["cost"][0]["unit_cost_per"] == "week"
    assert data["case"]["year_zero"] == "2025/26"
    # The saved file reads as the CLI reads it, and the draft is gone.
    assert parse_case(version.toml, name=version.case.file_name).settings.title == TITLE
    assert commissioner.get(draft + "check/").status_code == 404


def test_saving_is_audited(commissioner: Client) -> None:
    draft = build(commissioner)
    commissioner.post(draft + "check/", {})
    entry = AuditEntry.objects.get(action="appraisal_case_save")
    assert entry.actor == "cara" and entry.detail["version"] == 1


def test_a_bad_answer_is_shown_in_an_error_summary_with_the_cli_message_and_not_kept(
    commissioner: Client,
) -> None:
    first = start(commissioner)
    for step, answers in PAGES[:4]:
        commissioner.post(draft_url(first, step), answers)
    response = commissioner.post(
        draft_url(first, "cohort"), {**PAGES[3][1], "attrition-central": "1.4"}
    )
    assert response.status_code == 400
    message = cli_message(
        '[case]\nkind = "intervention"\ntitle = "t"\n[intervention]\nname = "n"\n'
        'cohort = { "5-11" = 200 }\nattrition = 1.4\n'
    )
    assert error_summary(response) == [f"Attrition {message}"]
    assert page(response).select_one("#attrition-central")["value"] == "1.4"
    link = page(response).select_one(".govuk-error-summary__list a")["href"]
    assert link == "#attrition-central"
    assert "Error:" in page(response).title.text
    # The draft kept the earlier answer, not the bad one.
    again = commissioner.get(draft_url(first, "cohort"))
    assert page(again).select_one("#attrition-central")["value"] == "0.1"


def test_text_where_a_number_goes_gets_the_parsers_words(commissioner: Client) -> None:
    first = start(commissioner)
    response = commissioner.post(draft_url(first, "settings"), {"horizon-years": "ten"})
    assert error_summary(response) == ["Years appraised must be a whole number, got 'ten'"]


def test_an_unknown_unit_cost_code_is_named_on_the_outcome_page(commissioner: Client) -> None:
    first = start(commissioner)
    for step, answers in PAGES[:6]:
        commissioner.post(draft_url(first, step), answers)
    response = commissioner.post(
        draft_url(first, "outcome-0-cost"),
        {**PAGES[6][1], "unit-cost-code": "NOPE1"},
    )
    assert response.status_code == 400
    [shown] = error_summary(response)
    assert shown.startswith("Unit cost code: unknown unit cost code 'NOPE1'")
    assert page(response).select_one(".govuk-error-summary__list a")["href"] == "#unit-cost-code"


def test_a_page_is_checked_before_any_outcome_is_given(commissioner: Client) -> None:
    # The case needs an outcome; until there is one, a stand-in lets the parser reach the
    # adjustments, which it reads after the outcomes.
    first = start(commissioner)
    for step, answers in PAGES[:4]:
        commissioner.post(draft_url(first, step), answers)
    response = commissioner.post(draft_url(first, "adjustments"), {"deadweight-central": "lots"})
    assert response.status_code == 400
    [shown] = error_summary(response)
    assert shown.startswith("Deadweight must be a share or one of")


def test_the_settings_say_what_an_empty_answer_means(commissioner: Client) -> None:
    first = start(commissioner)
    hints = page(commissioner.get(draft_url(first, "settings"))).select(".govuk-hint")
    text = " ".join(h.text for h in hints)
    assert "Left empty: 15." in text and "If you choose none: Social" in text


def test_an_age_group_with_a_count_but_no_name_is_refused(commissioner: Client) -> None:
    first = start(commissioner)
    response = commissioner.post(draft_url(first, "cohort"), {"cohort-count-0": "40"})
    assert error_summary(response) == ["Give the age group in row 1 a name"]


def test_an_incomplete_case_cannot_be_saved_and_says_what_is_missing(commissioner: Client) -> None:
    first = start(commissioner)
    commissioner.post(draft_url(first, "about"), PAGES[0][1])
    check = draft_url(first, "check")
    response = commissioner.get(check)
    assert error_summary(response) == ["People starting in each intake, by age group is required"]
    link = page(response).select_one(".govuk-error-summary__list a")["href"]
    assert link == draft_url(first, "cohort") + "?then=check#cohort-name-0"
    assert commissioner.post(check, {}).status_code == 400
    assert not BusinessCase.objects.exists() and not CaseVersion.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="appraisal").exists()


def test_changing_a_saved_case_makes_version_two_and_keeps_version_one(
    commissioner: Client,
) -> None:
    draft = build(commissioner)
    commissioner.post(draft + "check/", {})
    case = BusinessCase.objects.get()
    response = commissioner.post(f"/appraisals/cases/{case.pk}/versions/1/edit/")
    check = response["Location"]
    about = check.replace("/check/", "/about/")
    assert commissioner.get(about).status_code == 200
    commissioner.post(about, {**PAGES[0][1], "title": "School inclusion pilot, wider"})
    commissioner.post(check, {"note": "Wider"})
    assert [v.number for v in case.versions.order_by("number")] == [1, 2]
    assert case.versions.get(number=1).title == TITLE
    assert case.versions.get(number=2).title == "School inclusion pilot, wider"


def test_fields_the_pages_do_not_ask_are_kept_when_a_page_is_changed(
    commissioner: Client,
) -> None:
    example = Path("examples/cases/parenting-programme.toml").read_text(encoding="utf-8")
    from django.core.files.uploadedfile import SimpleUploadedFile

    commissioner.post(
        "/appraisals/cases/upload/",
        {"case_file": SimpleUploadedFile("parenting-programme.toml", example.encode())},
    )
    case = BusinessCase.objects.get()
    check = commissioner.post(f"/appraisals/cases/{case.pk}/versions/1/edit/")["Location"]
    about = check.replace("/check/", "/about/")
    commissioner.post(about, {"title": "Parenting, retitled"})
    commissioner.post(check, {})
    data = tomllib.loads(case.versions.get(number=2).toml)
    before = tomllib.loads(example)
    assert data["intervention"]["outcome"] == before["intervention"]["outcome"]
    assert data["case"]["title"] == "Parenting, retitled"


def test_outcomes_are_listed_and_can_be_removed(commissioner: Client) -> None:
    draft = build(commissioner)
    listed = page(commissioner.get(draft + "outcomes/"))
    names = [d.text.strip() for d in listed.select(".govuk-summary-list__key")]
    assert names == ["Exclusion avoided", "Weeks in care avoided"]
    commissioner.post(draft + "outcomes/remove/", {"index": "0"})
    listed = page(commissioner.get(draft + "outcomes/"))
    assert [d.text.strip() for d in listed.select(".govuk-summary-list__key")] == [
        "Weeks in care avoided"
    ]


def test_a_step_past_the_end_or_unknown_is_not_found(commissioner: Client) -> None:
    first = start(commissioner)
    assert commissioner.get(draft_url(first, "outcome-5-risk")).status_code == 404
    assert commissioner.get(draft_url(first, "outcome-0-cost")).status_code == 404
    assert commissioner.get(draft_url(first, "nothing")).status_code == 404
    assert commissioner.get("/appraisals/drafts/0123456789abcdef/about/").status_code == 404


def test_every_question_page_shows_with_the_answers_given(commissioner: Client) -> None:
    draft = build(commissioner)
    for step, answers in PAGES:
        shown = page(commissioner.get(draft + f"{step}/"))
        for name, value in answers.items():
            inputs = shown.select(f'[name="{name}"]')
            assert inputs, (step, name)
            if inputs[0].name == "input" and inputs[0].get("type") == "text":
                assert inputs[0]["value"] == value, (step, name)
