"""Business cases kept in the service: each saved version is the case-file TOML itself, so what
the service appraises is exactly what `upstream appraise` reads, and any version downloads as
the file. An appraisal run records one appraisal of one version, its progress and its headline.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

# A run that has not moved for this long has stopped (the server restarted while it ran). The
# slowest case allowed, a million Monte Carlo draws, takes about 10 s on 2 cores
# (economics.casefile.DRAWS); a run that says nothing for 30 minutes is not coming back.
STALLED_AFTER = timedelta(minutes=30)


class BusinessCase(models.Model):
    """A business case: its versions are the case files saved over time."""

    name = models.CharField(max_length=300, help_text="The case's title when first saved.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Its file name without .toml; a portfolio names its options by it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def file_name(self) -> str:
        return f"{self.slug}.toml"

    def latest(self) -> CaseVersion | None:
        return self.versions.order_by("-number").first()


class CaseVersion(models.Model):
    """One saved case file: the TOML text as saved, who saved it and when."""

    SOURCES: ClassVar = [
        ("form", "Built in the browser"),
        ("upload", "Uploaded"),
        ("text", "Edited as TOML"),
    ]

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    toml = models.TextField(help_text="The case file, exactly as saved.")
    title = models.CharField(max_length=300, help_text="[case] title in this version.")
    kind = models.CharField(max_length=20, help_text="intervention, programme or portfolio.")
    note = models.CharField(max_length=500, blank=True, help_text="What changed, in words.")
    source = models.CharField(max_length=10, choices=SOURCES)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["case", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.case.name}, version {self.number}"

    @property
    def file_name(self) -> str:
        return f"{self.case.slug}-v{self.number}.toml"

    def latest_run(self) -> AppraisalRun | None:
        return self.runs.order_by("-pk").first()

    def finished_run(self) -> AppraisalRun | None:
        return self.runs.filter(status=AppraisalRun.DONE).order_by("-pk").first()


class AppraisalRun(models.Model):
    """One appraisal of one version, run in the background; the report is written to the
    run's folder (appraisals.runs.folder_for)."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES: ClassVar = [
        (QUEUED, "Waiting to start"),
        (RUNNING, "Running"),
        (DONE, "Finished"),
        (FAILED, "Failed"),
    ]

    version = models.ForeignKey(CaseVersion, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    stage = models.CharField(max_length=200, default="Waiting to start")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    message = models.TextField(blank=True, help_text="Why it failed, as the CLI says it.")
    headline = models.JSONField(default=dict, help_text="appraisal.json's headline.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-pk"]

    def __str__(self) -> str:
        return f"Appraisal {self.pk} of {self.version}"

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    @property
    def stalled(self) -> bool:
        """Queued or running, but not moved for STALLED_AFTER: the server stopped it."""
        return not self.finished and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
