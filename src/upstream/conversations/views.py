"""Conversations' pages: the team's waiting list (size, age, a contact while waiting, pick up,
allocate), my conversations and the team's, a conversation's page (1, 2 or 3, with what fits
each), the person's printable copy, and the team's budget for practical help.

Thin: each view reads the form, calls the services (which check, audit and refuse), and answers
with a page or its twins. A form with problems shows the same page again with a GOV.UK error
summary (status 400); nothing is saved half-way.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import access, crisis, services, waiting
from upstream.conversations.models import Conversation, Kind, Risk
from upstream.edge.twins import Table, respond
from upstream.errors import Denied, InvalidFields
from upstream.frontdoor import access as request_access
from upstream.frontdoor import lists
from upstream.frontdoor.intake import known_needs
from upstream.frontdoor.models import Request
from upstream.frontdoor.story import Known, what_is_known
from upstream.frontdoor.workdays import working_days_between
from upstream.governance.audit import Actor, Event, record


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _needs_text(needs: list[str]) -> str:
    names = known_needs()
    return "; ".join(names.get(n, n) for n in needs)


def _list_response(
    request: HttpRequest,
    template: str,
    queryset: Any,
    columns: tuple[lists.Column, ...],
    row: Any,
    *,
    default: str,
    name: str,
    extra: dict[str, Any],
) -> HttpResponse:
    params = request.GET
    return respond(
        request,
        template,
        lambda: {
            "listing": lists.list_page(queryset, columns, params, row, default=default),
            **extra,
        },
        table=lambda: Table(
            name,
            lists.all_rows(queryset, columns, params, row, default=default),
            [c.key for c in columns],
        ),
    )


# The team's waiting list.

WAITING_COLUMNS = (
    lists.Column("reference", "Request", "reference"),
    lists.Column("waiting_since", "On the list since", "triaged_at"),
    lists.Column("waiting", "Waiting (working days)", ""),
    lists.Column("urgency", "Urgency", "urgency"),
    lists.Column("needs", "Needs", ""),
    lists.Column("contacted", "Last contact while waiting", ""),
)


def _waiting_row(item: Request) -> dict[str, Any]:
    since = waiting.waiting_since(item)
    last = item.waiting_contacts.order_by("-at").first()
    return {
        "reference": item.reference,
        "link": reverse("conversations:waiting-request", args=[item.reference]),
        "waiting_since": timezone.localtime(since).strftime("%-d %b %Y"),
        "waiting": working_days_between(since, timezone.now()),
        "urgency": item.get_urgency_display(),
        "needs": _needs_text(item.needs),
        "contacted": timezone.localtime(last.at).strftime("%-d %b %Y") if last else "Not yet",
    }


@login_required
def waiting_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    team = access.require_team(actor, user, "conversations.waiting", "waiting list")
    size = waiting.size(team)
    record(
        actor,
        Event(action="conversations.waiting", detail={"team": team, "count": size.count}),
    )
    return _list_response(
        request,
        "conversations/waiting.html",
        waiting.on_list(team),
        WAITING_COLUMNS,
        _waiting_row,
        default="waiting_since",
        name="waiting-list",
        extra={"team": team, "size": size},
    )


def _waiting_request(actor: Actor, user: User, reference: str, action: str) -> Request:
    item = get_object_or_404(Request, reference=reference[:20])
    team = access.require_team(actor, user, action, "waiting list")
    if item.team != team or not waiting.on_list(team).filter(pk=item.pk).exists():
        raise Denied(waiting.NOT_ON_YOUR_LIST, "")
    return item


@login_required
def waiting_request_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _waiting_request(actor, user, reference, "conversations.waiting.view")
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {"method": request.POST.get("method", ""), "note": request.POST.get("note", "")}
        try:
            waiting.contact_while_waiting(
                actor, user, item, method=form["method"], note=form["note"]
            )
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, "Contact recorded.")
            return redirect("conversations:waiting-request", reference=item.reference)
    request_access.record_read(actor, user, item, action="conversations.waiting.view")
    return _waiting_request_render(request, user, item, errors=errors, form=form)


def _waiting_request_render(
    request: HttpRequest, user: User, item: Request, *, errors: dict[str, str], form: dict[str, str]
) -> HttpResponse:
    since = waiting.waiting_since(item)
    return render(
        request,
        "conversations/waiting_request.html",
        {
            "item": item,
            "needs": _needs_text(item.needs),
            "since": since,
            "waited": working_days_between(since, timezone.now()),
            "contacts": item.waiting_contacts.select_related("by").order_by("-at"),
            "methods": waiting.CONTACT_METHODS,
            "workers": waiting.team_workers(item.team)
            if user.role_enum == Role.TEAM_MANAGER
            else [],
            "errors": errors,
            "form": form,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def pick_up_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _waiting_request(actor, user, reference, "conversations.pick_up")
    try:
        conversation = waiting.pick_up(actor, user, item)
    except InvalidFields as problems:
        return _waiting_request_render(request, user, item, errors=problems.fields, form={})
    messages.success(request, "You are their key worker now. Conversation 1 has started.")
    return redirect("conversations:conversation", conversation_id=conversation.pk)


@login_required
@require_POST
def allocate_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    item = _waiting_request(actor, user, reference, "conversations.allocate")
    try:
        conversation = waiting.allocate(actor, user, item, request.POST.get("worker", ""))
    except InvalidFields as problems:
        return _waiting_request_render(request, user, item, errors=problems.fields, form={})
    name = conversation.owner.get_full_name() or conversation.owner.username
    messages.success(request, f"Allocated to {name}. Conversation 1 has started.")
    return redirect("conversations:waiting")


# My conversations, and the team's.

CONVERSATION_COLUMNS = (
    lists.Column("conversation", "Conversation", "pk"),
    lists.Column("kind", "Kind", "kind"),
    lists.Column("person", "Person", "person_id"),
    lists.Column("owner", "Worker", "owner__username"),
    lists.Column("started", "Started", "started_at"),
    lists.Column("days", "Open (working days)", ""),
    lists.Column("risk", "Risk", "risk"),
)
KIND_SHORT = {Kind.LISTEN_AND_CONNECT: "1", Kind.CRISIS: "2", Kind.GOOD_LIFE: "3"}


def _conversation_row(item: Conversation) -> dict[str, Any]:
    return {
        "conversation": f"C{item.pk}",
        "link": reverse("conversations:conversation", args=[item.pk]),
        "kind": item.get_kind_display(),
        "person": item.person_id,
        "owner": item.owner.get_full_name() or item.owner.username,
        "started": timezone.localtime(item.started_at).strftime("%-d %b %Y"),
        "days": working_days_between(item.started_at, timezone.now()),
        "risk": item.get_risk_display(),
    }


def _by_kind(request: HttpRequest, found: Any) -> tuple[Any, str]:
    kind = request.GET.get("kind", "")
    if kind in {"1", "2", "3"}:
        return found.filter(kind=int(kind)), kind
    return found, ""


@login_required
def mine_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(actor, user, access.WORKERS, "conversations.mine", "holding conversations")
    found, kind = _by_kind(request, Conversation.objects.filter(owner=user, ended_at__isnull=True))
    record(actor, Event(action="conversations.mine", detail={"count": found.count()}))
    return _list_response(
        request,
        "conversations/list.html",
        found.select_related("owner"),
        CONVERSATION_COLUMNS,
        _conversation_row,
        default="started",
        name="my-conversations",
        extra={"title": "My conversations", "kind": kind, "counts": _counts(found)},
    )


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor,
        user,
        frozenset({Role.TEAM_MANAGER}),
        "conversations.team",
        "the team's conversations",
    )
    team = access.require_team(actor, user, "conversations.team", "team")
    found, kind = _by_kind(request, Conversation.objects.filter(team=team, ended_at__isnull=True))
    record(actor, Event(action="conversations.team", detail={"team": team, "count": found.count()}))
    return _list_response(
        request,
        "conversations/list.html",
        found.select_related("owner"),
        CONVERSATION_COLUMNS,
        _conversation_row,
        default="started",
        name="team-conversations",
        extra={
            "title": f"Team conversations: {team}",
            "kind": kind,
            "counts": _counts(found),
            "team_links": True,
        },
    )


def _counts(found: Any) -> dict[str, int]:
    return {"total": found.count()}


# A conversation.


def _conversation_or_404(conversation_id: int) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("owner", "request", "previous"), pk=conversation_id
    )


@login_required
def conversation_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    conversation = _conversation_or_404(conversation_id)
    access.check(actor, user, conversation, action="conversations.view")
    return _render_conversation(request, actor, user, conversation, errors={}, form={})


def _story(actor: Actor, user: User, conversation: Conversation) -> tuple[Known | None, str]:
    """What is known of the person, through the one access decision; withheld (and said why)
    when this viewer has no basis for their records (the owner after the work ended)."""
    try:
        return (
            what_is_known(
                actor,
                user,
                conversation.person_id,
                view="conversation",
                exclude=conversation.request,
                audited=False,
            ),
            "",
        )
    except Denied as refused:
        return None, refused.message


def _render_conversation(
    request: HttpRequest,
    actor: Actor,
    user: User,
    conversation: Conversation,
    *,
    errors: dict[str, str],
    form: dict[str, str],
) -> HttpResponse:
    known, withheld = _story(actor, user, conversation)
    basis = access.see(
        actor,
        user,
        conversation,
        action="conversations.view",
        story=known.decision.basis if known else "withheld",
    )
    return render(
        request,
        "conversations/conversation.html",
        _conversation_context(user, conversation, known, withheld, basis, errors, form),
        status=400 if errors else 200,
    )


def _conversation_context(
    user: User,
    conversation: Conversation,
    known: Known | None,
    withheld: str,
    basis: str,
    errors: dict[str, str],
    form: dict[str, str],
) -> dict[str, Any]:
    item = conversation.request
    year = crisis.financial_year(timezone.localdate())
    return {
        "conversation": conversation,
        "item": item,
        "known": known,
        "withheld": withheld,
        "basis": basis,
        "may_write": access.may_write(user, conversation) and conversation.is_open,
        "may_hand_off": access.may_hand_off(user, conversation) and conversation.is_open,
        "chain": _chain(conversation),
        "connections": item.connections.select_related("service", "organisation") if item else [],
        "endings": services.ENDINGS[conversation.kind],
        "steps": conversation.plan_steps.order_by("by_when", "pk"),
        "contacts": conversation.contacts.select_related("by")[:50],
        "help_given": conversation.help_given.order_by("-at"),
        "budget": crisis.budget_for(conversation.team, year),
        "agreed": conversation.agreed_outcomes.order_by("agreed_at"),
        "handoffs": conversation.handoffs.select_related("from_owner", "to_owner").order_by("at"),
        "workers": waiting.team_workers(conversation.team).exclude(pk=conversation.owner_id),
        "methods": waiting.CONTACT_METHODS,
        "risks": Risk.choices,
        "today": timezone.localdate().isoformat(),
        "errors": errors,
        "form": form,
    }


def _chain(conversation: Conversation) -> list[Conversation]:
    """The conversations before this one and after it, oldest first (1 → 2 → 3)."""
    earlier: list[Conversation] = []
    at = conversation.previous
    while at is not None:
        earlier.insert(0, at)
        at = at.previous
    later: list[Conversation] = []
    following = conversation.next_conversations.first()
    while following is not None:
        later.append(following)
        following = following.next_conversations.first()
    return [*earlier, conversation, *later]


def _write(request: HttpRequest, conversation_id: int, change: Any, done: str) -> HttpResponse:
    """Run one change to a conversation from its page's form: back to the page when done, or
    the page again with every problem."""
    user, actor = _user(request), _actor(request)
    conversation = _conversation_or_404(conversation_id)
    access.check(actor, user, conversation, action="conversations.change")
    form = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        result = change(actor, user, conversation, request.POST)
    except InvalidFields as problems:
        conversation.refresh_from_db()
        return _render_conversation(
            request, actor, user, conversation, errors=problems.fields, form=form
        )
    messages.success(request, done)
    if isinstance(result, Conversation):
        return redirect("conversations:conversation", conversation_id=result.pk)
    return redirect("conversations:conversation", conversation_id=conversation.pk)


@login_required
@require_POST
def listening_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        heard = services.Listening(**{f: post.get(f, "") for f in services.LISTENING_FIELDS})
        services.record_listening(actor, user, conversation, heard)
        if post.get("risk"):
            services.set_risk(actor, user, conversation, post.get("risk", ""))

    return _write(request, conversation_id, change, "Saved.")


@login_required
@require_POST
def end_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        return services.end(
            actor,
            user,
            conversation,
            outcome=post.get("outcome", ""),
            note=post.get("outcome_note", ""),
        )

    return _write(request, conversation_id, change, "The conversation has ended.")


@login_required
@require_POST
def hand_off_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        services.hand_off(
            actor,
            user,
            conversation,
            to_username=post.get("to", ""),
            reason=post.get("reason", ""),
        )

    return _write(request, conversation_id, change, "Handed off: the new worker holds it now.")


@login_required
@require_POST
def step_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        crisis.add_step(
            actor,
            user,
            conversation,
            what=post.get("what", ""),
            who=post.get("who", ""),
            by_when=post.get("by_when", ""),
        )

    return _write(request, conversation_id, change, "Step added to the plan.")


@login_required
@require_POST
def step_done_page(request: HttpRequest, conversation_id: int, step_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        crisis.step_done(actor, user, conversation, step_id)

    return _write(request, conversation_id, change, "Step done.")


@login_required
@require_POST
def contact_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        crisis.add_contact(
            actor,
            user,
            conversation,
            method=post.get("contact_method", ""),
            note=post.get("contact_note", ""),
        )

    return _write(request, conversation_id, change, "Contact noted.")


@login_required
@require_POST
def help_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        crisis.give_help(
            actor,
            user,
            conversation,
            amount=post.get("amount", ""),
            purpose=post.get("purpose", ""),
        )

    return _write(request, conversation_id, change, "Practical help recorded.")


@login_required
@require_POST
def outcome_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def change(actor: Actor, user: User, conversation: Conversation, post: Any) -> Any:
        services.agree_outcome(actor, user, conversation, post.get("agreed_outcome", ""))

    return _write(request, conversation_id, change, "Outcome recorded.")


@login_required
def copy_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """A copy the person can keep: plain words, no menus, made to print."""
    user, actor = _user(request), _actor(request)
    conversation = _conversation_or_404(conversation_id)
    access.see(actor, user, conversation, action="conversations.copy")
    chain = _chain(conversation)
    item = conversation.request
    return render(
        request,
        "conversations/copy.html",
        {
            "conversation": conversation,
            "chain": chain,
            "agreed": [o for c in chain for o in c.agreed_outcomes.order_by("agreed_at")],
            "steps": [s for c in chain for s in c.plan_steps.order_by("by_when")],
            "connections": item.connections.select_related("service", "organisation")
            if item
            else [],
            "worker": conversation.owner.get_full_name() or conversation.owner.username,
            "printed": timezone.localdate(),
        },
    )


# The team's budget for practical help.


@login_required
def budget_page(request: HttpRequest) -> HttpResponse:
    user, actor = _user(request), _actor(request)
    access.require_role(
        actor, user, frozenset({Role.TEAM_MANAGER}), "conversations.budget", "setting budgets"
    )
    team = access.require_team(actor, user, "conversations.budget", "team budget")
    year = crisis.financial_year(timezone.localdate())
    errors: dict[str, str] = {}
    form = {"year": year, "amount": ""}
    if request.method == "POST":
        form = {
            "year": request.POST.get("year", "").strip(),
            "amount": request.POST.get("amount", ""),
        }
        try:
            crisis.set_budget(actor, user, year=form["year"], amount=form["amount"])
        except InvalidFields as problems:
            errors = problems.fields
        else:
            messages.success(request, f"The budget for {form['year']} is set.")
            return redirect("conversations:budget")
    record(actor, Event(action="conversations.budget.view", detail={"team": team}))
    return render(
        request,
        "conversations/budget.html",
        {
            "team": team,
            "budget": crisis.budget_for(team, year),
            "errors": errors,
            "form": form,
        },
        status=400 if errors else 200,
    )
