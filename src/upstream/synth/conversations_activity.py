"""The synthetic year continued into Three Conversations work (issue 13 "Demo data"): for each
synthetic request the front door triaged to an early-help team, conversation 1 and, for a
minority, conversation 2 (an emergency plan, contact notes, small practical help) and
conversation 3 (agreed outcomes), with a few hand-offs, reviews (some overdue), contacts while
people wait, connections made in conversation 1, team budgets, and family plans for
households with several needs (members, outcomes, actions, meetings).

Pure and seeded (numpy): the same requests, workers, services, seed and moment give the same
work. It returns plain dataclasses; `upstream.jobs.conversations_activity` writes them.
Datetimes are naive local time, as the front door's generator uses.

Proportions are in `MIX` with their sources, or marked invented where none gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

# --- The mix ------------------------------------------------------------------------------

# How conversation 1 ends. Three Conversations sites report most people helped at the first
# conversation (Partners 4 Change's evaluations: around two thirds); invented in that shape.
C1_OUTCOMES = {
    "resolved": 0.64,
    "needs_2": 0.2,
    "needs_3": 0.1,
    "statutory": 0.04,
    "withdrawn": 0.02,
}
# How conversation 2 ends: most become stable and go back to their connections (invented).
C2_OUTCOMES = {"stable": 0.7, "needs_3": 0.24, "withdrawn": 0.06}
# Conversation 3 ends when the support plan starts (statutory); a few do not want to go on.
C3_OUTCOMES = {"statutory": 0.93, "withdrawn": 0.07}
# Days each conversation lasts (median, of a lognormal): invented.
DAYS = {1: 10, 2: 28, 3: 42}
HANDOFF_SHARE = 0.04  # one worker stays: a hand-off is rare (invented)
HANDOFF_REASONS = (
    "Worker on long-term leave",
    "The person asked for a different worker",
    "Worker moved to another team",
)
CONNECTED_SHARE = 0.55  # conversations 1 that connect the person to a service (invented)
ANSWERS = {"accepted": 0.55, "completed": 0.17, "declined": 0.2, "sent": 0.08}  # as issue 12
FAMILY_PLAN_SHARE = 0.15  # conversations 1 whose household gets a team around it (invented)
ACHIEVED = {"sustained": 0.45, "significant_progress": 0.35, "not_achieved": 0.2}
REVIEW_WEEKS = {"low": 26, "medium": 12, "high": 6}  # as the review policy's v1 table
RISK = {"low": 0.55, "medium": 0.35, "high": 0.1}
WAIT_CONTACT_AFTER = 14  # days on a list before someone checks in (waiting well)
BUDGET = {"Early help — North": 25_000, "Early help — South": 22_000}  # a year (invented)
METHODS = ("phone", "visit", "text", "video")
PLAN_MARK = "(Synthetic demo plan.)"  # every synthetic family plan's closure note ends so
CONNECTION_MARK = "From conversation 1: "  # every synthetic connection's message starts so

WHAT_MATTERS = (
    "Keeping my flat and getting on top of the bills",
    "Being able to stay in my own home",
    "My son going back to school and getting some sleep",
    "Feeling less on my own since my wife died",
    "Getting back to work without losing my benefits",
    "Keeping the family together and safe",
)
STRENGTHS = (
    ("Determined and organised once things are clear", "A sister nearby", "The church lunch club"),
    ("Good at cooking, likes to help others", "Daughter phones every day", "Neighbour checks in"),
    ("Knows what works for them", "Friends from work", "Local food bank volunteers"),
)
PLAN_STEPS = (
    ("Make sure there is food in the house this week", "Key worker"),
    ("Get the electricity back on", "Key worker and energy supplier"),
    ("Agree a safety plan with the family", "Key worker"),
    ("Arrange the GP appointment", "The person, with their daughter"),
)
HELP = (
    (40, "Food shopping for the week"),
    (60, "Electricity top-up"),
    (120, "Bus pass for a month"),
    (85, "School uniform"),
    (150, "Cooker repair"),
)
AGREED = (
    "To manage my money with a weekly plan",
    "To get out of the house twice a week",
    "To have help with washing and dressing in the morning",
    "To stay in touch with my grandchildren",
)
FAMILY_OUTCOMES = (
    ("education", "The children at school every day"),
    ("finance", "No more letters from the bailiffs"),
    ("health", "Mum sleeping better and seeing her GP"),
    ("relationships", "Fewer arguments at home"),
    ("housing", "Staying in our home"),
)
PARTNERS = (
    ("Community NHS trust", "Health visitor"),
    ("Northgate Primary School", "Family liaison officer"),
    ("Jobcentre Plus", "Work coach"),
    ("Housing association", "Tenancy officer"),
)


# --- What the generator reads and gives -----------------------------------------------------


@dataclass(frozen=True)
class TeamRequest:
    """A synthetic request the front door triaged onto an early-help team's list."""

    reference: str
    person_id: str
    household_id: str
    ward: str
    team: str
    received_at: datetime
    triaged_at: datetime
    left_list_at: datetime | None  # a key worker allocated (the front door closed it), or None
    age: int | None
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Worker:
    username: str
    team: str


