"""Published identification results and what people did with them.

`IdentifyRun`, `Flag` and `FlagMember` are replaced whole by `upstream identify` (publish);
`Override`, `KillSwitch` and `FlagSighting` are kept across runs and refer to flags by their
`flag_key` (rule set / code / subject, without the date), so an override survives a re-run.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class IdentifyRun(models.Model):
    published_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    input_kind = models.CharField(max_length=80, help_text="truth-linked or insight-linked.")
    workspace = models.CharField(max_length=500)
    summary = models.JSONField(default=dict)
    report = models.JSONField(default=dict, help_text="The cohort report (counts only).")
    transparency = models.JSONField(default=list, help_text="ATRS records, tier 1 and 2.")
    transparency_markdown = models.TextField(blank=True)
    dpia_markdown = models.TextField(blank=True)
    fairness_csv = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-published_at"]


class Flag(models.Model):
    """A rule set or model flagged a person or household: why, since when, until when."""

    flag_id = models.CharField(max_length=200, primary_key=True)
    flag_key = models.CharField(max_length=200, db_index=True, help_text="Without the date.")
    run = models.ForeignKey(IdentifyRun, on_delete=models.CASCADE, related_name="flags")
    ruleset_id = models.CharField(max_length=60, db_index=True)
    ruleset_version = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, help_text="rule or model.")
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    subject_type = models.CharField(max_length=10, help_text="person or household.")
    subject_id = models.CharField(max_length=60, db_index=True)
    raised_on = models.DateField(null=True)
    lapses_on = models.DateField(null=True)
    score = models.FloatField(null=True, blank=True)
    card = models.JSONField(default=dict, help_text="Needs met and the source records behind them.")

    class Meta:
        ordering: ClassVar = ["ruleset_id", "subject_id"]


class FlagMember(models.Model):
    """A person a flag concerns: the subject, or everyone living in a flagged household."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="members")
    person_id = models.CharField(max_length=16, db_index=True)


class Override(models.Model):
    KINDS: ClassVar = [
        ("not_relevant", "Not relevant"),
        ("already_supported", "Already supported"),
        ("disagree", "Disagree"),
    ]
    flag_key = models.CharField(max_length=200, db_index=True)
    ruleset_id = models.CharField(max_length=60, db_index=True)
    ruleset_version = models.CharField(max_length=20)
    person_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=20, choices=KINDS)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    by_role = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-at"]


class KillSwitch(models.Model):
    """Withdrawing (or restoring) a rule set or model everywhere; the latest row wins."""

    target = models.CharField(max_length=60, db_index=True)
    withdrawn = models.BooleanField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-at"]


class FlagSighting(models.Model):
    """Who saw which flag (also in the governance audit log): the kill switch lists them."""

    flag_id = models.CharField(max_length=200)
    ruleset_id = models.CharField(max_length=60, db_index=True)
    person_id = models.CharField(max_length=16)
    viewer = models.CharField(max_length=150)
    viewer_role = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)
