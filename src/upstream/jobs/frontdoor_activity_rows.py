"""Rows for a synthetic year of front-door activity: the generator's plain records written with
the ORM in bulk (a few thousand rows a year for a 20,000-person city), inside the caller's
transaction. Who did what is a demo account by role (`accounts.demo`); a service that is not
the demo provider's answers under its organisation's name.

Clocks are the front door's own (`frontdoor.workdays`: bank holidays skipped), so a synthetic
connection's answer is due, and a concern's decision, exactly when a real one's would be.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from upstream.frontdoor.models import (
    Connection,
    ConnectionEvent,
    Consent,
    ConsentEvent,
    ProvisionalPerson,
    Request,
    RequestContact,
    SafeguardingConcern,
)
from upstream.governance.models import Allocation

if TYPE_CHECKING:
    from upstream.accounts.models import User
    from upstream.accounts.roles import Role
    from upstream.synth.activity import Activity, Ask, Identity

CONSENT_LASTS = timedelta(days=365)  # as frontdoor.consent.CONSENT_LASTS
OFFICER_CHANNELS = {"phone", "face_to_face"}


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def maybe_aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment)


class Rows:
    def __init__(self, activity: Activity, users: dict[Role, User]) -> None:
        self.activity = activity
        self.users = {role.value: user for role, user in users.items()}
        self.requests: dict[int, Request] = {}

    def user(self, role: str) -> User | None:
        return self.users.get(role)

    def username(self, by: str, organisation: str = "") -> str:
        """Who a history step names: a demo account's username, 'web', or an organisation."""
        if by in self.users:
            return self.users[by].get_username()
        return organisation or by

    def write(self) -> dict[str, int]:
        provisional = self._provisional_people()
        self._requests(provisional)
        self._repeats()
        contacts = self._contacts()
        consents = self._consents()
        concerns = self._concerns()
        connections = self._connections(consents)
        asks = self.activity.requests
        return {
            "requests": len(asks),
            "contacts": contacts,
            "open": sum(a.is_open for a in asks),
            "awaiting_triage": sum(a.status == "awaiting_triage" for a in asks),
            "consents": len(consents),
            "connections": connections,
            "concerns": concerns,
            "provisional": len(provisional),
            "allocations": self._allocations(),
        }

    # Provisional people: kept by reference, so a match made since the last run survives.

    def _provisional_people(self) -> dict[str, ProvisionalPerson]:
        from upstream.synth.activity import PROVISIONAL_PREFIX

        first_asked: dict[str, datetime] = {}
        for ask in self.activity.requests:
            if ask.identity is not None:
                first_asked.setdefault(ask.identity.reference, ask.received_at)
        kept = ProvisionalPerson.objects.filter(reference__startswith=PROVISIONAL_PREFIX)
        existing = {p.reference: p for p in kept}
        new = []
        for identity in self.activity.identities:
            person = existing.get(identity.reference)
            if person is None:
                new.append(_provisional(identity, first_asked[identity.reference]))
            elif _identity(person) != _given(identity):
                _replace_identity(person, identity)
        ProvisionalPerson.objects.bulk_create(new)
        used = {i.reference for i in self.activity.identities}
        kept.exclude(reference__in=used).filter(requests__isnull=True).delete()
        return {p.reference: p for p in kept.filter(reference__in=used)}

    # Requests.

    def _requests(self, provisional: dict[str, ProvisionalPerson]) -> None:
        rows = [self._request(ask, provisional) for ask in self.activity.requests]
        Request.objects.bulk_create(rows, batch_size=500)
        self.requests = {
            ask.number: row for ask, row in zip(self.activity.requests, rows, strict=True)
        }

    def _request(self, ask: Ask, provisional: dict[str, ProvisionalPerson]) -> Request:
        from upstream.synth.activity_routes import triager

        person = provisional.get(ask.identity.reference) if ask.identity else None
        return Request(
            reference=ask.reference,
            # A provisional person matched since the last run: the request follows them.
            person_id=ask.person_id or (person.matched_person_id if person else ""),
            provisional=person,
            channel=ask.channel,
            place=ask.place,
            received_at=aware(ask.received_at),
            recorded_by=self.user(ask.recorded_by),
            citizen=self.user("citizen") if ask.citizen else None,
            asked_by=ask.asked_by,
            asker_name=self._asker_name(ask),
            asker_relationship=ask.asker_relationship,
            asker_organisation=ask.asker_organisation,
            referring_organisation_id=(
                uuid.UUID(ask.referrer_organisation_id) if ask.referrer_organisation_id else None
            ),
            proactive_reason=ask.proactive_reason,
            what_matters=ask.what_matters,
            needs=list(ask.needs),
            urgency=ask.urgency,
            preferred_contact=ask.preferred_contact,
            contact_detail=ask.contact_detail,
            language=ask.language,
            accessibility_needs=ask.accessibility_needs,
            status=ask.status,
            suggested_route=ask.suggested_route,
            suggested_team=ask.suggested_team,
            suggested_rule=ask.suggested_rule,
            suggestion_why=ask.suggestion_why,
            rules_version=ask.rules_version,
            route=ask.route,
            team=ask.team,
            override_reason=ask.override_reason,
            triaged_by=self.user(triager(ask)) if ask.triaged_at else None,
            triaged_at=maybe_aware(ask.triaged_at),
            outcome=ask.outcome,
            closed_at=maybe_aware(ask.closed_at),
        )

    def _asker_name(self, ask: Ask) -> str:
        """A demo account's own name when it asked (a proactive contact, a partner's referral)."""
        recorder = self.user(ask.recorded_by)
        if ask.asked_by == "professional" and recorder is not None and ask.channel != "phone":
            return recorder.get_full_name()
        return ask.asker_name

    def _repeats(self) -> None:
        repeats = []
        for ask in self.activity.requests:
            if ask.repeat_of is not None:
                row = self.requests[ask.number]
                row.repeat_of = self.requests[ask.repeat_of]
                repeats.append(row)
        Request.objects.bulk_update(repeats, ["repeat_of"], batch_size=500)

    def _contacts(self) -> int:
        rows = [
            RequestContact(
                request=self.requests[ask.number],
                channel=f.channel,
                place=f.place,
                at=aware(f.at),
                recorded_by=self.user("front_door_officer")
                if f.channel in OFFICER_CHANNELS
                else None,
                what_matters=f.what_matters,
                needs=list(f.needs),
            )
            for ask in self.activity.requests
            for f in ask.follow_ups
        ]
        RequestContact.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    # Consent and its history.

    def _consents(self) -> dict[int, Consent]:
        asks = [a for a in self.activity.requests if a.consent is not None]
        rows = [self._consent(ask) for ask in asks]
        Consent.objects.bulk_create(rows, batch_size=500)
        events = [
            ConsentEvent(
                consent=row,
                state=change.state,
                method=change.method,
                at=aware(change.at),
                recorded_by=self.username(change.by),
                note=change.note,
            )
            for ask, row in zip(asks, rows, strict=True)
            for change in (ask.consent.history if ask.consent else [])
        ]
        ConsentEvent.objects.bulk_create(events, batch_size=500)
        return {ask.number: row for ask, row in zip(asks, rows, strict=True)}

    def _consent(self, ask: Ask) -> Consent:
        record = ask.consent
        assert record is not None
        given = maybe_aware(record.given_at)
        request = self.requests[ask.number]
        return Consent(
            request=request,
            person_id=request.person_id,
            purpose=record.purpose,
            data_categories=list(record.categories),
            recipient_organisations=list(record.organisations),
            recipient_types=list(record.types),
            state=record.state,
            given_at=given,
            expires_at=given + CONSENT_LASTS if given else None,
            created_at=aware(record.history[0].at),
        )

    # Safeguarding.

    def _concerns(self) -> int:
        from upstream.frontdoor.consent import SAFEGUARDING_BASIS
        from upstream.frontdoor.safeguarding import due_at

        rows = []
        for ask in self.activity.requests:
            concern = ask.concern
            if concern is None:
                continue
            raised = aware(concern.raised_at)
            rows.append(
                SafeguardingConcern(
                    request=self.requests[ask.number],
                    person_id=self.requests[ask.number].person_id,
                    team=concern.team,
                    concern=concern.concern,
                    lawful_basis=SAFEGUARDING_BASIS,
                    raised_by=self.user(concern.raised_by),
                    raised_at=raised,
                    due_at=due_at(concern.team, raised),
                    decision=concern.decision,
                    decision_reason=concern.decision_reason,
                    outcomes_wanted=concern.outcomes_wanted,
                    outcomes_met=concern.outcomes_met,
                    decided_by=self.user("team_manager") if concern.decided_at else None,
                    decided_at=maybe_aware(concern.decided_at),
                )
            )
        SafeguardingConcern.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    # Connections and their answers.

    def _connections(self, consents: dict[int, Consent]) -> int:
        from upstream.directory.models import Organization
        from upstream.frontdoor.connecting import ANSWER_WITHIN_WORKING_DAYS, shared_fields
        from upstream.frontdoor.workdays import add_working_days

        names = {str(k): v for k, v in Organization.objects.values_list("id", "name")}
        pairs = []
        for ask in self.activity.requests:
            request = self.requests[ask.number]
            consent = consents.get(ask.number)
            categories = tuple(consent.data_categories) if consent else ()
            shared = shared_fields(request, categories) if ask.referrals else {}
            for referral in ask.referrals:
                sent = aware(referral.sent_at)
                answered = maybe_aware(referral.answered_at)
                provider = referral.history[-1].by == "service_provider" and answered
                row = Connection(
                    request=request,
                    service_id=uuid.UUID(referral.service_id),
                    organisation_id=uuid.UUID(referral.organisation_id),
                    consent=consent,
                    message=referral.message,
                    shared=shared,
                    sent_by=self.user(referral.sent_by),
                    sent_at=sent,
                    answer_due=add_working_days(sent, ANSWER_WITHIN_WORKING_DAYS),
                    status=referral.status,
                    decline_reason=referral.decline_reason,
                    helped=referral.helped,
                    answer_note=referral.history[-1].note if referral.status == "completed" else "",
                    answered_by=self.user("service_provider") if provider else None,
                    answered_at=answered,
                )
                pairs.append((referral, row))
        Connection.objects.bulk_create([row for _, row in pairs], batch_size=500)
        events = [
            ConnectionEvent(
                connection=row,
                status=change.state,
                at=aware(change.at),
                by=self.username(change.by, names.get(referral.organisation_id, "")),
                note=change.note,
            )
            for referral, row in pairs
            for change in referral.history
        ]
        ConnectionEvent.objects.bulk_create(events, batch_size=500)
        return len(pairs)

    # The working relationships open requests rest on (as `frontdoor.routing` makes them).

    def _allocations(self) -> int:
        from upstream.accounts.roles import FRONT_DOOR_TEAM

        officer = self.user("front_door_officer")
        taken = set(
            Allocation.objects.filter(ended_at__isnull=True).values_list("person_id", "team")
        )
        rows = []
        for ask in self.activity.requests:
            row = self.requests[ask.number]
            if not row.person_id:
                continue
            if row.status == "awaiting_triage" and (row.person_id, FRONT_DOOR_TEAM) not in taken:
                taken.add((row.person_id, FRONT_DOOR_TEAM))
                rows.append(_allocation(row, FRONT_DOOR_TEAM, officer, officer, row.received_at))
            if row.status == "waiting_list" and (row.person_id, row.team) not in taken:
                taken.add((row.person_id, row.team))
                rows.append(_allocation(row, row.team, None, row.triaged_by, row.triaged_at))
        Allocation.objects.bulk_create(rows, batch_size=500)
        return len(rows)