@dataclass(frozen=True)
class Service:
    service_id: str
    organisation_id: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Focus:
    """The demo accounts the work is shaped around: the practitioner and team manager (in the
    demo team) and the partner professional (a family plan member with an action due)."""

    practitioner: str
    manager: str
    partner: str
    partner_name: str
    partner_organisation: str
    team: str


@dataclass
class Talk:
    key: int
    request: str
    kind: int
    person_id: str
    owner: str
    team: str
    ward: str
    started_at: datetime
    risk: str
    what_matters: str
    strengths: tuple[str, str, str]
    previous: int | None = None
    ended_at: datetime | None = None
    outcome: str = ""
    outcome_note: str = ""


@dataclass(frozen=True)
class HandOff:
    talk: int
    from_owner: str
    to_owner: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Step:
    talk: int
    what: str
    who: str
    by_when: date
    done_at: datetime | None


@dataclass(frozen=True)
class Note:
    talk: int
    at: datetime
    by: str
    method: str
    note: str


@dataclass(frozen=True)
class Help:
    talk: int
    amount: int
    purpose: str
    at: datetime
    by: str


@dataclass(frozen=True)
class Agreed:
    talk: int
    outcome: str
    agreed_at: datetime


@dataclass(frozen=True)
class WaitingContact:
    request: str
    at: datetime
    by: str
    method: str
    note: str


@dataclass(frozen=True)
class Connect:
    talk: int
    request: str
    service_id: str
    organisation_id: str
    sent_at: datetime
    by: str
    status: str
    answered_at: datetime | None


@dataclass(frozen=True)
class Member:
    name: str
    organisation: str
    role: str
    username: str = ""


@dataclass(frozen=True)
class FamilyOutcome:
    area: str
    outcome: str
    achieved: str


@dataclass(frozen=True)
class FamilyAction:
    outcome: int  # index into the plan's outcomes
    action: str
    owner: int  # index into the plan's members (0: the key worker)
    due: date
    done_at: datetime | None


@dataclass(frozen=True)
class Meeting:
    held_on: date
    attended: tuple[int, ...]
    decisions: str
    next_on: date | None


@dataclass
class FamilyPlan:
    key: int
    household_id: str
    key_worker: str
    team: str
    started_at: datetime
    risk: str
    closed_at: datetime | None = None
    members: list[Member] = field(default_factory=list)
    outcomes: list[FamilyOutcome] = field(default_factory=list)
    actions: list[FamilyAction] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def closure_note(self) -> str:
        closed = "Closed with the family: outcomes recorded. " if self.closed_at else ""
        return closed + PLAN_MARK


@dataclass(frozen=True)
class Review:
    due_on: date
    held_at: datetime | None
    held_by: str
    method: str
    reason: str
    talk: int | None = None
    plan: int | None = None


@dataclass(frozen=True)
class Budget:
    team: str
    financial_year: str
    amount: int
    set_at: datetime


@dataclass
class Work:
    talks: list[Talk] = field(default_factory=list)
    handoffs: list[HandOff] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    help: list[Help] = field(default_factory=list)
    agreed: list[Agreed] = field(default_factory=list)
    waiting: list[WaitingContact] = field(default_factory=list)
    connections: list[Connect] = field(default_factory=list)
    plans: list[FamilyPlan] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)


# --- Drawing ------------------------------------------------------------------------------


