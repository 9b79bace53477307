"""A synthetic year of front-door activity for the synthetic city: requests for help from every
channel, their triage, consent, safeguarding concerns, connections to services and the answers.

Pure and seeded: the same residents, directory, rules, seed and moment give the same year. It
returns plain dataclasses; `upstream.jobs.frontdoor_activity` writes them to the operational
database. Nothing here knows Django or the directory's taxonomy: the job passes in the
published people, the taxonomy's needs, the directory's services and a triage function (the
front door's own rules, `upstream.triage.suggest`), so the suggestions are the real ones.

Each request is drawn whole, in the order requests arrive, with its planned timeline (triaged,
connected, answered, off the waiting list), then a few are moved so every demo role has open
work (`activity_focus`), then everything is read at `now` (`activity_focus.settle`): what
has not happened yet is not there. The mixes and their sources are in `activity_mixes`.
Times are naive local times (the service's time zone); the job makes them aware.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol, TypeVar

import numpy as np

from upstream.synth import activity_mixes as mix
from upstream.synth.noise import typo

YEAR = timedelta(days=365)
REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as the front door's: no 0/O, 1/I
REQUEST_PREFIX = "R-SYN-"  # every synthetic request's reference starts so: the job replaces them
PROVISIONAL_PREFIX = "PP-SYN-"
OPENS, CLOSES = 9, 17  # a council office's working day
T = TypeVar("T")


# --- What the job passes in -------------------------------------------------------------


@dataclass(frozen=True)
class Resident:
    """A published person the front door can find (`people.Person`), with their flags."""

    person_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    postcode: str
    ward: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedTerm:
    """A need a request may name: a directory taxonomy item, its area and age range."""

    slug: str
    area: str
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class Offer:
    """A directory service the front door can connect people to."""

    service_id: str
    organisation_id: str
    needs: tuple[str, ...]
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class Referrer:
    """An organisation in the directory that refers people (NHS, voluntary, housing)."""

    name: str
    organisation_id: str


@dataclass(frozen=True)
class Focus:
    """Whose open work the demo shows: the team manager's team, the partner professional's
    organisation and the service provider's organisation."""

    team: str
    partner_organisation_id: str
    partner_organisation_name: str
    provider_organisation_id: str


class Suggested(Protocol):
    """What `upstream.triage.suggest` answers (its `Suggestion`)."""

    route: str
    team: str
    rule_id: str
    why: str
    rules_version: str


@dataclass(frozen=True)
class Routing:
    """The front door's triage: `suggest` is called with a request's facts as keywords (the
    fields of `upstream.triage.Facts`); `teams` maps each route to its teams, `ward_teams` a
    ward to its locality's targeted team (for an officer who routes differently)."""

    suggest: Callable[..., Suggested]
    teams: Mapping[str, tuple[str, ...]]
    ward_teams: Mapping[str, str] = field(default_factory=dict)

    def targeted_team(self, ward: str) -> str:
        return self.ward_teams.get(ward) or (self.teams.get("targeted") or ("",))[0]


# --- What it gives back -------------------------------------------------------------------


@dataclass
class Identity:
    """Someone not found in Find a person: the identity as given (a provisional person).
    `known_as` is the published person it really is ('' for someone never recorded): the
    truth, for measuring the next linkage run's matches; never written to the database."""

    reference: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    postcode: str
    address: str = ""
    known_as: str = ""


@dataclass
class Change:
    """One step of a history (consent or connection): the state, when, by whom (a demo role,
    'web' for a citizen, or an organisation's name) and how."""

    state: str
    at: datetime
    by: str
    method: str = ""
    note: str = ""


@dataclass
class ConsentRecord:
    purpose: str
    categories: tuple[str, ...]
    organisations: tuple[str, ...]
    types: tuple[str, ...]
    history: list[Change]

    @property
    def state(self) -> str:
        return self.history[-1].state

    @property
    def given_at(self) -> datetime | None:
        return next((c.at for c in self.history if c.state == "given"), None)


