"""A synthetic year of front-door activity (issue 12): volume in proportion to the city, every
channel, route and status, repeats, open work for each demo role, a replace that leaves nothing
twice, and a pure generator that gives the same year for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import pytest

from tests.city import TestCity
from upstream.synth import activity_mixes as mix
from upstream.synth.activity import (
    REQUEST_PREFIX,
    Activity,
    Focus,
    NeedTerm,
    Offer,
    Referrer,
    Resident,
    Routing,
    expected_contacts,
    generate_activity,
    reference,
)

NOW = datetime(2026, 11, 18, 14, 30)  # a Wednesday afternoon, local time
TEAM = "Early help — North"
PARTNER_ORG = "11111111-1111-4111-8111-111111111111"
PROVIDER_ORG = "22222222-2222-4222-8222-222222222222"
OTHER_ORG = "33333333-3333-4333-8333-333333333333"
WARDS = ("Ashfield", "Copperhill", "Brookvale", "Dovecote")


# --- The pure generator -------------------------------------------------------------------


def residents(count: int, seed: int = 5) -> list[Resident]:
    rng = np.random.default_rng(seed)
    born = [date(1940, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 30_000, count)]
    return [
        Resident(
            person_id=f"P{n:08d}",
            given_name=str(rng.choice(["Amara", "Ben", "Chloe", "Dev", "Erin", "Farah"])),
            family_name=str(rng.choice(["Ahmed", "Brown", "Clarke", "Davies", "Evans"])),
            date_of_birth=born[n],
            sex=str(rng.choice(["F", "M"])),
            postcode=f"UP{n % 9 + 1} {n % 7 + 1}AB",
            ward=WARDS[n % len(WARDS)],
            flags=("supporting-families",) if n % 11 == 0 else (),
        )
        for n in range(count)
    ]


def needs() -> list[NeedTerm]:
    from upstream.directory.taxonomy import all_items

    return [NeedTerm(i.slug, a.slug, i.min_age, i.max_age) for a, i in all_items()]


def offers() -> list[Offer]:
    """One service per need from an ordinary organisation, and the demo provider's advice."""
    made = [
        Offer(f"00000000-0000-4000-8000-{n:012d}", OTHER_ORG, (term.slug,), term.min_age, None)
        for n, term in enumerate(needs())
    ]
    advice = ("financial-help", "benefits-help", "housing-homelessness-advice")
    made += [
        Offer(f"00000000-0000-4000-9000-{n:012d}", PROVIDER_ORG, (slug,), 16, None)
        for n, slug in enumerate(advice)
    ]
    return made


def routing() -> Routing:
    from upstream.jobs.frontdoor_activity import routing_for
    from upstream.triage import load_rules

    return routing_for(load_rules())


FOCUS = Focus(TEAM, PARTNER_ORG, "Upstream Community Health NHS Trust", PROVIDER_ORG)


@cache
def year(people: int = 3_000, seed: int = 7, now: datetime = NOW) -> Activity:
    """A year for made-up residents (cached: tests read it, never change it)."""
    return generate_activity(
        residents(people),
        needs(),
        offers(),
        [Referrer("Upstream Homes Housing Association", OTHER_ORG)],
        FOCUS,
        routing(),
        now=now,
        seed=seed,
    )


def fingerprint(activity: Activity) -> list[tuple[Any, ...]]:
    return [
        (
            a.reference,
            a.person_id,
            a.channel,
            a.received_at,
            a.needs,
            a.status,
            a.route,
            a.team,
            a.closed_at,
            [(r.service_id, r.status, r.answered_at) for r in a.referrals],
            len(a.follow_ups),
        )
        for a in activity.requests
    ]


@pytest.mark.core
def test_the_same_seed_gives_the_same_year_and_another_seed_another() -> None:
    first, again, other = year(seed=7), year(seed=7), year(seed=8)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(other)


@pytest.mark.core
@pytest.mark.parametrize("people", [3_000, 20_000])
def test_contacts_are_in_proportion_to_the_city(people: int) -> None:
    # A large city's adult front door: about 8,000 contacts a month per 1.1 million people.
    per_month = people * 8_000 / 1_100_000
    assert expected_contacts(people) == pytest.approx(per_month * 12, abs=1)
    activity = year(people=people)
    assert activity.contacts() == expected_contacts(people)
    assert 0.9 * activity.contacts() < len(activity.requests) < activity.contacts()


@pytest.mark.core
def test_nothing_in_the_year_happens_after_now() -> None:
    activity = year()
    for ask in activity.requests:
        assert NOW - timedelta(days=365) <= ask.received_at < NOW
        assert ask.closed_at is None or ask.received_at <= ask.closed_at <= NOW
        assert ask.triaged_at is None or ask.triaged_at < NOW
        assert all(f.at < NOW for f in ask.follow_ups)
        assert all(c.at < NOW for r in ask.referrals for c in r.history)
        if ask.consent:
            assert all(c.at < NOW for c in ask.consent.history)
        if ask.concern and ask.concern.decided_at:
            assert ask.concern.decided_at < NOW


