"""The Client Level Data export: a quarter's events in CLD's shape from hand-built records
(one of each event type), adults only, every row checked before anything is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conversations.conftest import triage_to_team
from tests.conversations.review_factories import agree, at, create_conversation
from tests.factories import create_user

Q4 = "2025Q4"


@pytest.fixture
def quarter_of_work(family: dict[str, Any]) -> dict[str, Any]:
    """October to December 2025: the mother's request, conversation 1 → 3 and a review; her
    partner's conversation 2 with practical help and a conversation 1 with no request; her
    son's conversation 1 (a child: left out); and one conversation ending in January."""
    from upstream.conversations.models import PracticalHelp, Review
    from upstream.frontdoor.models import Request

    mother, partner, son = (family[k].person_id for k in ("mother", "partner", "son"))
    owner = create_user()
    request = triage_to_team(mother)
    Request.objects.filter(pk=request.pk).update(
        received_at=at(date(2025, 10, 1)), triaged_at=at(date(2025, 10, 2))
    )
    first = create_conversation(
        owner=owner,
        person_id=mother,
        kind=1,
        request=request,
        started=date(2025, 10, 3),
        ended=date(2025, 10, 10),
        outcome="needs_3",
    )
    good_life = create_conversation(
        owner=owner,
        person_id=mother,
        kind=3,
        previous=first,
        started=date(2025, 10, 10),
        ended=date(2025, 11, 20),
        outcome="statutory",
    )
    keep, work = agree(good_life, "Keep my flat", "Find work", on=date(2025, 10, 20))
    Review.objects.create(
        conversation=good_life,
        due_on=date(2025, 12, 1),
        policy_version="1.0.0",
        held_at=at(date(2025, 12, 10)),
        held_by=owner,
        method="phone",
        reason="planned",
        outcomes={str(keep.pk): "achieved", str(work.pk): "partly"},
    )
    crisis = create_conversation(
        owner=owner,
        person_id=partner,
        kind=2,
        started=date(2025, 11, 1),
        ended=date(2025, 11, 15),
        outcome="stable",
    )
    PracticalHelp.objects.create(
        conversation=crisis,
        amount=Decimal("45.50"),
        purpose="Gas top-up",
        at=at(date(2025, 11, 5)),
        by=owner,
    )
    create_conversation(
        owner=owner,
        person_id=partner,
        kind=1,
        started=date(2025, 11, 25),
        ended=date(2025, 12, 1),
        outcome="resolved",
    )
    create_conversation(
        owner=owner,
        person_id=son,
        kind=1,
        started=date(2025, 10, 6),
        ended=date(2025, 10, 7),
        outcome="resolved",
    )
    create_conversation(
        owner=owner,
        person_id=partner,
        kind=3,
        started=date(2025, 12, 1),
        ended=date(2026, 1, 5),
        outcome="statutory",
    )
    return {"request": request, "crisis": crisis, "good_life": good_life, "first": first}