@dataclass
class Referral:
    """A connection to a service and the service's answers (sent, chased, accepted…)."""

    service_id: str
    organisation_id: str
    sent_by: str
    message: str
    history: list[Change]
    decline_reason: str = ""
    helped: bool | None = None

    @property
    def sent_at(self) -> datetime:
        return self.history[0].at

    @property
    def status(self) -> str:
        answers = [c.state for c in self.history if c.state != "chased"]
        return answers[-1]

    @property
    def answered_at(self) -> datetime | None:
        answers = [c.at for c in self.history if c.state not in {"sent", "chased"}]
        return answers[-1] if answers else None


@dataclass
class Concern:
    team: str  # "adults" or "children"
    concern: str
    raised_at: datetime
    raised_by: str
    decision: str = ""
    decision_reason: str = ""
    outcomes_wanted: str = ""
    outcomes_met: str = ""
    decided_at: datetime | None = None


@dataclass
class FollowUp:
    """A later ask joined to the open request (not a new one)."""

    channel: str
    place: str
    at: datetime
    what_matters: str
    needs: tuple[str, ...]


@dataclass
class Ask:
    """A request for help as it stands at `now`, with the plan it was drawn with."""

    number: int
    reference: str
    person_id: str
    identity: Identity | None
    age: int | None
    ward: str
    flags: tuple[str, ...]
    channel: str
    place: str
    received_at: datetime
    recorded_by: str  # a demo role, or '' (a citizen on the web, a partner's system)
    asked_by: str
    what_matters: str
    needs: tuple[str, ...]
    urgency: str
    preferred_contact: str
    contact_detail: str
    asker_name: str = ""
    asker_relationship: str = ""
    asker_organisation: str = ""
    referrer_organisation_id: str = ""
    proactive_reason: str = ""
    citizen: bool = False  # followed by the demo citizen's account
    language: str = "English"
    accessibility_needs: str = ""
    repeat_of: int | None = None
    status: str = "awaiting_triage"
    suggested_route: str = ""
    suggested_team: str = ""
    suggested_rule: str = ""
    suggestion_why: str = ""
    rules_version: str = ""
    route: str = ""
    team: str = ""
    override_reason: str = ""
    triaged_at: datetime | None = None
    outcome: str = ""
    closed_at: datetime | None = None
    consent: ConsentRecord | None = None
    concern: Concern | None = None
    referrals: list[Referral] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    # The plan: when the route's own work ends (off the waiting list, the handover decided),
    # and what the request closes with then.
    leaves_at: datetime | None = None
    closes_with: str = ""

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass
class Activity:
    requests: list[Ask]
    identities: list[Identity]
    now: datetime
    seed: int

    def contacts(self) -> int:
        """Every contact: requests and the later asks joined to them."""
        return len(self.requests) + sum(len(a.follow_ups) for a in self.requests)


# --- The year -----------------------------------------------------------------------------


def expected_contacts(people: int) -> int:
    """Contacts in a year for a city of this size (issue 12's proportion)."""
    return round(people * mix.CONTACTS_PER_PERSON_MONTH * 12)


