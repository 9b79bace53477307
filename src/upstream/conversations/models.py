"""Three Conversations casework records (domain brief §3.4; issue 13).

- A `Conversation` is the unit of work: 1 listen and connect, 2 work intensively in a crisis,
  3 build a good life. It starts from a front-door `Request` (or follows an earlier
  conversation for the same person); its owner carries the person through 1 → 2 → 3, and a
  hand-off needs a reason (`HandOff`, counted).
- Conversation 2 keeps an emergency plan (`PlanStep`), a short, frequent contact log
  (`ContactNote`) and small practical help (`PracticalHelp`) against a team budget
  (`TeamBudget`, set by the team manager).
- Conversation 3 records the outcomes agreed with the person (`AgreedOutcome`); the care
  pathway adds the statutory parts.
- A `FamilyPlan` is a team around the family: a key worker, members from other organisations
  (`FamilyMember`), outcomes the family chose under the ten Supporting Families headline areas
  (`FamilyOutcome`), actions with owner and due date (`FamilyAction`), multi-agency meetings
  (`FamilyMeeting`), and closure with outcomes achieved.
- A `Review` asks whether the agreed outcomes were achieved, on an interval proportionate to
  risk (a versioned policy table), with its method and reason (as the adult social care Client
  Level Data review event records them).

People are the published `person_id` and households the published `household_id`, kept as text
(`upstream publish` replaces the published tables whole; these records must outlive that).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class Kind(models.IntegerChoices):
    LISTEN_AND_CONNECT = 1, "Conversation 1: listen and connect"
    CRISIS = 2, "Conversation 2: work intensively in a crisis"
    GOOD_LIFE = 3, "Conversation 3: build a good life"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved here"
    NEEDS_2 = "needs_2", "Needs conversation 2"
    NEEDS_3 = "needs_3", "Needs conversation 3"
    STATUTORY = "statutory", "Statutory route"
    STABLE = "stable", "Stable: back to connections"  # how conversation 2 ends well
    WITHDRAWN = "withdrawn", "The person did not want to go on"


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Conversation(models.Model):
    person_id = models.CharField(max_length=16, db_index=True)
    request = models.ForeignKey(
        "frontdoor.Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_conversations",
        help_text="The conversation this one follows (1 → 2 → 3).",
    )
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations"
    )
    team = models.CharField(max_length=100, db_index=True)
    ward = models.CharField(max_length=100, blank=True, db_index=True)
    started_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.LOW)
    what_matters = models.TextField(blank=True, help_text="In the person's words.")
    strengths_person = models.TextField(blank=True)
    strengths_family = models.TextField(blank=True, help_text="Family and friends.")
    strengths_community = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, db_index=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-started_at"]
        indexes: ClassVar = [
            models.Index(fields=["team", "started_at"]),
            models.Index(fields=["owner", "ended_at"]),
        ]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class HandOff(models.Model):
    """The owner changed: only with a reason, and counted (one worker should stay)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handoffs"
    )
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    at = models.DateTimeField()


class PlanStep(models.Model):
    """Conversation 2's emergency plan: what must happen, who does it, by when."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="plan_steps"
    )
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)


class ContactNote(models.Model):
    """Conversation 2's contact log: frequent and short."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="contacts"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20)  # phone, visit, text, email, video
    note = models.TextField()

    class Meta:
        ordering: ClassVar = ["-at"]


class TeamBudget(models.Model):
    """What a team may spend on small practical help in a financial year (set by its manager)."""

    team = models.CharField(max_length=100)
    financial_year = models.CharField(max_length=7, help_text="e.g. 2026-27.")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["team", "financial_year"], name="one_budget_a_year")
        ]


class PracticalHelp(models.Model):
    """Small practical help given in conversation 2: amount and purpose, from the team budget."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="help_given"
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    purpose = models.CharField(max_length=300)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class AgreedOutcome(models.Model):
    """An outcome agreed with the person (conversation 3), in their words; reviews ask whether
    it was achieved."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="agreed_outcomes"
    )
    outcome = models.TextField()
    agreed_at = models.DateTimeField()


class WaitingContact(models.Model):
    """Waiting well: a contact with someone on a team's waiting list (how they are, whether
    anything changed), before a key worker holds conversation 1."""

    request = models.ForeignKey(
        "frontdoor.Request", on_delete=models.CASCADE, related_name="waiting_contacts"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20)
    note = models.TextField()


# Team around the family.


class SupportingFamiliesArea(models.TextChoices):
    """The ten headline outcome areas of the Supporting Families Outcomes Framework (DLUHC,
    2022, updated 2023)."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    RELATIONSHIPS = "relationships", "Improved family relationships"
    SAFE_CHILDREN = "safe_children", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCE = "finance", "Financial stability"


class Achieved(models.TextChoices):
    SUSTAINED = "sustained", "Sustained"
    SIGNIFICANT_PROGRESS = "significant_progress", "Significant progress"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class FamilyPlan(models.Model):
    household_id = models.CharField(max_length=64, db_index=True)
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_plans"
    )
    team = models.CharField(max_length=100, db_index=True)
    started_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FamilyMember(models.Model):
    """Someone in the team around the family: a worker from any organisation (a user, when they
    have an account here: partner members see the plan and their own actions, nothing else)."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=300)
    role = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)


class FamilyOutcome(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="outcomes")
    area = models.CharField(max_length=20, choices=SupportingFamiliesArea.choices)
    outcome = models.TextField(help_text="In the family's words.")
    achieved = models.CharField(max_length=20, choices=Achieved.choices, blank=True)


class FamilyAction(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(
        FamilyOutcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    action = models.TextField()
    owner = models.ForeignKey(FamilyMember, on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)


class FamilyMeeting(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attended = models.ManyToManyField(FamilyMember, related_name="meetings_attended")
    family_attended = models.BooleanField(default=True)
    decisions = models.TextField()
    next_on = models.DateField(null=True, blank=True)


# Reviews.


class Review(models.Model):
    """A review of a conversation's agreed outcomes or a family plan, due on the policy's
    interval for the risk; held with a method and a reason (CLD review event)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    family_plan = models.ForeignKey(
        FamilyPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    due_on = models.DateField(db_index=True)
    policy_version = models.CharField(max_length=40)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=30, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    outcomes = models.JSONField(default=dict, help_text="Outcome id → achieved, partly, not.")
    note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["due_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(conversation__isnull=False)
                | models.Q(family_plan__isnull=False),
                name="review_has_a_subject",
            )
        ]