@pytest.mark.core
def test_a_request_not_triaged_yet_has_no_route_consent_or_connection() -> None:
    waiting = [a for a in year().requests if a.status == "awaiting_triage"]
    assert waiting
    for ask in waiting:
        assert (ask.route, ask.suggested_rule, ask.triaged_at) == ("", "", None)
        assert ask.consent is None and not ask.referrals


@pytest.mark.core
def test_mixes_are_ones_a_council_would_recognise() -> None:
    asks = year(people=20_000).requests
    n = len(asks)
    channels = Counter(a.channel for a in asks)
    assert channels.most_common(1)[0][0] == "phone"  # still the largest channel
    assert set(channels) == set(mix.CHANNELS)
    routes = Counter(a.route for a in asks if a.route)
    assert 0.5 < routes["universal"] / sum(routes.values()) < 0.7
    assert 0.08 < sum(a.repeat_of is not None for a in asks) / n < 0.16
    assert 0.05 < sum(bool(a.override_reason) for a in asks) / n < 0.15
    assert 0.01 < sum(a.concern is not None for a in asks) / n < 0.05
    answers = Counter(r.status for a in asks for r in a.referrals)
    assert answers["completed"] + answers["accepted"] > answers["declined"] > answers["sent"] > 0


@pytest.mark.core
def test_an_override_always_says_why() -> None:
    for ask in year().requests:
        if ask.route and (ask.route, ask.team) != (ask.suggested_route, ask.suggested_team):
            assert ask.override_reason, ask.reference


@pytest.mark.core
def test_needs_the_taxonomy_does_not_have_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the taxonomy"):
        generate_activity(
            residents(100), needs()[:3], offers(), [], FOCUS, routing(), now=NOW, seed=1
        )


@pytest.mark.core
def test_synthetic_references_are_marked_and_readable_aloud() -> None:
    refs = [a.reference for a in year().requests]
    assert len(set(refs)) == len(refs)
    assert all(r.startswith(REQUEST_PREFIX) and len(r) <= 20 for r in refs)
    assert not set("".join(r.removeprefix(REQUEST_PREFIX) for r in refs)) & set("01IO")
    assert reference("X-", 0) == "X-AAAAAA"


# --- Written by the demo step over the test city ------------------------------------------

AWARE_NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)


@pytest.fixture
def demo_city(db: None, test_city: TestCity) -> TestCity:
    """The test city's people, flags and synthetic directory in the test database, as the
    demo's earlier steps leave them."""
    from upstream.directory.demo import load_synthetic
    from upstream.flags.publish import publish_workspace
    from upstream.jobs.directory import city_ward_names
    from upstream.people.publish import publish

    publish(test_city.data_dir, progress=lambda _line: None)
    load_synthetic(city_ward_names(test_city.city_dir))
    publish_workspace(test_city.data_dir / "identify")
    return test_city


def load(city: TestCity) -> dict[str, int]:
    from upstream.jobs.frontdoor_activity import load_activity

    loaded = load_activity(seed=11, now=AWARE_NOW, people=3_000)
    assert not loaded.skipped
    return loaded.counts


def table_counts() -> dict[str, int]:
    from upstream.frontdoor import models
    from upstream.governance.models import Allocation

    tables = [
        models.Request,
        models.RequestContact,
        models.ProvisionalPerson,
        models.Consent,
        models.ConsentEvent,
        models.SafeguardingConcern,
        models.Connection,
        models.ConnectionEvent,
        models.PartnerAccount,
        Allocation,
    ]
    return {t.__name__: t.objects.count() for t in tables}


def test_the_demo_step_writes_a_year_in_proportion_with_every_channel_route_and_status(
    demo_city: TestCity,
) -> None:
    from upstream.frontdoor.models import (
        Channel,
        Connection,
        Request,
        RequestContact,
        RequestStatus,
        Route,
    )

    counts = load(demo_city)
    requests = Request.objects.filter(reference__startswith=REQUEST_PREFIX)
    assert requests.count() + RequestContact.objects.count() == expected_contacts(3_000)
    assert counts["requests"] == requests.count()
    assert set(requests.values_list("channel", flat=True)) == set(Channel.values)
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(requests.exclude(route="").values_list("route", flat=True)) == set(Route.values)
    answers = set(Connection.objects.values_list("status", flat=True))
    assert answers == {"sent", "accepted", "declined", "completed"}
    repeats = requests.filter(repeat_of__isnull=False).count() / requests.count()
    assert 0.05 < repeats < 0.2


