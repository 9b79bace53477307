"""Who may do what in the directory.

Anyone may search the directory and read a service: citizens find help themselves (domain
brief §1), signed in or not. Editing is for directory editors: administrators, and anyone
given the `directory.change_service` permission (say, a partner's directory officer whose
role is otherwise a practitioner's). Connecting a person to a service is for the roles that
hold conversation 1 with people.
"""

from __future__ import annotations

from typing import Any

from upstream.accounts.roles import Role

EDITOR_PERMISSION = "directory.change_service"
EDITOR_ROLES = frozenset({Role.ADMINISTRATOR})
CONNECTOR_ROLES = frozenset({Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER, Role.TEAM_MANAGER})


def can_edit_directory(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Role(user.role) in EDITOR_ROLES or bool(user.has_perm(EDITOR_PERMISSION))


def can_connect_people(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and Role(user.role) in CONNECTOR_ROLES)
