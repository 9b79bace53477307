"""Casework pages, tested by what a person sees."""

from __future__ import annotations

import csv
import io

import pytest

from tests.casework.conftest import TEAM, page
from tests.casework.factories import allocate
from upstream.accounts.roles import Role
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_find_a_person_by_misspelt_name_lists_them_with_the_link_in_the_first_column(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.PRACTITIONER)
    html = page(client.get("/people/", {"name": "Sara Kahn"}))
    first_row = html.select_one("tbody tr")
    link = first_row.select_one("td a")
    assert link.text.strip() == "Sarah Khan"
    assert link["href"] == f"/people/{family['mother'].person_id}/"
    assert "Reason needed" in first_row.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"dob_day": "14", "dob_month": "2", "dob_year": "1988"}, "Sarah Khan"),
        ({"postcode": "m146zz"}, "Peter Smith"),
        ({"identifier": "HSG-4471"}, "Sarah Khan"),
        ({"identifier": "943 476 5919"}, "Sarah Khan"),
    ],
)
def test_find_a_person_by_date_of_birth_postcode_or_agency_identifier(
    family, sign_in, params, expected
) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.FRONT_DOOR_OFFICER)
    names = [
        a.text.strip()
        for a in page(client.get("/people/", params)).select("tbody td:first-child a")
    ]
    assert names == [expected]


def test_an_impossible_date_of_birth_is_reported_in_an_error_summary(sign_in) -> None:  # type: ignore[no-untyped-def]
    _, client = sign_in(Role.PRACTITIONER)
    html = page(client.get("/people/", {"dob_day": "31", "dob_month": "2", "dob_year": "2000"}))
    assert "real date" in html.select_one(".govuk-error-summary").text
    assert html.select_one("title").text.startswith("Error:")


