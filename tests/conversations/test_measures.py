"""Live measures (issue 13): every measure against values worked out by hand on a small fixed
dataset (requests, conversations 1 → 2 → 3, a hand-off, a waiting list, a family plan and
connections), by month and for the period, for a team and for all teams; the page, its
definitions and its CSV, JSON and XLSX twins, for the roles that may see it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.casework.conftest import TEAM
from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.conversations import measures

SOUTH = "Early help — South"
NOW = (2026, 6, 15, 12, 0)  # a Monday noon: the period is April, May and half of June


def at(month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, 0))


def now() -> datetime:
    return timezone.make_aware(datetime(*NOW))


def _request(n: int, received: datetime, **fields: Any) -> Any:
    from upstream.frontdoor.models import Request

    fields.setdefault("route", "targeted")
    fields.setdefault("team", TEAM)
    fields.setdefault("triaged_at", received.replace(hour=11))
    return Request.objects.create(
        reference=f"R-TEST-{n:04d}",
        person_id=fields.pop("person_id", ""),
        channel="phone",
        received_at=received,
        asked_by="person",
        what_matters="Help with the rent",
        preferred_contact="phone",
        status=fields.pop("status", "closed"),
        **fields,
    )


def _talk(kind: int, person: str, owner: Any, started: datetime, **fields: Any) -> Any:
    from upstream.conversations.models import Conversation

    fields.setdefault("team", TEAM)
    fields.setdefault("ward", "Ashfield")
    return Conversation.objects.create(
        kind=kind, person_id=person, owner=owner, started_at=started, **fields
    )


@pytest.fixture
def dataset(db: Any, service: Any) -> dict[str, Any]:
    """Six people (P2, P3 and P4 adults; P5 and P6 children) in Early help — North and one
    in the South; the values each test expects are worked out in its docstring."""
    from upstream.conversations.models import (
        FamilyOutcome,
        FamilyPlan,
        HandOff,
    )
    from upstream.frontdoor.models import Connection
    from upstream.people.models import Person

    for n, born in enumerate([1980, 1975, 1960, 1990, 2015, 2014, 1970], start=1):
        Person.objects.create(person_id=f"PT{n}", date_of_birth=date(born, 1, 1))
    w1 = create_user(role=Role.PRACTITIONER, team=TEAM)
    w2 = create_user(role=Role.PRACTITIONER, team=TEAM)
    old = _request(0, at(1, 5), person_id="PT3")
    r1 = _request(1, at(4, 1), person_id="PT1")
    r2 = _request(2, at(4, 5), person_id="PT2")
    r3 = _request(3, at(5, 1), person_id="PT3", repeat_of=old)
    r4 = _request(4, at(5, 10), person_id="PT4")
    r5 = _request(5, at(6, 1), person_id="PT5")
    r6 = _request(6, at(3, 30), person_id="PT6")
    _request(7, at(5, 25), person_id="PT7", status="waiting_list", closed_at=None)
    _request(8, at(4, 20), person_id="PT7", triaged_at=at(4, 20), closed_at=at(5, 5))
    r9 = _request(9, at(4, 1), person_id="PT7", team=SOUTH)

    _talk(1, "PT1", w1, at(4, 11), request=r1, ended_at=at(4, 20), outcome="resolved")
    b = _talk(1, "PT2", w1, at(4, 25), request=r2, ended_at=at(5, 2), outcome="needs_2")
    b2 = _talk(2, "PT2", w2, at(5, 2), previous=b, ended_at=at(5, 20), outcome="stable")
    c = _talk(1, "PT3", w1, at(5, 4), request=r3, ended_at=at(5, 10), outcome="needs_3")
    _talk(3, "PT3", w1, at(5, 10), previous=c, ended_at=at(6, 1), outcome="statutory")
    d = _talk(1, "PT4", w1, at(5, 14), request=r4, ended_at=at(5, 20), outcome="needs_2")
    d2 = _talk(2, "PT4", w1, at(5, 20), previous=d, ended_at=at(6, 5), outcome="needs_3")
    _talk(3, "PT4", w1, at(6, 5), previous=d2)
    _talk(1, "PT5", w1, at(6, 3), request=r5)
    f = _talk(1, "PT6", w1, at(4, 2), request=r6, ended_at=at(4, 8), outcome="needs_2")
    _talk(2, "PT6", w1, at(4, 8), previous=f, ended_at=at(4, 30), outcome="stable")
    _talk(1, "PT7", w2, at(4, 10), request=r9, ended_at=at(4, 12), outcome="resolved", team=SOUTH)
    HandOff.objects.create(
        conversation=b2, from_owner=w1, to_owner=w2, reason="Leave", at=at(5, 10)
    )

    plan = FamilyPlan.objects.create(
        household_id="HT1", key_worker=w1, team=TEAM, started_at=at(1, 10), closed_at=at(5, 15)
    )
    for achieved in ("sustained", "significant_progress", "not_achieved"):
        FamilyOutcome.objects.create(plan=plan, area="housing", outcome="A home", achieved=achieved)

    for request, sent, status in ((r1, at(4, 12), "accepted"), (r2, at(4, 26), "declined")):
        Connection.objects.create(
            request=request,
            service=service,
            organisation=service.organization,
            message="Please call",
            sent_by=w1,
            sent_at=sent,
            answer_due=sent + timedelta(days=7),
            status=status,
        )
    Connection.objects.create(
        request=r4,
        service=service,
        organisation=service.organization,
        message="Please call",
        sent_by=w1,
        sent_at=at(5, 15),
        answer_due=at(5, 22),
        status="sent",
    )
    return {"w1": w1, "w2": w2}


def north(months: int = 3) -> measures.Figures:
    return measures.measure(measures.Scope(team=TEAM, months=months), now=now())


def by_month(found: measures.Figures, key: str) -> list[float | None]:
    return [m.values[key].value for m in found.months]


def test_the_period_is_calendar_months_to_now(dataset: dict[str, Any]) -> None:
    found = north()
    assert [m.start for m in found.months] == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]


def test_time_to_conversation_1_is_the_median_and_the_90th_percentile_by_nearest_rank(
    dataset: dict[str, Any],
) -> None:
    """April waits 10, 20 and 3 days; May 3 and 4; June 2. Period: 2 3 3 4 10 20."""
    found = north()
    assert by_month(found, "request_to_c1_median") == [10.0, 3.5, 2.0]
    assert by_month(found, "request_to_c1_p90") == [20.0, 4.0, 2.0]
    assert found.period["request_to_c1_median"].value == 3.5
    assert found.period["request_to_c1_p90"].value == 20.0


def test_how_conversations_1_end_is_counted_in_the_month_they_end(
    dataset: dict[str, Any],
) -> None:
    """April: one resolved, one needing 2. May: 2 of 3 need conversation 2, 1 of 3 (PT3)
    reached a support plan through conversation 3. June: none ended."""
    found = north()
    assert by_month(found, "resolved_at_c1") == [50.0, 0.0, None]
    assert by_month(found, "needs_c2") == [50.0, 66.7, None]
    assert by_month(found, "long_term_support") == [0.0, 33.3, None]
    assert (found.period["resolved_at_c1"].count, found.period["resolved_at_c1"].of) == (1, 5)
    assert found.period["needs_c2"].value == 60.0
    assert found.period["long_term_support"].value == 20.0


def test_repeat_requests_are_the_front_doors_repeats_among_conversations_1_started(
    dataset: dict[str, Any],
) -> None:
    found = north()
    assert by_month(found, "repeat_requests") == [0.0, 50.0, 0.0]
    assert found.period["repeat_requests"].value == 16.7


def test_long_term_starts_are_per_week_of_the_month(dataset: dict[str, Any]) -> None:
    """One conversation 3 ended with a plan on 1 June: 1 ÷ (14.5 days ÷ 7) in June; over the
    period 1 ÷ (75.5 days ÷ 7)."""
    found = north()
    assert by_month(found, "long_term_starts_per_week") == [0.0, 0.0, 0.48]
    assert found.period["long_term_starts_per_week"].value == 0.09


def test_hand_offs_are_per_person_with_an_open_conversation(dataset: dict[str, Any]) -> None:
    """One hand-off in May; PT2, PT3 and PT4 had a conversation open in May; six people in
    the period."""
    found = north()
    assert by_month(found, "handoffs_per_person") == [0.0, 0.33, 0.0]
    assert found.period["handoffs_per_person"].value == 0.17


def test_caseload_is_open_conversations_per_worker_at_each_month_end(
    dataset: dict[str, Any],
) -> None:
    found = north()
    assert by_month(found, "caseload_per_worker") == [1.0, 2.0, 2.0]
    assert found.period["caseload_per_worker"].value == 2.0


def test_the_waiting_list_is_rebuilt_at_each_month_end(dataset: dict[str, Any]) -> None:
    """End of April: R-TEST-0008 (triaged 20 April 10:00, 10 days 14 hours). End of May and
    now: R-TEST-0007 (triaged 25 May 11:00)."""
    found = north()
    assert by_month(found, "waiting_size") == [1, 1, 1]
    assert by_month(found, "oldest_wait") == [10.6, 6.5, 21.0]


def test_family_outcomes_achieved_are_sustained_or_significant_progress(
    dataset: dict[str, Any],
) -> None:
    found = north()
    assert by_month(found, "family_outcomes_achieved") == [None, 66.7, None]


def test_connections_are_shares_of_those_sent_in_the_month(dataset: dict[str, Any]) -> None:
    found = north()
    assert by_month(found, "connections_accepted") == [50.0, 0.0, None]
    assert by_month(found, "connections_declined") == [50.0, 0.0, None]
    assert by_month(found, "connections_no_answer") == [0.0, 100.0, None]
    assert found.period["connections_accepted"].value == 33.3


def test_ascof_2a_counts_adults_whose_short_term_support_needed_nothing_ongoing(
    dataset: dict[str, Any],
) -> None:
    """PT6 is a child (not counted); PT2's conversation 2 ended stable in May; PT4's ended
    needing conversation 3 in June."""
    found = north()
    assert by_month(found, "ascof_2a") == [None, 100.0, 0.0]
    assert (found.period["ascof_2a"].count, found.period["ascof_2a"].of) == (1, 2)


def test_all_teams_and_a_ward_change_what_is_counted(dataset: dict[str, Any]) -> None:
    everyone = measures.measure(measures.Scope(months=3), now=now())
    assert by_month(everyone, "resolved_at_c1") == [66.7, 0.0, None]
    elsewhere = measures.measure(measures.Scope(ward="Nowhere", months=3), now=now())
    assert by_month(elsewhere, "resolved_at_c1") == [None, None, None]


def test_every_figure_is_one_row_of_the_download(dataset: dict[str, Any]) -> None:
    found = north()
    rows = found.rows()
    assert len(rows) == 4 * len(measures.DEFINITIONS)
    assert {"month": "2026-05", "measure": "Needing conversation 2", "unit": "%"}.items() <= (
        next(
            r for r in rows if r["month"] == "2026-05" and r["measure"] == "Needing conversation 2"
        ).items()
    )


# --- The page ---------------------------------------------------------------------------


@pytest.fixture
def fresh() -> Any:
    measures.forget()
    yield
    measures.forget()


def test_a_team_manager_sees_their_teams_measures_with_definitions(
    dataset: dict[str, Any], sign_in: Any, fresh: Any
) -> None:
    _, client = sign_in(Role.TEAM_MANAGER)
    page = client.get("/conversations/measures/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Team measures" in html
    assert f'<option value="{TEAM}" selected>' in html
    for d in measures.DEFINITIONS:
        assert d.label in html
    assert "How it is counted." in html
    assert "<svg" in html


def test_a_commissioner_sees_all_teams_and_downloads_every_format(
    dataset: dict[str, Any], sign_in: Any, fresh: Any
) -> None:
    _, client = sign_in(Role.COMMISSIONER)
    page = client.get("/conversations/measures/?months=6")
    assert page.status_code == 200
    csv = client.get("/conversations/measures.csv?months=6")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "month,measure,unit,value,count,of"
    data = client.get("/conversations/measures.json?months=6").json()
    assert data["team"] == "all" and len(data["measures"]) == len(measures.DEFINITIONS)
    assert len(data["measures"][0]["by_month"]) == 6
    xlsx = client.get("/conversations/measures.xlsx?months=6")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Measures", "Definitions", "About"]
    assert book["Measures"].max_row == 1 + 7 * len(measures.DEFINITIONS)


def test_roles_without_measures_are_refused_and_the_refusal_audited(
    dataset: dict[str, Any], sign_in: Any, fresh: Any
) -> None:
    from upstream.governance.models import AuditEntry

    for role in (Role.PRACTITIONER, Role.FRONT_DOOR_OFFICER, Role.CITIZEN):
        user, client = sign_in(role)
        assert client.get("/conversations/measures/").status_code == 403
        assert client.get("/conversations/measures.xlsx").status_code == 403
        refused = AuditEntry.objects.filter(actor=user.username, outcome="denied")
        assert refused.filter(action="conversations.measures").exists()


def test_a_team_or_ward_not_on_offer_is_an_error_not_a_wider_answer(
    dataset: dict[str, Any], sign_in: Any, fresh: Any
) -> None:
    _, client = sign_in(Role.COMMISSIONER)
    page = client.get("/conversations/measures/?team=Nobody&ward=Atlantis&months=7")
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html
    for message in ("Choose a team from the list", "Choose a ward from the list", "Choose 3, 6"):
        assert message in html
    assert client.get("/conversations/measures.csv?team=Nobody").status_code == 400
    assert client.get("/conversations/measures.xlsx?team=Nobody").status_code == 400
    assert client.get("/conversations/measures.pdf").status_code == 404


def test_each_view_is_audited_with_its_scope(
    dataset: dict[str, Any], sign_in: Any, fresh: Any
) -> None:
    from upstream.governance.models import AuditEntry

    user, client = sign_in(Role.TEAM_MANAGER)
    client.get("/conversations/measures.json?months=3")
    entry = AuditEntry.objects.get(actor=user.username, action="conversations.measures")
    assert entry.detail == {"team": TEAM, "ward": "", "months": 3, "as": "json"}


def test_figures_are_kept_until_they_are_forgotten(dataset: dict[str, Any], fresh: Any) -> None:
    from upstream.conversations.models import HandOff

    scope = measures.Scope(team=TEAM, months=12)
    kept = measures.figures(scope)
    before = kept.period["handoffs_per_person"].count
    HandOff.objects.all().delete()
    again = measures.figures(scope)
    assert again.computed_at == kept.computed_at
    assert again.period["handoffs_per_person"].count == before
    measures.forget()
    assert measures.figures(scope).period["handoffs_per_person"].count == 0


def test_old_figures_are_shown_while_new_ones_are_worked_out(
    dataset: dict[str, Any], fresh: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FRESH_FOR, the kept figures are answered at once and a refresh is started (run
    here in the test's own thread, which sees the test's database)."""
    import dataclasses

    class InThisThread:
        def __init__(self, target: Any, args: tuple[Any, ...], daemon: bool) -> None:
            self.run = lambda: target(*args)

        def start(self) -> None:
            self.run()

    monkeypatch.setattr(measures.threading, "Thread", InThisThread)
    scope = measures.Scope(team=TEAM, months=12)
    old = dataclasses.replace(
        measures.figures(scope), computed_at=timezone.now() - timedelta(minutes=15)
    )
    measures.store().set(scope.cache_key(), old, measures.KEEP_FOR)
    assert measures.figures(scope).computed_at == old.computed_at  # shown at once
    assert measures.figures(scope).computed_at > old.computed_at  # then the new ones
