"""What happens to a synthetic request after it arrives: a safeguarding concern if there is
one, triage (the front door's own rules suggest, the officer decides), consent, connections to
services and their answers, and the route's own work (waiting list, handover).

Everything is planned in full, whenever it would happen; `activity_focus.settle` later reads the
plan at `now`, so what has not happened yet is not there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from upstream.synth import activity_mixes as mix
from upstream.synth.activity import (
    Ask,
    Change,
    Concern,
    ConsentRecord,
    Offer,
    Referral,
    add_working_hours,
    choose,
    lognormal,
    pick,
)

if TYPE_CHECKING:
    from upstream.synth.activity import _Drawing

WORKING_DAY_HOURS = 8
# A connection nobody answers is closed by the officer after chasing, about six weeks on.
NO_ANSWER_CLOSE_DAYS = 30


def plan_request(d: _Drawing, ask: Ask) -> None:
    _maybe_concern(d, ask)
    _triage(d, ask)
    if ask.route == "universal":
        _universal(d, ask)
    elif ask.route == "targeted":
        _agree_team_around(d, ask)
        ask.leaves_at = ask_triaged(ask) + timedelta(days=lognormal(d.rng, mix.WAITING_DAYS))
        ask.closes_with = pick(d.rng, mix.TARGETED_OUTCOMES)
    else:
        ask.leaves_at = ask_triaged(ask) + timedelta(days=lognormal(d.rng, mix.HANDOVER_DAYS))
        ask.closes_with = mix.STATUTORY_OUTCOMES.get(ask.team, mix.STATUTORY_DEFAULT_OUTCOME)
    ask.closed_at = planned_close(ask)


def ask_triaged(ask: Ask) -> datetime:
    assert ask.triaged_at is not None
    return ask.triaged_at


def planned_close(ask: Ask) -> datetime | None:
    """When the request's plan ends (None: it never does, e.g. a connection still waiting)."""
    if ask.triaged_at is None:
        return None
    if ask.route != "universal":
        return ask.leaves_at
    if not ask.referrals:
        return ask.triaged_at
    ends = [referral_final(r) for r in ask.referrals]
    return max(ends)


def referral_final(referral: Referral) -> datetime:
    """When a connection stops needing anything: declined, completed, or given up on."""
    if referral.status in {"declined", "completed"}:
        assert referral.answered_at is not None
        return referral.answered_at
    if referral.status == "accepted":
        return datetime.max
    return referral.sent_at + timedelta(days=NO_ANSWER_CLOSE_DAYS)


# --- Safeguarding -------------------------------------------------------------------------


def _maybe_concern(d: _Drawing, ask: Ask) -> None:
    chance = mix.SAFEGUARDING_SHARE + max(
        (mix.RISKY_NEEDS.get(n, 0.0) for n in ask.needs), default=0.0
    )
    if d.rng.random() >= chance:
        return
    ask.urgency = "urgent"
    ask.concern = concern_for(
        d, ask, ask.received_at + timedelta(minutes=int(d.rng.integers(5, 40)))
    )


def concern_for(d: _Drawing, ask: Ask, raised: datetime, *, decided: bool = True) -> Concern:
    team = "children" if ask.age is not None and ask.age < 18 else "adults"
    concern = Concern(
        team=team,
        concern=pick(d.rng, mix.CONCERNS[team]),
        raised_at=raised,
        raised_by=ask.recorded_by or "front_door_officer",
    )
    if decided:
        decisions = mix.CHILD_DECISIONS if team == "children" else mix.ADULT_DECISIONS
        concern.decision = choose(d.rng, decisions)
        concern.decision_reason = mix.DECISION_REASONS[concern.decision]
        minutes = lognormal(d.rng, mix.DECISION_MINUTES)
        concern.decided_at = add_working_hours(raised, minutes / 60)
        if team == "adults":
            # Making Safeguarding Personal: what the person wanted, and whether it was met.
            concern.outcomes_wanted = pick(d.rng, mix.OUTCOMES_WANTED)
            concern.outcomes_met = choose(d.rng, mix.OUTCOMES_MET)
    return concern


# --- Triage -------------------------------------------------------------------------------


def _triage(d: _Drawing, ask: Ask) -> None:
    source = mix.TRIAGE_HOURS.get(ask.channel, mix.TRIAGE_HOURS["default"])
    hours = 0.1 if ask.concern else lognormal(d.rng, source)
    ask.triaged_at = add_working_hours(ask.received_at, hours)
    suggestion = d.routing.suggest(**facts(ask))
    ask.suggested_route, ask.suggested_team = suggestion.route, suggestion.team
    ask.suggested_rule, ask.suggestion_why = suggestion.rule_id, suggestion.why
    ask.rules_version = suggestion.rules_version
    ask.route, ask.team = suggestion.route, suggestion.team
    if d.rng.random() < mix.OVERRIDE_SHARE.get(suggestion.route, 0.0):
        route, reason = mix.OVERRIDES[suggestion.route]
        ask.route, ask.override_reason = route, reason
        ask.team = d.routing.targeted_team(ask.ward) if route == "targeted" else ""


def facts(ask: Ask) -> dict[str, object]:
    """What the triage rules read from a request (`upstream.triage.Facts`' fields)."""
    return {
        "needs": ask.needs,
        "urgency": ask.urgency,
        "age": ask.age,
        "asked_by": ask.asked_by,
        "channel": ask.channel,
        "what_matters": ask.what_matters,
        "flags": ask.flags,
        "repeat": ask.repeat_of is not None,
        "already_involved": False,
        "ward": ask.ward,
    }


# --- Consent and connections --------------------------------------------------------------