def _by_reference(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Event_Reference"]: row for row in rows}


@pytest.mark.django_db
def test_a_quarter_gives_one_row_for_each_adult_event_of_each_type(
    quarter_of_work: dict[str, Any],
) -> None:
    from upstream.conversations.cld import build, quarter

    export = build(quarter(Q4), la_code="999")
    kinds = sorted(row["Event_Type"] for row in export.rows)
    assert kinds == ["Assessment"] * 3 + ["Request"] * 2 + ["Review", "Service"]
    assert export.left_out == 1, "the son's conversation: a child"
    rows = _by_reference(export.rows)
    request = rows[quarter_of_work["request"].reference]
    assert request["Event_Start_Date"] == "2025-10-01"
    assert request["Event_End_Date"] == "2025-10-02"
    assert request["Request_Route_of_Access"] == "Community / Other route"
    assert request["Event_Outcome"] == "Progress to Assessment"
    assert request["Reporting_Period_Start_Date"] == "2025-10-01"
    assert request["Reporting_Period_End_Date"] == "2025-12-31"
    assert request["LA_Person_Unique_Identifier"].startswith("PS-")
    assert request["Date_of_Birth"] == "1988-02-01", "month and year of birth only"


@pytest.mark.django_db
def test_conversations_are_assessments_and_conversation_3_leads_to_support_planning(
    quarter_of_work: dict[str, Any],
) -> None:
    from upstream.conversations.cld import build, quarter

    rows = _by_reference(build(quarter(Q4), la_code="999").rows)
    first = rows[f"C-{quarter_of_work['first'].pk}"]
    assert first["Event_Type"] == "Assessment"
    assert first["Assessment_Type"] == "Short Term Assessment"
    assert first["Event_Description"].startswith("Initial conversation")
    good_life = rows[f"C-{quarter_of_work['good_life'].pk}"]
    assert good_life["Assessment_Type"] == "Long Term Assessment"
    assert good_life["Event_Outcome"] == "Progress to Support Planning / Services"
    first_contact = [
        r
        for r in rows.values()
        if r["Event_Type"] == "Request" and r["Event_Reference"].startswith("C-")
    ]
    assert len(first_contact) == 1, "a conversation 1 with no front-door request is the request"
    assert first_contact[0]["Event_Outcome"] == "NFA - Information & Advice / Signposting only"


@pytest.mark.django_db
def test_practical_help_is_a_service_and_a_held_review_is_a_review(
    quarter_of_work: dict[str, Any],
) -> None:
    from upstream.conversations.cld import build, quarter

    rows = build(quarter(Q4), la_code="999").rows
    [service] = [r for r in rows if r["Event_Type"] == "Service"]
    assert service["Service_Type"] == "Short Term Support: Other Short Term Support"
    assert (service["Unit_Cost"], service["Cost_Frequency_Unit_Type"]) == ("45.50", "One-off")
    assert "Gas" not in service["Event_Description"], "the purpose is the person's own words"
    [review] = [r for r in rows if r["Event_Type"] == "Review"]
    assert review["Review_Reason"] == "Planned"
    assert review["Review_Outcomes_Achieved"] == "Partially Met"
    assert review["Method_of_Review"] == "Service user only"
    assert review["Event_End_Date"] == "2025-12-10"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2026q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024Q2", date(2024, 4, 1), date(2024, 6, 30)),
    ],
)
def test_a_quarter_is_a_calendar_quarter(text: str, start: date, end: date) -> None:
    from upstream.conversations.cld import quarter

    assert (quarter(text).start, quarter(text).end) == (start, end)


def _valid_row(**changes: str) -> dict[str, str]:
    from upstream.conversations.cld import FIELDS

    row = dict.fromkeys(FIELDS, "")
    row.update(
        LA_Code="999",
        Reporting_Period_Start_Date="2025-10-01",
        Reporting_Period_End_Date="2025-12-31",
        Client_Type="Service User",
        LA_Person_Unique_Identifier="PS-ABCDEFGHIJ",
        Gender="Female",
        Date_of_Birth="1988-02-01",
        Primary_Support_Reason="Unknown",
        Event_Type="Review",
        Event_Reference="RV-1",
        Event_Start_Date="2025-12-10",
        Event_End_Date="2025-12-10",
        Event_Outcome="No change in package",
        Review_Reason="Planned",
        Review_Outcomes_Achieved="Fully Met",
        Method_of_Review="Service user only",
    )
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({}, None, None),
        ({"Review_Reason": ""}, "Review_Reason", "required"),
        ({"Review_Outcomes_Achieved": ""}, "Review_Outcomes_Achieved", "required"),
        ({"Review_Reason": "Because"}, "Review_Reason", "not in the code list"),
        ({"Event_Type": "Visit"}, "Event_Type", "not in the code list"),
        ({"LA_Code": "99"}, "LA_Code", "three-digit"),
        ({"Event_End_Date": "2026-01-02"}, "Event_End_Date", "not in 2025Q4"),
        ({"Event_Start_Date": "2025-12-11"}, "Event_End_Date", "before the event started"),
        ({"Event_Start_Date": "10/12/2025"}, "Event_Start_Date", "not a date"),
        ({"Date_of_Birth": "2008-01-01"}, "Date_of_Birth", "under 18"),
        ({"Event_Type": "Request"}, "Request_Route_of_Access", "required"),
        (
            {
                "Event_Type": "Service",
                "Service_Type": "Short Term Support: Other Short Term Support",
                "Service_Component": "Other",
                "Event_Start_Date": "2026-01-02",
                "Event_End_Date": "",
            },
            "Event_Start_Date",
            "not active",
        ),
    ],
)
def test_each_row_is_checked_and_a_problem_names_its_field(
    changes: dict[str, str], field: str | None, words: str | None
) -> None:
    from upstream.conversations.cld import quarter, row_problem

    problem = row_problem(_valid_row(**changes), quarter(Q4))
    if field is None:
        assert problem is None
    else:
        assert problem is not None and problem[0] == field and words in problem[1], problem


