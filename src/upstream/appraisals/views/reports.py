"""Reports: read inside the service (header, navigation, back link), and their files as
downloads. The example appraisals the demo writes and the runs made here are read the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe

from upstream.appraisals import reports, runs
from upstream.appraisals.access import CASE_WRITERS, REPORT_READERS, require
from upstream.appraisals.models import AppraisalRun
from upstream.edge.twins import respond

# The report file on its own: its charts are inline SVG and its styles inline; it runs no scripts.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)


def serve_file(folder: Path, filename: str) -> FileResponse:
    """A report folder's file: report.html shown as it is (under its own policy), the rest as
    downloads."""
    path = reports.file_in(folder, filename)
    response = FileResponse(path.open("rb"), as_attachment=filename != "report.html")
    if filename == "report.html":
        response["Content-Security-Policy"] = REPORT_POLICY
    return response


@login_required
def example_file(request: HttpRequest, name: str, filename: str) -> FileResponse:
    require(request, REPORT_READERS)
    return serve_file(reports.example_folder(name), filename)


@login_required
def example(request: HttpRequest, name: str) -> HttpResponse:
    require(request, REPORT_READERS)
    folder = reports.example_folder(name)
    summary = reports.summary(folder)
    context: dict[str, Any] = {
        "summary": summary,
        "body": mark_safe(reports.body(folder)),  # the report writers' own HTML (reports.body)
        "files": summary["files"],
        "file_url": "appraisals:example-file",
        "file_args": [name],
    }
    return respond(request, "appraisals/report.html", context, data={"appraisal": summary})


@login_required
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    require(request, CASE_WRITERS)
    run = get_object_or_404(AppraisalRun.objects.select_related("version__case"), pk=run_id)
    data = {
        "run": run.pk,
        "case": run.version.case.slug,
        "version": run.version.number,
        "status": run.status,
        "stalled": run.stalled,
        "stage": run.stage,
        "progress": run.progress,
        "message": run.message,
        "headline": run.headline,
    }
    if run.status != AppraisalRun.DONE:
        return respond(request, "appraisals/run.html", {"run": run}, data=data)
    folder = runs.folder_for(run)
    context = {
        "run": run,
        "version": run.version,
        "body": mark_safe(reports.body(folder)),  # the report writers' own HTML (reports.body)
        "files": reports.files_in(folder),
        "file_url": "appraisals:run-file",
        "file_args": [run.pk],
    }
    return respond(request, "appraisals/report.html", context, data=data)


@login_required
def run_file(request: HttpRequest, run_id: int, filename: str) -> FileResponse:
    require(request, CASE_WRITERS)
    run = get_object_or_404(AppraisalRun, pk=run_id, status=AppraisalRun.DONE)
    return serve_file(runs.folder_for(run), filename)