def _agree_team_around(d: _Drawing, ask: Ask) -> None:
    """Consent to share with the team around the person or family (targeted work)."""
    at = ask_triaged(ask)
    ask.consent = ConsentRecord(
        purpose="team_around",
        categories=mix.CONSENT_CATEGORIES,
        organisations=(),
        types=("council",),
        history=[
            Change("requested", at, triager(ask), mix.CONSENT_METHOD[ask.channel]),
            Change(
                "given", at + timedelta(minutes=2), triager(ask), mix.CONSENT_METHOD[ask.channel]
            ),
        ],
    )


def triager(ask: Ask) -> str:
    """Who triages and connects: the demo practitioner their own proactive contacts, the demo
    front-door officer everything else."""
    return "practitioner" if ask.channel == "proactive" else "front_door_officer"


def _universal(d: _Drawing, ask: Ask) -> None:
    offers = fitting_offers(d, ask)
    if not offers or d.rng.random() >= mix.UNIVERSAL_CONNECTED_SHARE:
        ask.closes_with = pick(d.rng, mix.UNIVERSAL_OUTCOMES)
        return
    count = 2 if d.rng.random() < mix.SECOND_CONNECTION_SHARE and len(offers) > 1 else 1
    chosen = _choose_offers(d, offers, count)
    given = d.rng.random() < mix.CONSENT_GIVEN_SHARE
    ask.consent = _consent_to_connect(ask, chosen, given)
    if not given:
        ask.closes_with = "Consent to share refused: information given instead; nothing shared"
        return
    at = ask_triaged(ask)
    ask.referrals = [
        send(d, ask, offer, at + timedelta(minutes=5 + i)) for i, offer in enumerate(chosen)
    ]
    if d.rng.random() < mix.CONSENT_WITHDRAWN_SHARE:
        withdrawn = at + timedelta(days=int(d.rng.integers(10, 90)))
        ask.consent.history.append(
            Change("withdrawn", withdrawn, "front_door_officer", "verbal", "Asked by phone")
        )


def connect(d: _Drawing, ask: Ask) -> Referral | None:
    """Connect a triaged universal request to one service that fits (any, if none fits),
    with consent given: for a role whose demo needs a connection where the year drew none."""
    offers = fitting_offers(d, ask) or list(d.offers)
    if not offers:
        return None
    offer = pick(d.rng, offers)
    ask.consent = _consent_to_connect(ask, [offer], given=True)
    ask.referrals = [send(d, ask, offer, ask_triaged(ask) + timedelta(minutes=5))]
    return ask.referrals[0]


def _consent_to_connect(ask: Ask, offers: list[Offer], given: bool) -> ConsentRecord:
    """Consent to share with the organisations named (ISO/IEC TS 27560: named recipients)."""
    at, by, method = ask_triaged(ask), triager(ask), mix.CONSENT_METHOD[ask.channel]
    return ConsentRecord(
        purpose="connect_to_help",
        categories=mix.CONSENT_CATEGORIES,
        organisations=tuple(sorted({o.organisation_id for o in offers})),
        types=(),
        history=[
            Change("requested", at, by, method),
            Change("given" if given else "refused", at + timedelta(minutes=3), by, method),
        ],
    )


def fitting_offers(d: _Drawing, ask: Ask) -> list[Offer]:
    needs = set(ask.needs)
    return [
        o
        for o in d.offers
        if needs & set(o.needs)
        and (ask.age is None or ((o.min_age or 0) <= ask.age <= (o.max_age or 200)))
    ]


def _choose_offers(d: _Drawing, offers: list[Offer], count: int) -> list[Offer]:
    theirs = [o for o in offers if o.organisation_id == d.focus.provider_organisation_id]
    chosen: list[Offer] = []
    if theirs and d.rng.random() < mix.FOCUS_PROVIDER_PREFERENCE:
        chosen.append(pick(d.rng, theirs))
    while len(chosen) < count:
        offer = pick(d.rng, offers)
        if offer not in chosen:
            chosen.append(offer)
    return chosen


def send(d: _Drawing, ask: Ask, offer: Offer, at: datetime) -> Referral:
    """A connection and the service's whole answer, whenever it comes."""
    sender = triager(ask)
    answerer = (
        "service_provider"
        if offer.organisation_id == d.focus.provider_organisation_id
        else "provider"
    )
    referral = Referral(
        service_id=offer.service_id,
        organisation_id=offer.organisation_id,
        sent_by=sender,
        message=_message(ask),
        history=[Change("sent", at, sender)],
    )
    roll = d.rng.random()
    answered = add_working_hours(at, lognormal(d.rng, mix.ANSWER_DAYS) * WORKING_DAY_HOURS)
    due = add_working_hours(at, mix.ANSWER_WITHIN_WORKING_DAYS * WORKING_DAY_HOURS)
    if roll >= mix.ACCEPTED_SHARE + mix.DECLINED_SHARE or answered > due:
        referral.history.append(Change("chased", due, sender, note="No answer in 5 working days"))
    if roll < mix.ACCEPTED_SHARE:
        referral.history.append(Change("accepted", answered, answerer))
        referral.helped = bool(d.rng.random() < mix.HELPED_SHARE)
        completed = answered + timedelta(days=lognormal(d.rng, mix.COMPLETION_DAYS))
        note = "Helped" if referral.helped else "Could not help in the end"
        referral.history.append(Change("completed", completed, answerer, note=note))
    elif roll < mix.ACCEPTED_SHARE + mix.DECLINED_SHARE:
        referral.decline_reason = choose(d.rng, mix.DECLINE_REASONS)
        referral.history.append(
            Change("declined", answered, answerer, note=referral.decline_reason)
        )
    return referral


def _message(ask: Ask) -> str:
    first = ask.what_matters.split(". Also:")[0]
    return f"{first}. Please contact them by {ask.preferred_contact.replace('_', ' ')}."