def generate_conversations(
    requests: Sequence[TeamRequest],
    workers: Sequence[Worker],
    services: Sequence[Service],
    focus: Focus,
    *,
    now: datetime,
    seed: int,
) -> Work:
    """The year's conversations for the early-help requests, up to `now` (naive local)."""
    d = _Drawing(np.random.default_rng([seed, 31]), workers, services, focus, now)
    for request in sorted(requests, key=lambda r: (r.triaged_at, r.reference)):
        if request.left_list_at is None or request.left_list_at > now:
            d.wait(request)
        else:
            d.hold(request)
    d.give_the_demo_open_work(requests)
    d.budgets()
    return d.work


class _Drawing:
    def __init__(
        self,
        rng: np.random.Generator,
        workers: Sequence[Worker],
        services: Sequence[Service],
        focus: Focus,
        now: datetime,
    ) -> None:
        self.rng, self.focus, self.now = rng, focus, now
        self.services = list(services)
        self.work = Work()
        self.team_workers: dict[str, list[str]] = {}
        for w in sorted(workers, key=lambda w: w.username):
            self.team_workers.setdefault(w.team, []).append(w.username)
        self.households: set[str] = set()

    # Choosing.

    def pick(self, shares: dict[str, float]) -> str:
        keys = list(shares)
        weights = np.array([shares[k] for k in keys])
        return keys[int(self.rng.choice(len(keys), p=weights / weights.sum()))]

    def one(self, items: Sequence[str]) -> str:
        return items[int(self.rng.integers(len(items)))]

    def days(self, median: float) -> timedelta:
        return timedelta(days=float(median * self.rng.lognormal(0, 0.5)))

    def worker(self, team: str) -> str:
        return self.one(self.team_workers.get(team) or [self.focus.practitioner])

    def ended(self, at: datetime) -> datetime | None:
        return at if at <= self.now else None

    # Waiting well.

    def wait(self, request: TeamRequest) -> None:
        """Someone checks in with people who have waited a fortnight, then every fortnight."""
        at = request.triaged_at + timedelta(days=WAIT_CONTACT_AFTER)
        while _office(at) < self.now:
            self.work.waiting.append(
                WaitingContact(
                    request.reference,
                    _office(at),
                    self.worker(request.team),
                    "phone",
                    "Rang to see how things are while they wait: nothing has changed.",
                )
            )
            at += timedelta(days=WAIT_CONTACT_AFTER)

    # Conversations.

    def hold(self, request: TeamRequest) -> None:
        assert request.left_list_at is not None
        owner = self.worker(request.team)
        c1 = self.talk(request, 1, owner, request.left_list_at, None)
        if self.rng.random() < CONNECTED_SHARE:
            self.connect(c1, request)
        outcome = self.finish(c1, C1_OUTCOMES)
        if request.household_id and self.rng.random() < FAMILY_PLAN_SHARE:
            self.family_plan(request, c1.owner, c1.started_at + timedelta(days=3))
        if outcome == "needs_2" and c1.ended_at:
            c2 = self.talk(request, 2, c1.owner, c1.ended_at, c1.key)
            self.crisis(c2)
            if self.finish(c2, C2_OUTCOMES) == "needs_3" and c2.ended_at:
                self.good_life(request, self.talk(request, 3, c2.owner, c2.ended_at, c2.key))
        elif outcome == "needs_3" and c1.ended_at:
            self.good_life(request, self.talk(request, 3, c1.owner, c1.ended_at, c1.key))

    def talk(
        self, request: TeamRequest, kind: int, owner: str, at: datetime, previous: int | None
    ) -> Talk:
        strengths = STRENGTHS[int(self.rng.integers(len(STRENGTHS)))]
        talk = Talk(
            key=len(self.work.talks),
            request=request.reference,
            kind=kind,
            person_id=request.person_id,
            owner=owner,
            team=request.team,
            ward=request.ward,
            started_at=at,
            risk=self.pick(RISK),
            what_matters=self.one(WHAT_MATTERS),
            strengths=strengths,
            previous=previous,
        )
        self.work.talks.append(talk)
        if self.rng.random() < HANDOFF_SHARE:
            self.hand_off(talk)
        return talk

    def finish(self, talk: Talk, outcomes: dict[str, float]) -> str:
        """End the conversation after its usual length, if that is before now."""
        outcome = self.pick(outcomes)
        talk.ended_at = self.ended(talk.started_at + self.days(DAYS[talk.kind]))
        if talk.ended_at:
            talk.outcome = outcome
            talk.outcome_note = "" if outcome in ("resolved", "stable") else "Agreed with them."
        return outcome if talk.ended_at else ""

    def hand_off(self, talk: Talk) -> None:
        others = [w for w in self.team_workers.get(talk.team, []) if w != talk.owner]
        if not others:
            return
        at = talk.started_at + timedelta(days=2)
        if at > self.now:
            return
        to = self.one(others)
        self.work.handoffs.append(HandOff(talk.key, talk.owner, to, self.one(HANDOFF_REASONS), at))
        talk.owner = to

    def connect(self, talk: Talk, request: TeamRequest) -> None:
        fits = [s for s in self.services if set(s.needs) & set(request.needs)] or self.services
        if not fits:
            return
        service = fits[int(self.rng.integers(len(fits)))]
        sent = talk.started_at + timedelta(hours=2)
        status = self.pick(ANSWERS)
        answered = sent + self.days(3) if status != "sent" else None
        if answered and answered > self.now:
            status, answered = "sent", None
        self.work.connections.append(
            Connect(
                talk.key,
                request.reference,
                service.service_id,
                service.organisation_id,
                sent,
                talk.owner,
                status,
                answered,
            )
        )

    def crisis(self, talk: Talk) -> None:
        """An emergency plan, frequent short contacts and a little practical help."""
        for what, who in PLAN_STEPS[: 2 + int(self.rng.integers(3))]:
            by_when = (talk.started_at + timedelta(days=int(self.rng.integers(1, 10)))).date()
            done = self.ended(datetime.combine(by_when, time(15)))
            self.work.steps.append(Step(talk.key, what, who, by_when, done))
        at = talk.started_at + timedelta(days=1)
        while _office(at) < (talk.ended_at or self.now):
            method = self.one(METHODS)
            self.work.notes.append(Note(talk.key, _office(at), talk.owner, method, "Checked in."))
            at += timedelta(days=int(self.rng.integers(2, 6)))
        if self.rng.random() < 0.6:
            amount, purpose = HELP[int(self.rng.integers(len(HELP)))]
            self.work.help.append(
                Help(talk.key, amount, purpose, talk.started_at + timedelta(days=1), talk.owner)
            )

    def good_life(self, request: TeamRequest, talk: Talk) -> None:
        for outcome in AGREED[: 1 + int(self.rng.integers(3))]:
            self.work.agreed.append(Agreed(talk.key, outcome, talk.started_at + timedelta(days=7)))
        self.finish(talk, C3_OUTCOMES)
        self.review(talk.started_at + timedelta(days=7), talk.risk, talk.owner, talk=talk.key)

    def review(
        self,
        start: datetime,
        risk: str,
        by: str,
        *,
        talk: int | None = None,
        plan: int | None = None,
    ) -> None:
        """Reviews on the policy's interval: held (mostly on time) until now; the next one due,
        some already overdue."""
        due = (start + timedelta(weeks=REVIEW_WEEKS[risk])).date()
        while True:
            held_at = datetime.combine(due, time(11)) + timedelta(
                days=int(self.rng.integers(-3, 8))
            )
            if held_at > self.now or self.rng.random() < 0.08:  # due, or let slip past due
                self.work.reviews.append(Review(due, None, "", "", "", talk, plan))
                return
            method = self.one(("face_to_face", "phone", "video"))
            self.work.reviews.append(Review(due, held_at, by, method, "planned", talk, plan))
            due = due + timedelta(weeks=REVIEW_WEEKS[risk])

    # Family plans.

    def family_plan(self, request: TeamRequest, worker: str, at: datetime) -> FamilyPlan | None:
        if at > self.now or request.household_id in self.households:
            return None
        self.households.add(request.household_id)
        plan = FamilyPlan(
            len(self.work.plans), request.household_id, worker, request.team, at, self.pick(RISK)
        )
        plan.members.append(Member("Key worker", "The council", "Key worker", worker))
        for org, role in PARTNERS[: 1 + int(self.rng.integers(3))]:
            plan.members.append(Member(f"{role} ({org})", org, role))
        closes = at + self.days(90)
        plan.closed_at = self.ended(closes)
        for n, (area, words) in enumerate(FAMILY_OUTCOMES[: 2 + int(self.rng.integers(3))]):
            achieved = self.pick(ACHIEVED) if plan.closed_at else ""
            plan.outcomes.append(FamilyOutcome(area, words, achieved))
            due = (at + timedelta(days=int(self.rng.integers(14, 90)))).date()
            done = self.ended(datetime.combine(due, time(12)) - timedelta(days=2))
            owner = int(self.rng.integers(len(plan.members)))
            plan.actions.append(FamilyAction(n, f"Help towards: {words.lower()}", owner, due, done))
        meeting = at + timedelta(days=7)
        while meeting <= min(self.now, plan.closed_at or self.now):
            following = meeting + timedelta(weeks=6)
            plan.meetings.append(
                Meeting(
                    meeting.date(),
                    tuple(range(len(plan.members))),
                    "Went through the plan with the family and agreed the next actions.",
                    following.date(),
                )
            )
            meeting = following
        self.work.plans.append(plan)
        self.review(at, plan.risk, worker, plan=plan.key)
        return plan

    # The demo accounts' open work.

    def give_the_demo_open_work(self, requests: Sequence[TeamRequest]) -> None:
        """The demo practitioner holds open conversations 1, a conversation 2 in progress and a
        family plan with the demo partner professional as a member with an action due."""
        mine = [t for t in self.work.talks if t.team == self.focus.team and t.kind == 1]
        for talk in sorted(mine, key=lambda t: t.started_at)[-3:]:
            talk.owner, talk.ended_at, talk.outcome, talk.outcome_note = (
                self.focus.practitioner,
                None,
                "",
                "",
            )
            self._drop_followers(talk.key)
        crisis = [t for t in self.work.talks if t.team == self.focus.team and t.kind == 2]
        if crisis:
            latest = max(crisis, key=lambda t: t.started_at)
            latest.owner, latest.ended_at, latest.outcome = self.focus.practitioner, None, ""
            self._drop_followers(latest.key)
        ours = [r for r in requests if r.team == self.focus.team and r.household_id]
        households = sorted({r.household_id for r in ours} - self.households)
        if households:
            request = next(r for r in ours if r.household_id == households[-1])
            start = self.now - timedelta(days=20)
            plan = self.family_plan(request, self.focus.practitioner, start)
            if plan is not None:
                plan.closed_at = None
                plan.outcomes = [FamilyOutcome(o.area, o.outcome, "") for o in plan.outcomes]
                plan.members.append(
                    Member(
                        self.focus.partner_name,
                        self.focus.partner_organisation,
                        "Health visitor",
                        self.focus.partner,
                    )
                )
                due = (self.now + timedelta(days=5)).date()
                plan.actions.append(
                    FamilyAction(
                        0,
                        "Visit at home and check the baby's weight",
                        len(plan.members) - 1,
                        due,
                        None,
                    )
                )

    def _drop_followers(self, key: int) -> None:
        """An open conversation has no next one yet (nor what hung from it)."""
        gone = {key}
        for talk in self.work.talks:
            if talk.previous in gone:
                gone.add(talk.key)
        gone.discard(key)
        if not gone:
            return
        w = self.work
        w.talks = [t for t in w.talks if t.key not in gone]
        w.handoffs = [h for h in w.handoffs if h.talk not in gone]
        w.steps = [s for s in w.steps if s.talk not in gone]
        w.notes = [n for n in w.notes if n.talk not in gone]
        w.help = [h for h in w.help if h.talk not in gone]
        w.agreed = [a for a in w.agreed if a.talk not in gone]
        w.reviews = [r for r in w.reviews if r.talk not in gone]

    def budgets(self) -> None:
        for year_start in sorted({_financial_year(t.started_at) for t in self.work.talks}):
            for team, amount in BUDGET.items():
                set_at = datetime(year_start, 4, 1, 9)
                label = f"{year_start}-{(year_start + 1) % 100:02d}"
                self.work.budgets.append(Budget(team, label, amount, set_at))


def _financial_year(at: datetime) -> int:
    return at.year if at.month >= 4 else at.year - 1


def _office(at: datetime) -> datetime:
    """The same day in office hours (10am), a weekday."""
    day = at.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10))
