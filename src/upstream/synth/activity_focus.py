"""Open work for every demo role, and reading a planned year at `now`.

A year drawn at random has open items wherever they fall; the demo needs each role to find
some of its own when it signs in (issue 12): the front-door officer requests awaiting triage,
some old; the team manager a waiting list, open safeguarding concerns about adults and children
and connections nobody answered in 5 working days; the practitioner a proactive contact still
waiting for an answer; the partner professional their organisation's referrals; the service
provider incoming connections to answer. `give_each_role_open_work` moves the fewest requests
needed to make that so, changing their plans the way real delays would (nobody has triaged it
yet, the key worker is not allocated yet, the service has not answered).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from upstream.synth import activity_mixes as mix
from upstream.synth.activity import Ask, Change, Offer, Referral, add_working_hours, pick
from upstream.synth.activity_routes import (
    NO_ANSWER_CLOSE_DAYS,
    WORKING_DAY_HOURS,
    concern_for,
    connect,
    fitting_offers,
    referral_final,
    triager,
)

if TYPE_CHECKING:
    from upstream.synth.activity import _Drawing

DAY = timedelta(days=1)


def give_each_role_open_work(asks: list[Ask], d: _Drawing) -> None:
    _partner_referrals(asks, d)
    _citizen_requests(asks)
    _old_requests_awaiting_triage(asks, d)
    _team_waiting_list(asks, d)
    _handover_still_held(asks, d)
    _open_concerns(asks, d)
    _overdue_connections(asks, d)
    _provider_connections(asks, d)


def _between(asks: list[Ask], now: datetime, newest: timedelta, oldest: timedelta) -> list[Ask]:
    """Requests received between `oldest` and `newest` before now, the newest first."""
    found = [a for a in asks if now - oldest <= a.received_at <= now - newest]
    return sorted(found, key=lambda a: a.received_at, reverse=True)


def _partner_referrals(asks: list[Ask], d: _Drawing) -> None:
    """The latest partner referrals are the demo partner's; the newest not triaged yet."""
    partner = [a for a in asks if a.channel == "partner"]
    latest = sorted(partner, key=lambda a: a.received_at)[-mix.DEMO_PARTNER_REFERRALS :]
    for ask in latest:
        ask.referrer_organisation_id = d.focus.partner_organisation_id
        ask.asker_organisation = d.focus.partner_organisation_name
        ask.recorded_by = "partner_professional"
    if latest:
        _not_triaged_yet(latest[-1])


def _citizen_requests(asks: list[Ask]) -> None:
    """The latest web requests a person made for themselves are the demo citizen's."""
    theirs = [a for a in asks if a.channel == "web" and a.asked_by == "person" and a.person_id]
    for ask in theirs[-mix.DEMO_CITIZEN_REQUESTS :]:
        ask.citizen = True


def _old_requests_awaiting_triage(asks: list[Ask], d: _Drawing) -> None:
    """Some requests nobody has triaged yet: the newest, and a few 3 to 20 days old."""
    candidates = [
        a
        for a in _between(asks, d.now, timedelta(0), 20 * DAY)
        if a.channel in {"phone", "web", "partner"} and not a.concern and not a.referrals
    ]
    for ask in candidates[: mix.NEW_AWAITING_TRIAGE]:
        _not_triaged_yet(ask)
    old = [a for a in candidates[mix.NEW_AWAITING_TRIAGE :] if a.received_at <= d.now - 3 * DAY]
    count = max(mix.OLD_AWAITING_TRIAGE, round(len(asks) * 0.01))
    for i in sorted(d.rng.permutation(len(old))[:count]):
        _not_triaged_yet(old[int(i)])


def _not_triaged_yet(ask: Ask) -> None:
    ask.triaged_at = None
    ask.route = ask.team = ask.override_reason = ""
    ask.consent, ask.referrals = None, []


def _team_waiting_list(asks: list[Ask], d: _Drawing) -> None:
    team = d.focus.team

    def waiting() -> list[Ask]:
        return [a for a in asks if a.team == team and _triaged(a, d.now) and not _left(a, d.now)]

    ours = sorted(
        (a for a in asks if a.team == team and _triaged(a, d.now) and a.person_id),
        key=lambda a: a.received_at,
        reverse=True,
    )
    for ask in ours[: max(0, mix.DEMO_WAITING_LIST - len(waiting()))]:
        ask.leaves_at = None  # no key worker allocated yet
    recent = [
        a
        for a in _between(asks, d.now, DAY, 30 * DAY)
        if a.route == "universal" and not a.referrals and _triaged(a, d.now) and a.person_id
    ]
    for ask in recent[: max(0, mix.DEMO_WAITING_LIST - len(waiting()))]:
        ask.route, ask.team, ask.leaves_at = "targeted", team, None
        ask.override_reason = mix.OVERRIDES["universal"][1]
        ask.closes_with = mix.TARGETED_OUTCOMES[0]


