"""Purposes for which personal data may be used, and which roles may use each.

Pure Python (no Django), so the CLI and docs can list them. A dataset's permitted uses pair a
purpose with the roles allowed to use it for that purpose (UK GDPR Art 5(1)(b), purpose
limitation); a view shows only the sources whose permitted uses cover the viewer's role and
purpose.
"""

from __future__ import annotations

from enum import StrEnum

from upstream.accounts.roles import Role


class Purpose(StrEnum):
    DIRECT_SUPPORT = "direct_support"
    SAFEGUARDING = "safeguarding"
    TRIAGE = "triage"
    ANALYSIS = "analysis"
    SUBJECT_ACCESS = "subject_access"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.DIRECT_SUPPORT: "Supporting a person or household you work with",
    Purpose.SAFEGUARDING: "Safeguarding: keeping a child or adult safe from harm",
    Purpose.TRIAGE: "Front door: taking a request for help and connecting to help",
    Purpose.ANALYSIS: "Pseudonymised analysis of need and cost",
    Purpose.SUBJECT_ACCESS: "Answering a subject-access request",
}

# The purposes each role may work under; the first is the one used by default.
ROLE_PURPOSES: dict[Role, tuple[Purpose, ...]] = {
    Role.PRACTITIONER: (Purpose.DIRECT_SUPPORT, Purpose.SAFEGUARDING),
    Role.TEAM_MANAGER: (Purpose.DIRECT_SUPPORT, Purpose.SAFEGUARDING),
    Role.FRONT_DOOR_OFFICER: (Purpose.TRIAGE, Purpose.SAFEGUARDING),
    Role.ANALYST: (Purpose.ANALYSIS,),
    Role.DATA_PROTECTION_OFFICER: (Purpose.SUBJECT_ACCESS,),
    Role.CITIZEN: (),
    Role.COMMISSIONER: (),
    Role.ADMINISTRATOR: (),
    Role.PARTNER_PROFESSIONAL: (),
    Role.SERVICE_PROVIDER: (),
}


def purposes_for(role: Role) -> tuple[Purpose, ...]:
    return ROLE_PURPOSES[role]


def default_purpose(role: Role) -> Purpose | None:
    purposes = ROLE_PURPOSES[role]
    return purposes[0] if purposes else None


def may_use(role: Role, purpose: Purpose) -> bool:
    return purpose in ROLE_PURPOSES[role]
