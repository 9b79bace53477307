"""Business cases: the list, a case and its versions, a version (download, appraise, edit),
uploading a case file, editing one as TOML, and two versions side by side."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from upstream.appraisals import casefiles, drafts, inputs, reports, runs, services
from upstream.appraisals.access import CASE_WRITERS, LIBRARY_READERS, REPORT_READERS, may, require
from upstream.appraisals.models import BusinessCase, CaseVersion
from upstream.edge.twins import Table, respond
from upstream.errors import InputError

UPLOAD_FIELD = "case_file"


def _case_row(case: BusinessCase) -> dict[str, Any]:
    latest = case.latest()
    run = latest.finished_run() if latest else None
    return {
        "case": case,
        "latest": latest,
        "run": run,
        "npv": _npv(run.headline) if run else "",
    }


def _npv(headline: dict[str, Any]) -> str:
    figures = headline.get("figures", {})
    for label, value in figures.items():
        if "net present value" in label.lower() or "npv" in label.lower():
            return f"{value}"
    return ""


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request, REPORT_READERS)
    examples = reports.examples_on_disk()
    writer = may(request, CASE_WRITERS)
    cases = [_case_row(c) for c in BusinessCase.objects.all()] if writer else []
    context = {
        "appraisals": examples,
        "root": reports.reports_root(),
        "cases": cases,
        "writer": writer,
        "libraries": may(request, LIBRARY_READERS),
    }
    data: dict[str, Any] = {"appraisals": examples}
    if writer:
        data["cases"] = [
            {
                "slug": r["case"].slug,
                "name": r["case"].name,
                "versions": r["latest"].number if r["latest"] else 0,
                "npv": r["npv"],
            }
            for r in cases
        ]
    return respond(request, "appraisals/index.html", context, data=data)


def _case(case_id: int) -> BusinessCase:
    return get_object_or_404(BusinessCase, pk=case_id)


def _version(case_id: int, number: int) -> CaseVersion:
    return get_object_or_404(
        CaseVersion.objects.select_related("case"), case_id=case_id, number=number
    )


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    case = _case(case_id)
    versions = list(case.versions.select_related("saved_by").order_by("-number"))
    rows = [{"version": v, "run": v.latest_run()} for v in versions]
    data = {
        "case": case.slug,
        "name": case.name,
        "versions": [
            {
                "number": v.number,
                "title": v.title,
                "saved_by": v.saved_by.get_username(),
                "saved_at": v.saved_at,
                "source": v.source,
                "note": v.note,
            }
            for v in versions
        ],
    }
    context = {"case": case, "rows": rows, "latest": versions[0] if versions else None}
    return respond(request, "appraisals/case.html", context, data=data)


@login_required
def version_page(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    version = _version(case_id, number)
    data = casefiles.loads(version.toml)
    rows = inputs.rows(data)
    context = {
        "case": version.case,
        "version": version,
        "rows": rows,
        "runs": version.runs.select_related("started_by").order_by("-pk"),
        "buildable": data.get("case", {}).get("kind") == "intervention",
    }
    table = Table(
        f"{version.case.slug}-v{version.number}-inputs",
        [r.__dict__ for r in rows],
        ("section", "label", "path", "value"),
    )
    return respond(request, "appraisals/version.html", context, table=table)


@login_required
def download(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    version = _version(case_id, number)
    response = HttpResponse(version.toml, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.file_name}"'
    return response


@login_required
@require_POST
def appraise(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    run = services.appraise(request, _version(case_id, number))
    return redirect("appraisals:run", run_id=run.pk)


@login_required
@require_POST
def edit_in_browser(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    version = _version(case_id, number)
    if version.kind != "intervention":
        raise InputError(
            f"A {version.kind} case is not built in the browser: edit its case file as text."
        )
    draft = drafts.start(request, casefiles.loads(version.toml), version.case.pk, version.number)
    return redirect("appraisals:draft-check", token=draft.token)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """A new case: build it in the browser (POST) or upload a file (a link)."""
    require(request, CASE_WRITERS)
    if request.method == "POST":
        draft = drafts.start(request, drafts.blank())
        return redirect("appraisals:draft-step", token=draft.token, step="about")
    return respond(request, "appraisals/start.html", {})


def _uploaded(
    request: HttpRequest, case: BusinessCase | None
) -> tuple[str, str, casefiles.Checked]:
    """The uploaded file's name and text, checked as `upstream appraise` checks a file (or why
    it cannot be read: none chosen, too big, not UTF-8)."""
    upload = request.FILES.get(UPLOAD_FIELD)
    if upload is None or not upload.name:
        return "", "", _refused("", "Choose a case file (.toml) to upload")
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100] or "case.toml"
    if (upload.size or 0) > casefiles.MAX_BYTES:
        size = f"is {upload.size:,} bytes; a case file is at most {casefiles.MAX_BYTES:,}"
        return name, "", _refused(name, size)
    text, problem = casefiles.read_upload(upload.read(), name)
    if problem is not None:
        return name, "", casefiles.Checked(None, problem)
    saved = runs.saved_cases(excluding=case.pk if case else None)
    return name, text, casefiles.check(text, name, saved)


def _refused(name: str, message: str) -> casefiles.Checked:
    return casefiles.Checked(None, casefiles.Problem(name, message, name))


@login_required
def upload(request: HttpRequest, case_id: int | None = None) -> HttpResponse:
    require(request, CASE_WRITERS)
    case = _case(case_id) if case_id is not None else None
    context: dict[str, Any] = {"case": case, "errors": {}, "note": ""}
    if request.method != "POST":
        return respond(request, "appraisals/upload.html", context)
    note = request.POST.get("note", "").strip()[:500]
    name, text, checked = _uploaded(request, case)
    if checked.problem is not None:
        context |= {"errors": {"case-file": checked.problem.line}, "note": note}
        return respond(request, "appraisals/upload.html", context, errors=context["errors"])
    stem = name[:-5] if name.lower().endswith(".toml") else name
    version = services.save_version(
        request, case, text, checked, source="upload", note=note, file_name=stem
    )
    messages.success(
        request, f"Uploaded {name} as version {version.number} of {version.case.name}."
    )
    return redirect("appraisals:version", case_id=version.case.pk, number=version.number)


@login_required
def edit_toml(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    """The case file as text, for what the pages do not ask (and for programmes and portfolios)."""
    require(request, CASE_WRITERS)
    version = _version(case_id, number)
    text = request.POST.get("toml", "") if request.method == "POST" else version.toml
    context: dict[str, Any] = {"case": version.case, "version": version, "toml": text, "errors": {}}
    if request.method != "POST":
        return respond(request, "appraisals/edit_toml.html", context)
    note = request.POST.get("note", "").strip()[:500]
    checked = casefiles.check(text, version.case.file_name, runs.saved_cases(excluding=case_id))
    if checked.problem is not None:
        context |= {"errors": {"toml": checked.problem.line}, "note": note}
        return respond(request, "appraisals/edit_toml.html", context, errors=context["errors"])
    saved = services.save_version(request, version.case, text, checked, source="text", note=note)
    messages.success(request, f"Saved version {saved.number}.")
    return redirect("appraisals:version", case_id=case_id, number=saved.number)


def _chosen(
    request: HttpRequest, key: str, numbers: list[int], errors: dict[str, str]
) -> int | None:
    value = request.GET.get(key, "")
    if not value:
        return None
    if not value.isdigit() or int(value) not in numbers:
        errors[key] = f"Choose version {'A' if key == 'a' else 'B'} from the list"
        return None
    return int(value)


@login_required
def compare(request: HttpRequest, case_id: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    case = _case(case_id)
    versions = {v.number: v for v in case.versions.all()}
    numbers = sorted(versions, reverse=True)
    errors: dict[str, str] = {}
    a = _chosen(request, "a", numbers, errors) or (numbers[1] if len(numbers) > 1 else None)
    b = _chosen(request, "b", numbers, errors) or (numbers[0] if numbers else None)
    va, vb = versions.get(a or 0), versions.get(b or 0)
    differences = (
        inputs.compare(casefiles.loads(va.toml), casefiles.loads(vb.toml)) if va and vb else []
    )
    only_changed = request.GET.get("only") == "changed"
    shown = [d for d in differences if d.changed] if only_changed else differences
    figures = _figures(va, vb) if va and vb else []
    rows = [
        {
            "section": d.section,
            "input": d.label,
            "path": d.path,
            "a": d.a,
            "b": d.b,
            "changed": d.changed,
        }
        for d in differences
    ]
    rows += [
        {
            "section": "Headline figures",
            "input": label,
            "path": "",
            "a": x,
            "b": y,
            "changed": x != y,
        }
        for label, x, y in figures
    ]
    context = {
        "case": case, "numbers": numbers, "a": va, "b": vb, "differences": differences,
        "figures": figures, "errors": errors, "changed": sum(d.changed for d in differences),
        "shown": shown, "only_changed": only_changed,
        "runs": {"a": va.finished_run() if va else None, "b": vb.finished_run() if vb else None},
    }  # fmt: skip
    table = Table(f"{case.slug}-compare", rows, ("section", "input", "path", "a", "b", "changed"))
    return respond(request, "appraisals/compare.html", context, table=table, errors=errors)


def _figures(a: CaseVersion, b: CaseVersion) -> list[tuple[str, str, str]]:
    """The headline figures of each version's latest finished appraisal, side by side."""
    run_a, run_b = a.finished_run(), b.finished_run()
    fa = run_a.headline.get("figures", {}) if run_a else {}
    fb = run_b.headline.get("figures", {}) if run_b else {}
    labels = list(dict.fromkeys([*fa, *fb]))
    none = "Not appraised yet"
    return [
        (
            label,
            fa.get(label, none if not run_a else "–"),
            fb.get(label, none if not run_b else "–"),
        )
        for label in labels
    ]