def _handover_still_held(asks: list[Ask], d: _Drawing) -> None:
    """The latest handover still with its statutory team, if none is."""
    handed = sorted(
        (a for a in asks if a.route == "statutory" and _triaged(a, d.now)),
        key=lambda a: a.received_at,
    )
    if handed and all(_left(a, d.now) for a in handed):
        handed[-1].leaves_at = None


def _triaged(ask: Ask, now: datetime) -> bool:
    return ask.triaged_at is not None and ask.triaged_at < now


def _left(ask: Ask, now: datetime) -> bool:
    return ask.leaves_at is not None and ask.leaves_at <= now


def _open_concerns(asks: list[Ask], d: _Drawing) -> None:
    """An open concern about a child (today's) and about an adult (past its clock)."""
    for team, newest in (("children", timedelta(hours=1)), ("adults", 3 * DAY)):
        if any(_concern_open(a, team, d.now) for a in asks):
            continue
        fits = [
            a
            for a in _between(asks, d.now, newest, 60 * DAY)
            if (a.age is not None and a.age < 18) == (team == "children") and a.person_id
        ]
        if fits:
            ask = fits[0]
            ask.concern = concern_for(
                d, ask, ask.received_at + timedelta(minutes=15), decided=False
            )


def _concern_open(ask: Ask, team: str, now: datetime) -> bool:
    concern = ask.concern
    return (
        concern is not None
        and concern.team == team
        and concern.raised_at < now
        and (concern.decided_at is None or concern.decided_at >= now)
    )


def _overdue_connections(asks: list[Ask], d: _Drawing) -> None:
    """Connections nobody has answered 5 working days on: the officer's and, for the team
    manager, one the demo practitioner sent after a proactive contact."""
    window = [
        a
        for a in _between(asks, d.now, 9 * DAY, 18 * DAY)
        if _triaged(a, d.now) and not a.citizen and a.recorded_by != "partner_professional"
    ]

    def unanswered() -> list[tuple[Ask, Referral]]:
        return [(a, r) for a in window for r in a.referrals if _unanswered(r, d.now)]

    answered = [(a, r) for a in window for r in a.referrals if not _unanswered(r, d.now)]
    for _, referral in answered[: max(0, mix.DEMO_OVERDUE_CONNECTIONS - len(unanswered()))]:
        _no_answer(referral, d.now)
    unconnected = [a for a in window if a.route == "universal" and not a.referrals and a.person_id]
    for ask in unconnected[: max(0, mix.DEMO_OVERDUE_CONNECTIONS - len(unanswered()))]:
        connected = connect(d, ask)
        if connected is not None:
            _no_answer(connected, d.now)
    if unanswered() and not any(a.channel == "proactive" for a, _ in unanswered()):
        _make_proactive(unanswered()[0][0])


def _unanswered(referral: Referral, now: datetime) -> bool:
    return referral.sent_at < now and all(
        c.state in {"sent", "chased"} for c in referral.history if c.at < now
    )


def _no_answer(referral: Referral, now: datetime) -> None:
    sent = referral.history[0]
    due = add_working_hours(sent.at, mix.ANSWER_WITHIN_WORKING_DAYS * WORKING_DAY_HOURS)
    referral.history = [sent]
    if due < now:
        referral.history.append(Change("chased", due, sent.by, note="No answer in 5 working days"))
    referral.decline_reason, referral.helped = "", None


def _make_proactive(ask: Ask) -> None:
    """The demo practitioner contacted this person themselves (a cohort they work with)."""
    ask.channel, ask.place, ask.recorded_by = "proactive", "home_visit", "practitioner"
    ask.asked_by, ask.asker_relationship = "professional", ""
    ask.asker_name, ask.asker_organisation = "", "Upstream City Council"
    ask.referrer_organisation_id = ""
    ask.proactive_reason = mix.DEFAULT_PROACTIVE_REASON
    for referral in ask.referrals:
        referral.sent_by = triager(ask)
        for change in referral.history:
            if change.by == "front_door_officer":
                change.by = triager(ask)


