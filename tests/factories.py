"""Factories with keyword-only defaults (the GOV.UK Notify habit): create what a test needs."""

from __future__ import annotations

from typing import Any

from upstream.accounts.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def create_user(
    *,
    username: str = "",
    role: Role = Role.PRACTITIONER,
    password: str = DEFAULT_PASSWORD,
    **fields: Any,
) -> Any:
    from upstream.accounts.models import User

    username = username or f"{role.value}-{User.objects.count() + 1}"
    user = User.objects.create_user(username=username, password=password, role=role.value, **fields)
    return user