def test_every_search_is_audited_with_the_people_it_showed(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    client.get("/people/", {"name": "Khan"})
    entry = AuditEntry.objects.filter(action="search").first()
    assert entry.actor == user.username
    assert f",{family['mother'].person_id}," in entry.people_shown
    assert entry.detail["name"] == "Khan"
    assert entry.ip_address == "203.0.113.9"


def test_allocated_practitioner_sees_the_persistent_header_timeline_and_costs(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER, first_name="Pat", last_name="Jones")
    allocate(person=family["mother"], worker=user)
    html = page(client.get(f"/people/{family['mother'].person_id}/"))
    assert html.select_one("h1").text.strip() == "Sarah Khan"
    header = html.select_one(".upstream-person-header").text
    assert "12 Canal Street, M14 5AB" in header
    assert "3 people at this address" in header
    assert f"Pat Jones ({TEAM})" in header
    titles = [h.text.strip() for h in html.select(".moj-timeline__title")]
    assert titles == ["Homelessness application decided", "A&E attendance"]  # newest first
    assert "Allocated to you" in html.select_one(".upstream-access").text


def test_direct_support_does_not_show_police_records_and_says_so(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    html = page(client.get(f"/people/{family['mother'].person_id}/"))
    assert "Domestic abuse incident" not in html.text
    assert "Not shown for this purpose: Police" in html.select_one(".upstream-access").text


def test_safeguarding_reason_shows_police_records(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    person_id = family["mother"].person_id
    client.post(
        f"/people/{person_id}/reason/",
        {"purpose": "safeguarding", "reason": "Strategy meeting after a DA referral"},
    )
    html = page(client.get(f"/people/{person_id}/"))
    assert "Domestic abuse incident" in html.text
    assert "Strategy meeting after a DA referral" in html.select_one(".upstream-access").text


def test_cost_of_need_shows_this_year_a_chart_and_a_table_with_the_same_figures(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    html = page(client.get(f"/people/{family['mother'].person_id}/"))
    svg = html.select_one("figure.upstream-chart svg")
    assert svg["role"] == "img"
    assert "2024/25 £1,200" in svg.select_one("title").text
    rows = [[td.text.strip() for td in tr.select("td")] for tr in html.select("details tbody tr")]
    assert rows == [["2023/24", "£180.00"], ["2024/25", "£1,200.00"]]
    assert "£1,200.00" in html.select_one("#cost").find_next("p").text


def test_timeline_filters_by_agency_and_financial_year(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    url = f"/people/{family['mother'].person_id}/"
    by_agency = page(client.get(url, {"agency": "health"}))
    assert [h.text.strip() for h in by_agency.select(".moj-timeline__title")] == ["A&E attendance"]
    by_year = page(client.get(url, {"year": "2024/25"}))
    assert [h.text.strip() for h in by_year.select(".moj-timeline__title")] == [
        "Homelessness application decided"
    ]


@pytest.mark.parametrize("table", ["timeline", "agencies", "costs", "household-members"])
def test_every_person_table_downloads_as_csv_and_json(family, sign_in, table) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    base = f"/people/{family['mother'].person_id}/{table}"
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}.csv").content.decode())))
    as_json = client.get(f"{base}.json").json()["rows"]
    assert rows and len(rows) == len(as_json)
    assert AuditEntry.objects.filter(action="view-person", detail__view=f"{table}.json").exists()


def test_household_page_shows_members_over_time_events_across_members_and_combined_cost(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    for member in ("mother", "son", "partner"):
        allocate(person=family[member], worker=user)
    html = page(client.get(f"/households/{family['home'].household_id}/"))
    assert html.select_one("h1").text.strip() == "12 Canal Street, M14 5AB"
    captions = [c.text.strip() for c in html.select("caption")]
    assert "Other households at this address" in captions
    assert "Old Tenant" in html.text
    bylines = [b.text.strip() for b in html.select(".moj-timeline__byline")]
    assert "Adam Khan · Schools" in bylines
    assert (
        "£1,690.00" in html.select_one(".govuk-summary-list").text
    )  # housing + A&E + schools (no police)


def test_household_members_without_a_working_relationship_are_named_but_their_events_are_not_shown(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    html = page(client.get(f"/households/{family['home'].household_id}/"))
    assert "Adam Khan" in html.text
    assert "Persistent absence" not in html.text
    assert "2 members need a recorded reason first" in html.text


def test_caseload_lists_the_team_caseload_with_links(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    allocate(person=family["neighbour"])
    html = page(client.get("/caseload/"))
    assert [a.text.strip() for a in html.select("tbody td:first-child a")] == [
        "Sarah Khan",
        "Peter Smith",
    ]


def test_team_manager_allocates_a_person_to_a_practitioner(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    _practitioner, practitioner_client = sign_in(Role.PRACTITIONER, username="pat")
    _, manager = sign_in(Role.TEAM_MANAGER)
    manager.post(
        f"/people/{family['son'].person_id}/reason/",
        {"purpose": "direct_support", "reason": "Referred to early help by his school"},
    )
    manager.post("/caseload/allocate/", {"person_id": family["son"].person_id, "worker": "pat"})
    html = page(practitioner_client.get(f"/people/{family['son'].person_id}/"))
    assert html.select_one("h1").text.strip() == "Adam Khan"
    assert AuditEntry.objects.filter(action="allocate", person=family["son"].person_id).exists()


def test_a_merged_person_id_redirects_to_the_new_one(family, sign_in) -> None:  # type: ignore[no-untyped-def]
    from upstream.people.models import PersonLineage

    _, client = sign_in(Role.DATA_PROTECTION_OFFICER)
    PersonLineage.objects.create(
        old_person_id="P99999999",
        new_person_id=family["mother"].person_id,
        kind="merge",
        link_run_id="r1",
    )
    response = client.get("/people/P99999999/")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{family['mother'].person_id}/"


def _flag(person, *, label: str, agencies: list[str]):  # type: ignore[no-untyped-def]
    from datetime import date

    from upstream.flags.models import Flag, FlagMember, IdentifyRun

    run = IdentifyRun.objects.create(as_of=date(2025, 3, 31), input_kind="test", workspace="test")
    flag = Flag.objects.create(
        flag_id=f"toxic-trio/{person.person_id}/{label}",
        flag_key=f"toxic-trio/{person.person_id}/{label}",
        run=run,
        ruleset_id="toxic-trio",
        ruleset_version="1",
        kind="rule",
        code="T",
        label=label,
        subject_type="person",
        subject_id=person.person_id,
        card={
            "needs": [
                {
                    "id": "n",
                    "label": "Need",
                    "evidence": [
                        {"agency": a, "event": "e", "date": "2024-06-02"} for a in agencies
                    ],
                }
            ]
        },
    )
    FlagMember.objects.create(flag=flag, person_id=person.person_id)
    return flag


def test_published_flags_show_on_the_person_page_only_when_their_evidence_is_in_the_purpose(
    family, sign_in
) -> None:  # type: ignore[no-untyped-def]
    user, client = sign_in(Role.PRACTITIONER)
    allocate(person=family["mother"], worker=user)
    _flag(family["mother"], label="Housing need", agencies=["Housing"])
    _flag(family["mother"], label="Domestic abuse", agencies=["Police", "Housing"])
    html = page(client.get(f"/people/{family['mother'].person_id}/"))
    header_flags = [a.text.strip() for a in html.select(".upstream-person-header a.govuk-tag")]
    assert header_flags == ["Housing need"]
    assert "1 more flag relies on sources not shown for this purpose" in html.text


def test_the_demo_gives_the_demo_team_a_caseload_of_whole_households_once(family) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import create_user
    from upstream.governance.models import Allocation
    from upstream.jobs.casework import allocate_demo_caseload

    pat = create_user(role=Role.PRACTITIONER, team=TEAM)
    manager = create_user(role=Role.TEAM_MANAGER, team=TEAM)
    assert allocate_demo_caseload(team=TEAM, practitioner=pat, manager=manager) == 3
    allocated = Allocation.objects.filter(worker=pat).values_list("person_id", flat=True)
    assert set(allocated) == {family[m].person_id for m in ("mother", "son", "partner")}
    assert allocate_demo_caseload(team=TEAM, practitioner=pat, manager=manager) == 0