def _provider_connections(asks: list[Ask], d: _Drawing) -> None:
    """Incoming connections for the demo provider: new ones to answer, accepted ones to
    complete."""
    org = d.focus.provider_organisation_id
    theirs = [o for o in d.offers if o.organisation_id == org]
    if not theirs:
        return
    sent = sorted(
        ((a, r) for a in asks if _triaged(a, d.now) for r in a.referrals if r.sent_at < d.now),
        key=lambda pair: pair[1].sent_at,
        reverse=True,
    )
    waiting = [r for _, r in sent if r.organisation_id == org and _unanswered(r, d.now)]
    others = [(a, r) for a, r in sent if r.organisation_id != org and not a.citizen]
    for ask, referral in others[: max(0, mix.DEMO_PROVIDER_WAITING - len(waiting))]:
        _retarget(d, ask, referral, theirs)
        _no_answer(referral, d.now)
    accepted = [r for _, r in sent if r.organisation_id == org and _accepted_now(r, d.now)]
    older = [(a, r) for a, r in sent if d.now - r.sent_at > 7 * DAY and r.organisation_id != org]
    for ask, referral in older[: max(0, mix.DEMO_PROVIDER_ACCEPTED - len(accepted))]:
        _retarget(d, ask, referral, theirs)
        sent_change = referral.history[0]
        answered = add_working_hours(sent_change.at, WORKING_DAY_HOURS)
        referral.history = [sent_change, Change("accepted", answered, "service_provider")]
        referral.decline_reason, referral.helped = "", None


def _accepted_now(referral: Referral, now: datetime) -> bool:
    states = [c.state for c in referral.history if c.at < now and c.state != "chased"]
    return states[-1] == "accepted"


def _retarget(d: _Drawing, ask: Ask, referral: Referral, theirs: list[Offer]) -> None:
    """Send this connection to the demo provider's service instead (one that fits if any)."""
    fitting = [o for o in fitting_offers(d, ask) if o in theirs]
    offer = pick(d.rng, fitting or theirs)
    referral.service_id, referral.organisation_id = offer.service_id, offer.organisation_id
    for change in referral.history[1:]:
        if change.by == "provider":
            change.by = "service_provider"
    if ask.consent is not None:
        ask.consent.organisations = tuple(
            sorted({*ask.consent.organisations, offer.organisation_id})
        )


# --- Reading the plan at `now` ------------------------------------------------------------


def settle(ask: Ask, now: datetime) -> None:
    """The request as it stands at `now`: only what has happened by then."""
    _settle_concern(ask, now)
    if not _triaged(ask, now):
        _not_triaged_yet(ask)
        ask.suggested_route = ask.suggested_team = ask.suggested_rule = ""
        ask.suggestion_why = ask.rules_version = ""
        ask.status, ask.closed_at, ask.outcome = "awaiting_triage", None, ""
        return
    if ask.consent is not None:
        ask.consent.history = [c for c in ask.consent.history if c.at < now]
    ask.referrals = [r for r in ask.referrals if r.sent_at < now]
    for referral in ask.referrals:
        _settle_referral(referral, now)
    if ask.route == "universal":
        _settle_universal(ask, now)
    elif _left(ask, now):
        ask.status, ask.closed_at, ask.outcome = "closed", ask.leaves_at, ask.closes_with
    else:
        ask.status = "waiting_list" if ask.route == "targeted" else "handed_over"
        ask.closed_at, ask.outcome = None, ""


def _settle_concern(ask: Ask, now: datetime) -> None:
    concern = ask.concern
    if concern is None:
        return
    if concern.raised_at >= now:
        ask.concern = None
    elif concern.decided_at is None or concern.decided_at >= now:
        concern.decision = concern.decision_reason = ""
        concern.outcomes_wanted = concern.outcomes_met = ""
        concern.decided_at = None


def _settle_referral(referral: Referral, now: datetime) -> None:
    referral.history = [c for c in referral.history if c.at < now]
    if referral.status != "completed":
        referral.helped = None
    if referral.status != "declined":
        referral.decline_reason = ""


def _settle_universal(ask: Ask, now: datetime) -> None:
    if not ask.referrals:
        ask.status, ask.closed_at = "closed", ask.triaged_at
        ask.outcome = ask.closes_with or mix.UNIVERSAL_OUTCOMES[0]
        return
    finals = [referral_final(r) for r in ask.referrals]
    if max(finals) > now:
        ask.status, ask.closed_at, ask.outcome = "connected", None, ""
        return
    ask.status, ask.closed_at = "closed", max(finals)
    ask.outcome = _connected_outcome(ask)


def _connected_outcome(ask: Ask) -> str:
    statuses = {r.status for r in ask.referrals}
    if any(r.helped for r in ask.referrals):
        return "Connected to help: the service helped"
    if statuses == {"sent"}:
        return f"No answer from the service after chasing ({NO_ANSWER_CLOSE_DAYS} days)"
    return "Connected, but the service could not help"
