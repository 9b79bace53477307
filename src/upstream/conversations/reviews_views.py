"""Reviews and the day's overdue work, as pages: thin views over `reviews` and `overdue`.

- `/reviews/`: the reviews waiting for the user (a team manager: the team's), most overdue
  first, sortable and paged, with CSV and JSON twins;
- `/reviews/<id>/`: one review, and the form that records it (GOV.UK error summary; nothing
  saved until every answer is usable);
- `/reviews/due/`: "Due today and overdue": reviews, emergency plan steps and family plan
  actions that are the user's to do.

Practitioners and team managers only (the roles that hold conversations and family plans);
every read and write is audited. Refusals are domain errors the web edge answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from upstream.accounts.models import User
from upstream.accounts.roles import Role
from upstream.conversations import overdue, reviews
from upstream.conversations.models import Review, Risk
from upstream.edge.twins import Table, respond
from upstream.errors import InvalidFields
from upstream.frontdoor import lists
from upstream.governance.access import refuse
from upstream.governance.audit import Actor, Event, record
from upstream.people.models import Person

REVIEWERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})

COLUMNS = (
    lists.Column("who", "Who", ""),
    lists.Column("about", "About", ""),
    lists.Column("due", "Due", "due_on"),
    lists.Column("state", "When", ""),
    lists.Column("worker", "Worker", ""),
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _reviewer(request: HttpRequest, action: str) -> tuple[User, Actor]:
    user, actor = _user(request), Actor.from_request(request)
    if user.role_enum not in REVIEWERS:
        raise refuse(actor, action, "Your role does not include reviews.")
    return user, actor


@login_required
def reviews_page(request: HttpRequest) -> HttpResponse:
    user, actor = _reviewer(request, "conversations.reviews")
    waiting = reviews.listed_reviews(user).filter(held_at__isnull=True)
    waiting = waiting.select_related("conversation__owner", "family_plan__key_worker")
    record(actor, Event(action="conversations.reviews", detail={"count": waiting.count()}))
    names = _names(waiting)
    today = timezone.localdate()
    params = request.GET
    return respond(
        request,
        "conversations/reviews/list.html",
        lambda: {
            "listing": lists.list_page(
                waiting, COLUMNS, params, lambda r: _row(r, names, today), default="due"
            ),
            "team": user.team if user.role_enum == Role.TEAM_MANAGER else "",
        },
        table=lambda: Table(
            "reviews",
            lists.all_rows(
                waiting, COLUMNS, params, lambda r: _row(r, names, today), default="due"
            ),
            [c.key for c in COLUMNS],
        ),
    )


def _names(found: Any) -> dict[str, str]:
    """Names of the people the listed reviews are about (the worker works with them)."""
    ids = {r.conversation.person_id for r in found if r.conversation is not None}
    people = Person.objects.filter(person_id__in=ids)
    return {p.person_id: f"{p.given_name} {p.family_name}".strip() for p in people}


def who(review: Review, names: dict[str, str]) -> str:
    if review.conversation is not None:
        return names.get(review.conversation.person_id) or review.conversation.person_id
    return f"Household {reviews.household_of(review)}"


def about(review: Review) -> str:
    if review.conversation is not None:
        return f"Conversation {review.conversation.kind}: what was agreed"
    return "Family plan"


def when_due(review: Review, today: date) -> str:
    days = (review.due_on - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


def _row(review: Review, names: dict[str, str], today: date) -> dict[str, Any]:
    worker = reviews.responsible(review)
    return {
        "who": who(review, names),
        "link": reverse("reviews:review", args=[review.pk]),
        "about": about(review),
        "due": review.due_on.strftime("%-d %b %Y"),
        "state": when_due(review, today),
        "worker": worker.get_full_name() or worker.username,
    }


@login_required
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    user, actor = _reviewer(request, "conversations.review.view")
    review = get_object_or_404(
        Review.objects.select_related("conversation", "family_plan"), pk=review_id
    )
    action = "conversations.review.view" if request.method != "POST" else "conversations.review"
    reviews.see_review(actor, user, review, action=action)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            held = reviews.check_answers(review, request.POST)
        except InvalidFields as problems:
            errors = problems.fields
        else:
            following = reviews.hold(review, held, by=user, actor=actor)
            messages.success(request, _held_message(following))
            return redirect("reviews:review", review_id=review.pk)
    context = _review_context(review, errors, request.POST if errors else None)
    return render(
        request,
        "conversations/reviews/review.html",
        context,
        status=400 if errors else 200,
    )


def _held_message(following: Review | None) -> str:
    if following is None:
        return "Review recorded. The family plan has closed, so there is no next review."
    return f"Review recorded. The next review is due on {following.due_on:%-d %B %Y}."


def _review_context(review: Review, errors: dict[str, str], form: Any) -> dict[str, Any]:
    names = _names([review])
    answers = review.outcomes or {}
    outcomes = [
        {"id": pk, "text": text, "answer": _answer_label(answers.get(pk, ""))}
        for pk, text in reviews.outcomes_of(review)
    ]
    return {
        "review": review,
        "who": who(review, names),
        "about": about(review),
        "state": when_due(review, timezone.localdate()),
        "subject_link": _subject_link(review),
        "outcomes": outcomes,
        "methods": reviews.Method.choices,
        "reasons": reviews.Reason.choices,
        "answers": reviews.Answer.choices,
        "risks": Risk.choices,
        "risk_now": reviews.risk_of(review),
        "method_label": dict(reviews.Method.choices).get(review.method, ""),
        "reason_label": dict(reviews.Reason.choices).get(review.reason, ""),
        "next": review_after(review),
        "errors": errors,
        "form": form or {"risk": reviews.risk_of(review), "reason": reviews.Reason.PLANNED},
    }


def _answer_label(value: str) -> str:
    return dict(reviews.Answer.choices).get(value, "")


def review_after(review: Review) -> Review | None:
    if review.held_at is None:
        return None
    later = Review.objects.filter(
        conversation=review.conversation, family_plan=review.family_plan, pk__gt=review.pk
    )
    return later.order_by("pk").first()


def _subject_link(review: Review) -> str:
    """The conversation's or family plan's own page, when those pages are mounted."""
    try:
        if review.conversation_id is not None:
            return reverse("conversations:conversation", args=[review.conversation_id])
        return reverse("families:plan", args=[review.family_plan_id])
    except NoReverseMatch:
        return ""


@login_required
def due_page(request: HttpRequest) -> HttpResponse:
    user, actor = _reviewer(request, "conversations.due")
    today = timezone.localdate()
    work = overdue.due_for(user, today)
    record(
        actor,
        Event(
            action="conversations.due",
            people_shown=tuple(
                sorted({r.conversation.person_id for r in work.reviews if r.conversation})
            ),
            detail={
                "reviews": len(work.reviews),
                "plan_steps": len(work.plan_steps),
                "family_actions": len(work.family_actions),
            },
        ),
    )
    names = _names(work.reviews)
    return render(
        request,
        "conversations/reviews/due.html",
        {
            "work": work,
            "today": today,
            "review_rows": [_row(r, names, today) for r in work.reviews],
            "step_rows": [_step_row(s, today) for s in work.plan_steps],
            "action_rows": [_action_row(a, today) for a in work.family_actions],
        },
    )


def _late(on: date, today: date) -> str:
    days = (today - on).days
    return "Due today" if days == 0 else f"Overdue by {days} day{'s' if days != 1 else ''}"


def _step_row(step: Any, today: date) -> dict[str, Any]:
    return {
        "what": step.what,
        "who": step.who,
        "by": step.by_when.strftime("%-d %b %Y"),
        "state": _late(step.by_when, today),
        "link": _link("conversations:conversation", step.conversation_id),
    }


def _action_row(action: Any, today: date) -> dict[str, Any]:
    return {
        "what": action.action,
        "household": action.plan.household_id,
        "by": action.due.strftime("%-d %b %Y"),
        "state": _late(action.due, today),
        "link": _link("families:plan", action.plan_id),
    }


def _link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