def _allocation(row: Request, team: str, worker: Any, by: Any, at: Any) -> Allocation:
    return Allocation(
        person_id=row.person_id,
        team=team,
        worker=worker,
        allocated_by=by,
        allocated_at=at,
        basis=Allocation.Basis.REQUEST,
    )


def _given(identity: Identity) -> tuple[object, ...]:
    return (
        identity.given_name,
        identity.family_name,
        identity.date_of_birth,
        identity.sex,
        identity.postcode,
    )


def _identity(person: ProvisionalPerson) -> tuple[object, ...]:
    return (
        person.given_name,
        person.family_name,
        person.date_of_birth,
        person.sex,
        person.postcode,
    )


def _provisional(identity: Identity, first_asked: datetime) -> ProvisionalPerson:
    return ProvisionalPerson(
        reference=identity.reference,
        given_name=identity.given_name,
        family_name=identity.family_name,
        date_of_birth=identity.date_of_birth,
        sex=identity.sex,
        address=identity.address,
        postcode=identity.postcode,
        recorded_at=aware(first_asked),
    )


def _replace_identity(person: ProvisionalPerson, identity: Identity) -> None:
    """A different city under the same reference: a different person, so no match either."""
    for name in ("given_name", "family_name", "date_of_birth", "sex", "postcode", "address"):
        setattr(person, name, getattr(identity, name))
    person.matched_person_id, person.matched_at, person.match_run = "", None, ""
    person.save()
