"""Accounts. A custom user model from the start, so roles live on the person who signs in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from upstream.accounts.roles import ROLE_LABELS, Role


class User(AbstractUser):
    role = models.CharField(
        max_length=32,
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        default=Role.CITIZEN.value,
        help_text="The role this person works in; decides what they can see and do.",
    )
    team = models.CharField(
        max_length=100, blank=True, help_text="The team this person works in, if any."
    )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        return self.role_enum.label
