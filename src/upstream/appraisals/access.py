"""Who may do what here. No personal data is involved: the roles follow need-to-know for the
work itself (domain brief §1). Commissioners build, save, upload and appraise business cases;
analysts also read the libraries they supply evidence to; the example appraisals stay readable
by the roles that read them before this app existed (commissioners, analysts, administrators).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from upstream.accounts.roles import Role

REPORT_READERS = frozenset({Role.COMMISSIONER, Role.ANALYST, Role.ADMINISTRATOR})
LIBRARY_READERS = frozenset({Role.COMMISSIONER, Role.ANALYST})
CASE_WRITERS = frozenset({Role.COMMISSIONER})

REFUSALS = {
    REPORT_READERS: "Business cases are for commissioners and analysts.",
    LIBRARY_READERS: "The what-works and unit-cost libraries are for commissioners and analysts.",
    CASE_WRITERS: "Building and appraising business cases is for commissioners.",
}


def role_of(request: HttpRequest) -> Role:
    return Role(request.user.role)  # type: ignore[union-attr]


def require(request: HttpRequest, roles: frozenset[Role]) -> Role:
    """The person's role, or a 403 page saying who the page is for."""
    role = role_of(request)
    if role not in roles:
        raise PermissionDenied(REFUSALS[roles])
    return role


def may(request: HttpRequest, roles: frozenset[Role]) -> bool:
    return role_of(request) in roles