def test_every_synthetic_request_is_for_a_published_or_a_provisional_person(
    demo_city: TestCity,
) -> None:
    from upstream.frontdoor.models import Request
    from upstream.people.models import Person

    load(demo_city)
    requests = Request.objects.filter(reference__startswith=REQUEST_PREFIX)
    known = set(Person.objects.values_list("person_id", flat=True))
    for person_id, provisional in requests.values_list("person_id", "provisional"):
        assert (person_id in known) or (provisional is not None and person_id == "")
    assert requests.filter(provisional__isnull=False).exists()


def test_each_demo_role_finds_open_work(demo_city: TestCity) -> None:
    from upstream.accounts.demo import DEMO_TEAM, demo_user
    from upstream.accounts.roles import FRONT_DOOR_TEAM, Role
    from upstream.frontdoor.access import visible_requests
    from upstream.frontdoor.connecting import overdue_for
    from upstream.frontdoor.models import Connection, Request, SafeguardingConcern
    from upstream.governance.models import Allocation

    load(demo_city)
    officer = demo_user(Role.FRONT_DOOR_OFFICER)
    awaiting = Request.objects.filter(status="awaiting_triage")
    assert awaiting.count() >= mix.OLD_AWAITING_TRIAGE + mix.NEW_AWAITING_TRIAGE
    assert awaiting.filter(received_at__lt=AWARE_NOW - timedelta(days=3)).count() >= 3
    assert Allocation.objects.filter(
        team=FRONT_DOOR_TEAM, worker=officer, basis="request", ended_at__isnull=True
    ).exists()
    assert overdue_for(officer, AWARE_NOW).exists()

    manager = demo_user(Role.TEAM_MANAGER)
    waiting = Request.objects.filter(team=DEMO_TEAM, status="waiting_list")
    assert waiting.count() >= mix.DEMO_WAITING_LIST
    on_list = Allocation.objects.filter(team=DEMO_TEAM, worker=None, basis="request")
    assert on_list.count() >= mix.DEMO_WAITING_LIST - 1  # one person may wait twice
    undecided = SafeguardingConcern.objects.filter(decided_at__isnull=True)
    assert set(undecided.values_list("team", flat=True)) == {"adults", "children"}
    assert undecided.filter(due_at__lt=AWARE_NOW).exists()  # one past its clock
    assert overdue_for(manager, AWARE_NOW).filter(sent_by__role="practitioner").exists()

    practitioner = demo_user(Role.PRACTITIONER)
    assert Request.objects.filter(recorded_by=practitioner, closed_at__isnull=True).exists()

    partner = demo_user(Role.PARTNER_PROFESSIONAL)
    referrals = visible_requests(partner)
    assert referrals.count() >= mix.DEMO_PARTNER_REFERRALS
    assert referrals.filter(status="awaiting_triage").exists()

    provider = demo_user(Role.SERVICE_PROVIDER)
    incoming = Connection.objects.filter(organisation=provider.partner.organisation)
    assert incoming.filter(status="sent").count() >= mix.DEMO_PROVIDER_WAITING
    assert incoming.filter(status="accepted").count() >= mix.DEMO_PROVIDER_ACCEPTED

    citizen = demo_user(Role.CITIZEN)
    assert Request.objects.filter(citizen=citizen).count() == mix.DEMO_CITIZEN_REQUESTS


def test_running_again_replaces_the_synthetic_year_and_nothing_else(demo_city: TestCity) -> None:
    from upstream.frontdoor.models import ProvisionalPerson, Request

    real = Request.objects.create(
        reference="R-REALABCD",
        channel="phone",
        place="contact_centre",
        received_at=AWARE_NOW,
        asked_by="person",
        what_matters="I need help with my rent",
        needs=["financial-help"],
        preferred_contact="phone",
    )
    first = load(demo_city)
    before = table_counts()
    matched = ProvisionalPerson.objects.filter(reference__startswith="PP-SYN-").first()
    assert matched is not None
    person = "P" + "9" * 8
    ProvisionalPerson.objects.filter(pk=matched.pk).update(matched_person_id=person)
    second = load(demo_city)
    assert first == second
    assert table_counts() == before
    references = list(Request.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    assert Request.objects.filter(pk=real.pk).exists()
    # A provisional person matched since the last run keeps the match; the requests follow.
    matched.refresh_from_db()
    assert matched.matched_person_id == person
    assert set(matched.requests.values_list("person_id", flat=True)) == {person}


def test_the_step_is_audited(demo_city: TestCity) -> None:
    from upstream.governance.models import AuditEntry

    counts = load(demo_city)
    entry = AuditEntry.objects.get(action="frontdoor.synthetic-activity")
    assert entry.detail["requests"] == counts["requests"]


def test_without_published_people_the_step_says_what_to_run_first(db: None) -> None:
    from upstream.jobs.frontdoor_activity import load_activity

    loaded = load_activity(seed=1, now=AWARE_NOW)
    assert "upstream publish" in loaded.line()
