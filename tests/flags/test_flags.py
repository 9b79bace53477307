"""Published flags: cards, audit, overrides, kill switch, and the pages for each role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from tests.factories import create_user
from upstream.accounts.roles import Role
from upstream.casework import services as casework
from upstream.errors import Denied
from upstream.flags import services
from upstream.flags.models import Flag, FlagMember, FlagSighting, Override
from upstream.governance.audit import Actor
from upstream.governance.models import Allocation, AuditEntry
from upstream.governance.pseudonyms import pseudonym_for

pytestmark = pytest.mark.django_db


def evidence(flag: Flag) -> list[dict[str, Any]]:
    return [e for need in flag.card["needs"] for e in need["evidence"]]


def household_flag_person(*, police: bool = False, others: bool = True) -> tuple[Flag, str]:
    """A family flagged by Supporting Families, and one member: with or without police
    evidence (which direct support does not cover), and with or without evidence about
    other members of the household."""
    for flag in Flag.objects.filter(ruleset_id="supporting-families").order_by("flag_id"):
        rows = evidence(flag)
        has_police = any(e["agency"] == "Police" for e in rows)
        people = {e["person_id"] for e in rows}
        member = flag.members.filter(person_id__in=people).first()
        if has_police == police and (len(people) > 1) == others and member is not None:
            return flag, member.person_id
    raise AssertionError("the test city has no such family")


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(create_user(role=role))
    return client


def test_publishing_puts_every_flag_with_a_card_naming_its_source_records(published: Path) -> None:
    flag, _ = household_flag_person()
    assert Flag.objects.count() > 0 and FlagMember.objects.count() >= Flag.objects.count()
    need = flag.card["needs"][0]
    assert need["label"] and need["explain"] and need["evidence"]
    assert {"agency", "event", "date"} <= set(need["evidence"][0])


def allocated(person_id: str, *, role: Role = Role.PRACTITIONER) -> Any:
    """A caseworker with this person allocated to them (a working relationship)."""
    viewer = create_user(role=role, team="Early help — North")
    allocate_to(viewer, person_id)
    return viewer


def allocate_to(viewer: Any, person_id: str) -> None:
    Allocation.objects.create(
        person_id=person_id,
        team=viewer.team,
        worker=viewer,
        allocated_by=viewer,
        allocated_at=timezone.now(),
    )


def flags_seen_by(viewer: Any, person_id: str) -> list[Any]:
    return casework.person_flags(Actor.for_user(viewer), viewer, person_id).cards


def test_a_practitioner_sees_a_persons_flags_and_the_view_is_audited(published: Path) -> None:
    flag, person_id = household_flag_person()
    viewer = allocated(person_id)
    cards = flags_seen_by(viewer, person_id)
    assert flag.flag_id in {c.flag.flag_id for c in cards}
    entry = AuditEntry.objects.filter(action="flag_view", person=person_id).get()
    assert entry.actor == viewer.get_username() and entry.purpose == "direct_support"
    assert FlagSighting.objects.filter(person_id=person_id, viewer=viewer.get_username()).exists()


def test_an_analyst_sees_no_ones_flags(published: Path) -> None:
    _, person_id = household_flag_person()
    analyst = create_user(role=Role.ANALYST)
    with pytest.raises(Denied):
        casework.person_flags(Actor.for_user(analyst), analyst, pseudonym_for(person_id))


def test_an_override_needs_a_reason_and_counts_towards_the_rules_override_rate(
    published: Path,
) -> None:
    flag, person_id = household_flag_person()
    client = Client()
    client.force_login(allocated(person_id))
    url = f"/flags/flag/{flag.flag_id}/override/"
    refused = client.post(url, {"person_id": person_id, "kind": "disagree", "reason": ""})
    assert refused.status_code == 400
    summary = BeautifulSoup(refused.content, "html.parser").select_one(".govuk-error-summary")
    assert summary is not None and "give a reason" in summary.get_text()
    response = client.post(
        url, {"person_id": person_id, "kind": "already_supported", "reason": "Open to early help"}
    )
    assert response.status_code == 302
    assert Override.objects.get().flag_key == flag.flag_key
    rate = next(r for r in services.override_rates() if r["ruleset_id"] == "supporting-families")
    assert rate["overrides"] == 1 and rate["already_supported"] == 1 and rate["rate"] > 0


def test_the_kill_switch_hides_a_rule_sets_flags_and_lists_who_saw_them(published: Path) -> None:
    _, person_id = household_flag_person()
    viewer = allocated(person_id)
    flags_seen_by(viewer, person_id)
    dpo = signed_in(Role.DATA_PROTECTION_OFFICER)
    dpo.post(
        "/flags/transparency/kill-switch/",
        {"target": "supporting-families", "withdrawn": "1", "reason": "Under review"},
    )
    cards = flags_seen_by(viewer, person_id)
    assert "supporting-families" not in {c.flag.ruleset_id for c in cards}
    seen = services.who_saw("supporting-families")
    assert seen and seen[0]["viewer"] == viewer.get_username()
    page = BeautifulSoup(dpo.get("/flags/transparency/").content, "html.parser")
    assert viewer.get_username() in page.get_text()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ANALYST, 200), (Role.PRACTITIONER, 403), (Role.COMMISSIONER, 403)],
)
def test_the_cohort_report_is_for_analysts(published: Path, role: Role, status: int) -> None:
    assert signed_in(role).get("/flags/cohorts/").status_code == status


def test_the_cohort_report_shows_sizes_overlaps_wards_and_quality(published: Path) -> None:
    client = signed_in(Role.ANALYST)
    page = BeautifulSoup(client.get("/flags/cohorts/").content, "html.parser")
    assert page.select_one("h1").get_text() == "Cohorts"
    captions = {c.get_text(strip=True) for c in page.select("caption")}
    assert {"Saved cohorts", "People by ward", "Quality against the synthetic truth"} <= captions
    assert client.get("/flags/cohorts/?format=json").json()["report"]["cohorts"]
    assert client.get("/flags/cohorts/?format=csv").content.startswith(b"id,title")


@pytest.mark.parametrize(
    "name", ["transparency.md", "transparency.json", "dpia.md", "fairness-audit.csv"]
)
def test_the_data_protection_officer_downloads_the_transparency_record_and_fairness_audit(
    published: Path, name: str
) -> None:
    response = signed_in(Role.DATA_PROTECTION_OFFICER).get(f"/flags/transparency/{name}")
    assert response.status_code == 200
    assert name in response["Content-Disposition"]
    assert len(response.content) > 100


def test_practitioners_cannot_download_the_transparency_record(published: Path) -> None:
    assert signed_in(Role.PRACTITIONER).get("/flags/transparency/dpia.md").status_code == 403


def test_the_person_flags_page_shows_why_flagged_cards(published: Path) -> None:
    flag, person_id = household_flag_person()
    client = Client()
    client.force_login(allocated(person_id))
    page = BeautifulSoup(client.get(f"/flags/person/{person_id}/").content, "html.parser")
    text = page.get_text()
    assert flag.label in text and f"version {flag.ruleset_version}" in text and "Lapses" in text


# Found by the route probe (tests/web/test_every_route.py): a made-up target was a 500 on
# PostgreSQL (a NUL, or longer than the column) and otherwise recorded a switch for nothing.


@pytest.mark.parametrize("target", ["no-such-rule-set", "a\x00b", "x" * 5000])
def test_the_kill_switch_refuses_a_target_the_page_does_not_offer_with_a_400_page(
    target: str,
) -> None:
    from upstream.flags.models import KillSwitch

    response = signed_in(Role.DATA_PROTECTION_OFFICER).post(
        "/flags/transparency/kill-switch/", {"target": target, "withdrawn": "1", "reason": "Test"}
    )
    assert response.status_code == 400
    html = BeautifulSoup(response.content, "html.parser")
    assert "Choose a rule set or model from the transparency page" in html.get_text()
    assert not KillSwitch.objects.exists()


def test_a_nul_character_in_the_kill_switch_reason_is_left_out() -> None:
    from upstream.flags.models import KillSwitch

    response = signed_in(Role.DATA_PROTECTION_OFFICER).post(
        "/flags/transparency/kill-switch/",
        {"target": "toxic-trio", "withdrawn": "1", "reason": "Under\x00 review"},
    )
    assert response.status_code == 302
    assert KillSwitch.objects.get().reason == "Under review"
