"""The story told once: what the front door already knows about a person when it takes a
request, within the officer's purpose, so nobody is asked again what is already known: earlier
requests and their outcomes, who is already involved (key worker, team, open requests and
connections), and flags. It rests on the one access decision (`governance.access.decide`) and
is audited with the person shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream.accounts.models import User
from upstream.casework.services import FlagsShown, person_flags
from upstream.frontdoor.models import Connection, ConnectionStatus, Request
from upstream.governance import access
from upstream.governance.access import Decision
from upstream.governance.audit import Actor, Event, record
from upstream.governance.models import Allocation
from upstream.people.models import Person

EARLIER_SHOWN = 10


@dataclass(frozen=True)
class Known:
    decision: Decision
    person: Person | None
    earlier: list[Request]
    involved: list[Allocation]
    open_connections: list[Connection]
    flags: FlagsShown | None

    @property
    def flag_ids(self) -> tuple[str, ...]:
        """The rule sets flagged on the person (what triage rules read)."""
        if self.flags is None:
            return ()
        return tuple(sorted({card.flag.ruleset_id for card in self.flags.cards}))


def what_is_known(
    actor: Actor,
    user: User,
    person_id: str,
    *,
    view: str,
    exclude: Request | None = None,
    audited: bool = True,
) -> Known:
    """What is known of the person, through the one access decision; audited here unless the
    caller audits the page once with it (`audited=False`, the request page)."""
    decision = access.decide(actor, user, action="frontdoor_story", view=view, person=person_id)
    person = Person.objects.filter(person_id=decision.person_id).first()
    earlier = Request.objects.filter(person_id=decision.person_id)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    involved = [
        a
        for a in access.now_allocations(decision.person_id)
        if a.basis != Allocation.Basis.REQUEST or a.worker_id is None
    ]
    connections = Connection.objects.filter(
        request__person_id=decision.person_id,
        status__in=[ConnectionStatus.SENT, ConnectionStatus.ACCEPTED],
    ).select_related("service", "organisation")
    flags = person_flags(actor, user, decision.person_id, view=view, decision=decision)
    if audited:
        _record(actor, decision, view)
    return Known(
        decision,
        person,
        list(earlier.order_by("-received_at")[:EARLIER_SHOWN]),
        involved,
        list(connections),
        flags,
    )


def _record(actor: Actor, decision: Decision, view: str) -> None:
    record(
        actor,
        Event(
            action="frontdoor.story",
            person=decision.person_id,
            purpose=decision.purpose.value,
            detail={"view": view, "basis": decision.basis},
        ),
    )
