"""Building a case page by page: each page's answers are checked by the CLI's own parser before
the draft keeps them, and the whole case again before it is saved as a version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from upstream.appraisals import builder, casefiles, drafts, forms, libraries, services
from upstream.appraisals.access import CASE_WRITERS, require
from upstream.appraisals.models import BusinessCase
from upstream.edge.twins import respond

DRAFT_FILE = "case.toml"  # the name the parser's messages give a draft that has no case yet


def _file_name(draft: drafts.Draft) -> str:
    case = BusinessCase.objects.filter(pk=draft.case_id).first() if draft.case_id else None
    return case.file_name if case else DRAFT_FILE


def _url(token: str, slug: str) -> str:
    if slug in ("outcomes", "costs", "check"):
        return reverse(f"appraisals:draft-{slug}", kwargs={"token": token})
    return reverse("appraisals:draft-step", kwargs={"token": token, "step": slug})


@login_required
def step_page(request: HttpRequest, token: str, step: str) -> HttpResponse:
    require(request, CASE_WRITERS)
    draft = drafts.get(request, token)
    page = builder.step_for(step, draft.data)
    if page is None:
        raise Http404("There is no such question in this case.")
    then = request.POST.get("then") or request.GET.get("then", "")
    then = "check" if then == "check" else ""
    context: dict[str, Any] = {
        "draft": draft,
        "step": page,
        "then": then,
        "back": _back(page, draft, then),
    }
    if request.method != "POST":
        values = builder.values_for(page, draft.data)
        context["items"] = forms.bind(page, values, {}, builder.unreadable(page, draft.data))
        return respond(request, "appraisals/step.html", context)
    answers = builder.read(page, request.POST, draft.data)
    errors = dict(answers.errors)
    if not errors:
        errors = _problems_on(page, answers.data, _file_name(draft))
    if errors:
        context["items"] = forms.bind(
            page, answers.posted, errors, builder.unreadable(page, draft.data)
        )
        context["errors"] = forms.summary(page, errors)
        return respond(request, "appraisals/step.html", context, errors=errors)
    draft.data = answers.data
    drafts.put(request, draft)
    return redirect(_url(token, "check" if then else builder.next_slug(page, draft.data)))


def _problems_on(page: builder.Step, data: dict[str, Any], file: str) -> dict[str, str]:
    """The parser's problem with this page's answers (anchor -> message), if it is on this page.
    A problem elsewhere does not stop this page: the check page shows it before saving."""
    checked = casefiles.check(casefiles.dumps(builder.completed(data)), file)
    if checked.problem is None:
        return {}
    located = builder.locate(checked.problem, builder.all_steps(data), data)
    if located.slug != page.slug:
        return {}
    return {located.anchor or page.fields()[0].id: builder.message(located.label, located.message)}


def _back(page: builder.Step, draft: drafts.Draft, then: str) -> str:
    if then:
        return _url(draft.token, "check")
    order = builder.all_steps(draft.data)
    slugs = [s.slug for s in order]
    if page.slug.startswith("outcome-"):
        return _url(draft.token, "outcomes")
    if page.slug.startswith("cost-"):
        return _url(draft.token, "costs")
    if page.slug == "uncertainty":
        return _url(draft.token, "costs")
    at = slugs.index(page.slug) if page.slug in slugs else 0
    return _url(draft.token, slugs[at - 1]) if at > 0 else reverse("appraisals:index")


@login_required
def list_page(request: HttpRequest, token: str, what: str) -> HttpResponse:
    """The outcomes (or the costs) so far, to change, remove or add to."""
    require(request, CASE_WRITERS)
    draft = drafts.get(request, token)
    key = "outcome" if what == "outcomes" else "cost"
    items = builder.items_of(draft.data, key)
    first = "risk" if key == "outcome" else ""
    rows = [
        {"index": i, "item": item, "name": _item_name(key, i, item),
         "url": _url(token, f"outcome-{i}-risk" if key == "outcome" else f"cost-{i}"), "summary": forms.item_summary(key, item)}
        for i, item in enumerate(items)
    ]  # fmt: skip
    add = f"outcome-{len(items)}-risk" if key == "outcome" else f"cost-{len(items)}"
    context = {
        "draft": draft, "what": what, "rows": rows, "add": _url(token, add), "first": first,
        "next": _url(token, "costs" if what == "outcomes" else "uncertainty"),
        "back": _url(token, "adjustments" if what == "outcomes" else "outcomes"),
    }  # fmt: skip
    return respond(request, "appraisals/items.html", context)


def _item_name(key: str, index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if isinstance(name, str) and name:
        return libraries.words(name) if key == "outcome" else name
    return f"{key.capitalize()} {index + 1}"


@login_required
@require_POST
def remove(request: HttpRequest, token: str, what: str) -> HttpResponse:
    require(request, CASE_WRITERS)
    draft = drafts.get(request, token)
    key = "outcome" if what == "outcomes" else "cost"
    items = builder.items_of(draft.data, key)
    index = request.POST.get("index", "")
    if index.isdigit() and int(index) < len(items):
        items.pop(int(index))
        if not items:
            draft.data.get("intervention", {}).pop(key, None)
        drafts.put(request, draft)
    return redirect(_url(token, what))


def _next_number(case: BusinessCase | None) -> int:
    latest = case.latest() if case else None
    return latest.number + 1 if latest else 1


@login_required
def check_page(request: HttpRequest, token: str) -> HttpResponse:
    """Check your answers: every answer with a link to change it, the parser's verdict on the
    whole case, and saving it as a version."""
    require(request, CASE_WRITERS)
    draft = drafts.get(request, token)
    case = BusinessCase.objects.filter(pk=draft.case_id).first() if draft.case_id else None
    file = case.file_name if case else DRAFT_FILE
    text = casefiles.dumps(draft.data)
    checked = casefiles.check(text, file)  # an intervention case: it names no other case
    steps = builder.all_steps(draft.data)
    errors: dict[str, str] = {}
    if checked.problem is not None:
        located = builder.locate(checked.problem, steps, draft.data)
        link = (
            _url(token, located.slug)
            + "?then=check"
            + (f"#{located.anchor}" if located.anchor else "")
            if located.slug
            else "#case-file"
        )
        errors[link] = builder.message(located.label, located.message)
    context = {
        "draft": draft, "case": case, "sections": forms.answers(steps, draft.data, lambda s: _url(token, s)),
        "problem": checked.problem, "errors": errors, "toml": text,
        "outcomes_url": _url(token, "outcomes"), "costs_url": _url(token, "costs"),
        "next_number": _next_number(case),
    }  # fmt: skip
    if request.method != "POST":
        return respond(request, "appraisals/check.html", context)
    if checked.problem is not None:
        return respond(request, "appraisals/check.html", context, errors=errors)
    note = request.POST.get("note", "").strip()[:500]
    version = services.save_version(request, case, text, checked, source="form", note=note)
    drafts.finish(request, draft)
    messages.success(request, f"Saved version {version.number} of {version.case.name}.")
    return redirect("appraisals:version", case_id=version.case.pk, number=version.number)