def test_the_first_bad_row_is_named_with_its_field() -> None:
    from upstream.conversations.cld import check, quarter
    from upstream.errors import InputError

    rows = [_valid_row(), _valid_row(Event_Reference="RV-2", Method_of_Review="By owl")]
    with pytest.raises(InputError) as error:
        check(rows, quarter(Q4))
    assert error.value.one_line() == (
        "row 2 (Review RV-2): Method_of_Review: 'By owl' is not in the code list"
    )


def run(*args: str) -> tuple[int, str]:
    from upstream.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.django_db(transaction=True)
def test_the_export_command_writes_a_valid_quarter(
    quarter_of_work: dict[str, Any], tmp_path: Path
) -> None:
    import csv

    from upstream.conversations.cld import FIELDS

    out = tmp_path / "cld" / "2025Q4.csv"
    code, output = run("cld", "export", "--quarter", Q4, "--out", str(out))
    assert code == 0, output
    assert "Wrote 7 events for 2025Q4" in output and "1 left out" in output
    rows = list(csv.DictReader(out.open()))
    assert tuple(rows[0]) == FIELDS and len(rows) == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--quarter", "2025-Q4"), "--quarter: '2025-Q4' is not a quarter like 2025Q4"),
        (("--quarter", "2025Q5"), "is not a quarter"),
        (("--quarter", Q4, "--la-code", "12"), "LA_Code: must be the council's three-digit code"),
    ],
)
def test_bad_input_to_the_export_is_one_line_exit_2_and_writes_nothing(
    quarter_of_work: dict[str, Any], tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    out = tmp_path / "out.csv"
    code, output = run("cld", "export", *args, "--out", str(out))
    assert code == 2
    assert words in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.django_db(transaction=True)
def test_the_export_refuses_a_folder_for_its_file(tmp_path: Path) -> None:
    code, output = run("cld", "export", "--quarter", Q4, "--out", str(tmp_path))
    assert code == 2 and "is a folder" in output


@pytest.mark.django_db(transaction=True)
def test_reviews_check_passes_the_bundled_policy_and_refuses_a_bad_one(tmp_path: Path) -> None:
    code, output = run("reviews", "check")
    assert code == 0 and "ok: version 1.0.0: low 26 weeks, medium 12 weeks, high 6 weeks" in output
    bad = tmp_path / "policy.toml"
    bad.write_text("schema = 1\n")
    code, output = run("reviews", "check", str(bad))
    assert code == 2 and "policy.version: missing" in output


@pytest.mark.django_db(transaction=True)
def test_reviews_overdue_prints_late_work_per_team() -> None:
    from upstream.conversations.models import Review

    conversation = create_conversation(owner=create_user(), person_id="P1")
    Review.objects.create(conversation=conversation, due_on=date(2025, 12, 1), policy_version="1")
    code, output = run("reviews", "overdue", "--on", "2025-12-02")
    assert code == 0, output
    assert (
        "Early help — North: 1 reviews, 0 emergency plan steps, 0 family plan actions late"
        in output
    )
    code, output = run("reviews", "overdue", "--on", "tomorrow")
    assert code == 2 and "--on: 'tomorrow' is not a date" in output