def generate_activity(
    residents: Sequence[Resident],
    needs: Sequence[NeedTerm],
    offers: Sequence[Offer],
    referrers: Sequence[Referrer],
    focus: Focus,
    routing: Routing,
    *,
    now: datetime,
    seed: int,
    people: int | None = None,
) -> Activity:
    """A year of front-door activity up to `now` for a city of `people` (default: the
    residents given; a city's unrecorded people ask too, so the job passes the city's size)."""
    from upstream.synth.activity_focus import give_each_role_open_work, settle

    terms = _check_needs(needs)
    contacts = expected_contacts(people or len(residents))
    joined = round(contacts * mix.JOINED_SHARE)
    drawing = _Drawing(
        rng=np.random.default_rng([seed, 12]),
        residents=residents,
        terms=terms,
        offers=offers,
        referrers=referrers,
        focus=focus,
        routing=routing,
        now=now,
    )
    drawing.identities = _identities(
        np.random.default_rng([seed, 13]), residents, round(contacts * mix.PROVISIONAL_SHARE)
    )
    asks = [
        drawing.ask(i + 1, at, channel)
        for i, (at, channel) in enumerate(drawing.arrivals(contacts - joined))
    ]
    give_each_role_open_work(asks, drawing)
    for ask in asks:
        settle(ask, now)
    drawing.follow_ups(asks, joined)
    used = {a.identity.reference for a in asks if a.identity}
    identities = [i for i in drawing.identities if i.reference in used]
    return Activity(asks, identities, now, seed)


def _check_needs(needs: Sequence[NeedTerm]) -> dict[str, NeedTerm]:
    terms = {n.slug: n for n in needs}
    unknown = sorted(set(mix.NEEDS) - set(terms))
    if unknown:
        raise ValueError(f"needs not in the taxonomy given: {', '.join(unknown)}")
    return terms


def reference(prefix: str, number: int, width: int = 6) -> str:
    """A readable reference from a number, in the front door's letters (no 0/O or 1/I)."""
    base = len(REFERENCE_LETTERS)
    letters = []
    for _ in range(width):
        number, digit = divmod(number, base)
        letters.append(REFERENCE_LETTERS[digit])
    return prefix + "".join(reversed(letters))


