"""Every write here: saving a version (built, uploaded or edited as TOML) and starting an
appraisal. Each is one transaction with its audit entry (`governance.audit`), so a write that
cannot be audited does not happen, and a refused one leaves nothing half-saved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from upstream.appraisals import runs
from upstream.appraisals.casefiles import Checked
from upstream.appraisals.models import AppraisalRun, BusinessCase, CaseVersion
from upstream.governance import audit

ACTIONS = {
    "form": "appraisal_case_save",
    "text": "appraisal_case_save",
    "upload": "appraisal_case_upload",
}


def _user(request: HttpRequest) -> Any:
    """The signed-in person (every view here requires one)."""
    assert request.user.is_authenticated
    return request.user


def _slug_for(name: str) -> str:
    base = (slugify(name)[:60].strip("-") or "case").lower()
    slug, n = base, 1
    while BusinessCase.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_version(
    request: HttpRequest,
    case: BusinessCase | None,
    toml: str,
    checked: Checked,
    *,
    source: str,
    note: str = "",
    file_name: str = "",
) -> CaseVersion:
    """A checked case file saved as the next version of `case` (a new case when None). A new
    case's file name is the uploaded file's (`file_name`, without .toml), so a portfolio's
    options, which name files, find the cases uploaded from them; else made from its title."""
    assert checked.case is not None, "only a checked case file is saved"
    settings = checked.case.settings
    with transaction.atomic():
        if case is None:
            case = BusinessCase.objects.create(
                name=settings.title[:300],
                slug=_slug_for(file_name or settings.title),
                created_by=_user(request),
            )
        else:  # one saver at a time per case, so two saves never take the same number
            case = BusinessCase.objects.select_for_update().get(pk=case.pk)
        latest = case.versions.order_by("-number").first()
        version = CaseVersion.objects.create(
            case=case,
            number=(latest.number + 1) if latest else 1,
            toml=toml,
            title=settings.title[:300],
            kind=settings.kind,
            note=note[:500],
            source=source,
            saved_by=_user(request),
        )
        audit.record_request(
            request,
            audit.Event(
                action=ACTIONS[source],
                detail={"case": case.slug, "version": version.number, "source": source},
            ),
        )
    return version


def appraise(request: HttpRequest, version: CaseVersion) -> AppraisalRun:
    """Start an appraisal of a saved version; the run's page follows it."""
    with transaction.atomic():
        run = AppraisalRun.objects.create(version=version, started_by=_user(request))
        audit.record_request(
            request,
            audit.Event(
                action="appraisal_run",
                detail={"case": version.case.slug, "version": version.number, "run": run.pk},
            ),
        )
    runs.start(run)
    return run
