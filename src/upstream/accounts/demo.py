"""Demo accounts: one per role, for the README's main job and the browser tests.

Refused in production: demo accounts with a printed password are for a laptop, not a council.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from upstream.accounts.models import User
from upstream.accounts.roles import FRONT_DOOR_TEAM, Role
from upstream.errors import ConfigurationError

DEMO_TEAM = "Early help — North"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role


def demo_username(role: Role) -> str:
    return role.value.replace("_", "-")


def ensure_demo_accounts(*, password: str = "", is_production: bool = False) -> list[DemoLogin]:
    """Create or reset one account per role; idempotent. Returns the logins to print."""
    if is_production:
        raise ConfigurationError("demo accounts are refused in production", where="UPSTREAM_ENV")
    password = password or secrets.token_urlsafe(12)
    logins = []
    for role, user in ensure_demo_users().items():
        user.set_password(password)
        user.save(update_fields=["password"])
        logins.append(DemoLogin(user.username, password, role))
    return logins


def ensure_demo_users() -> dict[Role, User]:
    """One account per role with its name, role and team, leaving passwords alone: the demo's
    synthetic activity records who did what before the logins are printed (a new account
    cannot sign in until `ensure_demo_accounts` gives it a password). The partner professional
    and the service provider are tied to their directory organisations by the front door's
    demo step (`upstream.jobs.frontdoor_activity`), since accounts sit below the directory."""
    users = {}
    for role in Role:
        user, created = User.objects.get_or_create(username=demo_username(role))
        if created:
            user.set_unusable_password()
        user.role = role.value
        user.first_name = "Demo"
        user.last_name = role.label
        user.team = _team(role)
        user.is_staff = role == Role.ADMINISTRATOR
        user.save()
        users[role] = user
    return users


def _team(role: Role) -> str:
    if role in {Role.PRACTITIONER, Role.TEAM_MANAGER}:
        return DEMO_TEAM
    return FRONT_DOOR_TEAM if role == Role.FRONT_DOOR_OFFICER else ""


def demo_user(role: Role) -> User:
    return User.objects.get(username=demo_username(role))