def age_on(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def choose(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def pick(rng: np.random.Generator, items: Sequence[T]) -> T:
    return items[int(rng.integers(len(items)))]


def lognormal(rng: np.random.Generator, median_and_spread: tuple[float, float]) -> float:
    median, spread = median_and_spread
    return float(median * np.exp(spread * rng.standard_normal()))


def is_working_day(day: date) -> bool:
    """Monday to Friday (the job's due dates also skip bank holidays)."""
    return day.weekday() < 5


def add_working_hours(at: datetime, hours: float) -> datetime:
    """`hours` of office time (9am to 5pm, Monday to Friday) after `at`."""
    left = timedelta(hours=hours)
    while True:
        at = _into_office_hours(at)
        closing = datetime.combine(at.date(), time(CLOSES))
        if at + left <= closing:
            return at + left
        left -= closing - at
        at = datetime.combine(at.date() + timedelta(days=1), time(OPENS))


def _into_office_hours(at: datetime) -> datetime:
    if at.hour >= CLOSES:
        at = datetime.combine(at.date() + timedelta(days=1), time(OPENS))
    while not is_working_day(at.date()):
        at = datetime.combine(at.date() + timedelta(days=1), time(OPENS))
    return max(at, datetime.combine(at.date(), time(OPENS)))


def working_days_between(start: datetime, end: datetime) -> int:
    days, count = start.date(), 0
    while days < end.date():
        days += timedelta(days=1)
        count += is_working_day(days)
    return count


def _identities(
    rng: np.random.Generator, residents: Sequence[Resident], count: int
) -> list[Identity]:
    """Identities given by people not found: some a known person under another spelling or a
    new address (the next linkage run matches them), the rest never recorded anywhere."""
    identities = []
    for n in range(1, count + 1):
        model = pick(rng, residents)
        if rng.random() < mix.PROVISIONAL_KNOWN_SHARE:
            family = typo(model.family_name, float(rng.random()), float(rng.random()))
            identities.append(
                Identity(
                    reference(PROVISIONAL_PREFIX, n),
                    model.given_name,
                    family,
                    model.date_of_birth,
                    model.sex,
                    model.postcode,
                    known_as=model.person_id,
                )
            )
            continue
        other = pick(rng, residents)
        born = (model.date_of_birth or date(1980, 1, 1)) + timedelta(
            days=int(rng.integers(-900, 900))
        )
        identities.append(
            Identity(
                reference(PROVISIONAL_PREFIX, n),
                other.given_name,
                model.family_name,
                born,
                other.sex,
                pick(rng, residents).postcode,
            )
        )
    return identities


@dataclass
class _Drawing:
    """One year's draw: the generator, what it draws from, and who has asked so far."""

    rng: np.random.Generator
    residents: Sequence[Resident]
    terms: Mapping[str, NeedTerm]
    offers: Sequence[Offer]
    referrers: Sequence[Referrer]
    focus: Focus
    routing: Routing
    now: datetime
    identities: list[Identity] = field(default_factory=list)
    asked: list[Ask] = field(default_factory=list)
    _order: list[int] = field(default_factory=list)
    _latest: dict[str, Ask] = field(default_factory=dict)
    _by_id: dict[str, Resident] = field(default_factory=dict)
    _identities_given: int = 0  # identities given so far (each is one person's, once)

    # Arrivals: when, and by which channel.

    def arrivals(self, count: int) -> list[tuple[datetime, str]]:
        channels = [choose(self.rng, mix.CHANNELS) for _ in range(count)]
        arrivals = [(self._moment(channel), channel) for channel in channels]
        return sorted(arrivals)

    def _moment(self, channel: str) -> datetime:
        """A moment in the year before `now`: office hours on working days, except the web,
        which is any day from 7am to 11pm."""
        while True:
            day = self.now.date() - timedelta(days=int(self.rng.integers(365)))
            if channel == "web":
                minutes = int(self.rng.integers(7 * 60, 23 * 60))
            elif is_working_day(day):
                minutes = int(self.rng.integers(OPENS * 60, CLOSES * 60))
            else:
                continue
            at = datetime.combine(day, time()) + timedelta(minutes=minutes)
            if at < self.now:
                return at

    # Who asks.

    def ask(self, number: int, at: datetime, channel: str) -> Ask:
        resident, identity, earlier = self._who(at)
        born = identity.date_of_birth if identity else resident.date_of_birth if resident else None
        age = age_on(born, at.date())
        ask = Ask(
            number=number,
            reference=reference(REQUEST_PREFIX, number),
            person_id=resident.person_id if resident else "",
            identity=identity,
            age=age,
            ward=resident.ward if resident else "",
            flags=resident.flags if resident else (),
            channel=channel,
            place=self._place(channel),
            received_at=at,
            recorded_by=_recorder(channel),
            asked_by=self._asked_by(channel, age),
            needs=self._needs(age, earlier),
            what_matters="",
            urgency=choose(self.rng, mix.URGENCY),
            preferred_contact="",
            contact_detail="",
            repeat_of=earlier.number if earlier else None,
        )
        ask.what_matters = self._what_matters(ask.needs)
        self._contact(ask, resident, identity)
        self._asker(ask, resident, identity)
        self._access(ask)
        self._plan(ask)
        self.asked.append(ask)
        if ask.person_id:
            self._latest[ask.person_id] = ask
        return ask

    def _who(self, at: datetime) -> tuple[Resident | None, Identity | None, Ask | None]:
        roll = self.rng.random()
        if roll < mix.PROVISIONAL_SHARE and self._identities_given < len(self.identities):
            self._identities_given += 1
            return None, self.identities[self._identities_given - 1], None
        if roll < mix.PROVISIONAL_SHARE + mix.REPEAT_SHARE:
            earlier = self._earlier(at)
            if earlier is not None:
                return self._resident(earlier.person_id), None, earlier
        return self._first_timer(), None, None

    def _earlier(self, at: datetime) -> Ask | None:
        """Someone who asked within the last 12 months and whose request has closed (an open
        one would be joined, not repeated)."""
        for _ in range(8):
            if not self.asked:
                return None
            candidate = self._latest.get(pick(self.rng, self.asked).person_id)
            if (
                candidate is not None
                and candidate.closed_at is not None
                and candidate.closed_at < at
                and at - candidate.received_at < YEAR
            ):
                return candidate
        return None

    def _resident(self, person_id: str) -> Resident:
        if not self._by_id:
            self._by_id = {r.person_id: r for r in self.residents}
        return self._by_id[person_id]

    def _first_timer(self) -> Resident:
        """Someone who has not asked this year, drawn by age and flags (without repeats)."""
        if not self._order:
            self._order = self._draw_order()
        return self.residents[self._order.pop()]

    def _draw_order(self) -> list[int]:
        weights = np.array([self._weight(r) for r in self.residents])
        size = min(len(self.residents), max(1, len(self.residents) // 4))
        chosen = self.rng.choice(
            len(self.residents), size=size, replace=False, p=weights / weights.sum()
        )
        return [int(i) for i in chosen[::-1]]

    def _weight(self, resident: Resident) -> float:
        age = age_on(resident.date_of_birth, self.now.date())
        weight = 1.0
        for start, band_weight in mix.AGE_WEIGHTS:
            if age is not None and age >= start:
                weight = band_weight
        return weight * (mix.FLAGGED_WEIGHT if resident.flags else 1.0)

    # What they ask.

    def _place(self, channel: str) -> str:
        if channel == "phone":
            return "contact_centre"
        if channel == "web":
            return "online"
        if channel == "partner":
            return "partner_office"
        if channel == "face_to_face":
            return choose(self.rng, mix.FACE_TO_FACE_PLACES)
        return choose(self.rng, mix.PROACTIVE_PLACES)

    def _asked_by(self, channel: str, age: int | None) -> str:
        asked_by = choose(self.rng, mix.ASKED_BY[channel])
        if asked_by == "person" and age is not None and age < 16:
            return "family_or_friend"  # a parent or carer asks for a child
        return asked_by

    def _needs(self, age: int | None, earlier: Ask | None) -> tuple[str, ...]:
        fits = {slug: weight for slug, weight in mix.NEEDS.items() if _fits(self.terms[slug], age)}
        count = min(
            int(choose(self.rng, {str(k): v for k, v in mix.NEED_COUNTS.items()})), len(fits)
        )
        chosen: list[str] = []
        if earlier is not None and self.rng.random() < 0.5 and earlier.needs[0] in fits:
            chosen.append(earlier.needs[0])  # the same need came back
        while len(chosen) < count:
            slug = choose(self.rng, {k: v for k, v in fits.items() if k not in chosen})
            chosen.append(slug)
        return tuple(chosen)

    def _what_matters(self, needs: tuple[str, ...]) -> str:
        said = [self._words(slug) for slug in needs[:2]]
        return ". Also: ".join([said[0], *(s[0].lower() + s[1:] for s in said[1:])])

    def _words(self, slug: str) -> str:
        own = mix.WHAT_MATTERS.get(slug)
        if own:
            return pick(self.rng, own)
        return mix.AREA_WHAT_MATTERS[self.terms[slug].area]

    def _contact(self, ask: Ask, resident: Resident | None, identity: Identity | None) -> None:
        methods = mix.WEB_PREFERRED_CONTACT if ask.channel == "web" else mix.PREFERRED_CONTACT
        ask.preferred_contact = choose(self.rng, methods)
        who = resident or identity
        assert who is not None
        # Ofcom's drama ranges: 07700 900000-900999 mobiles nobody has; example.com mail.
        if ask.preferred_contact in {"phone", "text"}:
            ask.contact_detail = f"07700 900{int(self.rng.integers(1000)):03d}"
        elif ask.preferred_contact == "email":
            ask.contact_detail = f"{who.given_name}.{who.family_name}@example.com".lower()
        elif ask.preferred_contact == "letter":
            ask.contact_detail = f"The address given, {who.postcode}".strip(", ")

    def _asker(self, ask: Ask, resident: Resident | None, identity: Identity | None) -> None:
        who = resident or identity
        assert who is not None
        if ask.asked_by == "family_or_friend":
            relationship = (
                pick(self.rng, ("Mother", "Father", "Grandmother", "Carer"))
                if ask.age is not None and ask.age < 16
                else pick(self.rng, mix.RELATIONSHIPS)
            )
            ask.asker_relationship = relationship
            ask.asker_name = f"{pick(self.rng, self.residents).given_name} {who.family_name}"
        elif ask.channel == "proactive":
            ask.asker_organisation = "Upstream City Council"
            ask.proactive_reason = next(
                (mix.PROACTIVE_REASONS[f] for f in ask.flags if f in mix.PROACTIVE_REASONS),
                mix.DEFAULT_PROACTIVE_REASON,
            )
        elif ask.asked_by == "professional":
            self._referrer(ask)

    def _referrer(self, ask: Ask) -> None:
        if (
            ask.channel == "partner"
            and self.referrers
            and self.rng.random() < mix.DIRECTORY_REFERRERS_SHARE
        ):
            referrer = pick(self.rng, self.referrers)
            ask.asker_organisation = referrer.name
            ask.referrer_organisation_id = referrer.organisation_id
        else:
            ask.asker_organisation = choose(self.rng, mix.OUTSIDE_REFERRERS)
        if ask.referrer_organisation_id == self.focus.partner_organisation_id:
            ask.recorded_by = "partner_professional"
        title = pick(self.rng, mix.PROFESSIONAL_TITLES)
        ask.asker_name = f"{title} {pick(self.rng, self.residents).family_name}"

    def _access(self, ask: Ask) -> None:
        if self.rng.random() < mix.OTHER_LANGUAGE_SHARE:
            ask.language = pick(self.rng, mix.LANGUAGES)
        if self.rng.random() < mix.ACCESSIBILITY_SHARE:
            ask.accessibility_needs = pick(self.rng, mix.ACCESSIBILITY)

    # What happens next: triage and the route's own work.

    def _plan(self, ask: Ask) -> None:
        from upstream.synth.activity_routes import plan_request

        plan_request(self, ask)

    def follow_ups(self, asks: list[Ask], count: int) -> None:
        """Later asks about a request still open then: the longer it was open, the likelier."""
        open_days = np.array([max(0.0, _open_days(a, self.now)) for a in asks])
        if count == 0 or open_days.sum() == 0:
            return
        for i in self.rng.choice(len(asks), size=count, p=open_days / open_days.sum()):
            ask = asks[int(i)]
            until = ask.closed_at or self.now
            at = ask.received_at + (until - ask.received_at) * float(self.rng.uniform(0.1, 0.95))
            channel = choose(self.rng, {"phone": 0.7, "web": 0.2, "face_to_face": 0.1})
            ask.follow_ups.append(
                FollowUp(
                    channel,
                    self._place(channel),
                    at,
                    pick(self.rng, mix.FOLLOW_UP_WORDS),
                    ask.needs[:1],
                )
            )
        for ask in asks:
            ask.follow_ups.sort(key=lambda f: f.at)


def _fits(term: NeedTerm, age: int | None) -> bool:
    if age is None:
        return True
    return (term.min_age is None or age >= term.min_age) and (
        term.max_age is None or age <= term.max_age
    )


def _recorder(channel: str) -> str:
    """Who records a request: the demo front-door officer takes calls and visits, the demo
    practitioner records their own proactive contacts; web and partner systems record
    themselves (the demo partner professional's referrals are theirs)."""
    if channel in {"phone", "face_to_face"}:
        return "front_door_officer"
    if channel == "proactive":
        return "practitioner"
    return ""


def _open_days(ask: Ask, now: datetime) -> float:
    until = ask.closed_at or now
    return (until - ask.received_at).total_seconds() / 86_400 - 1
