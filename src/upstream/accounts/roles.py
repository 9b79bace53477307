"""The roles people work in (domain brief §1), and what each one sees in the navigation.

Pure Python, no Django imports, so the role list can be used by the CLI and docs too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    FRONT_DOOR_OFFICER = "front_door_officer"
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team_manager"
    ANALYST = "analyst"
    COMMISSIONER = "commissioner"
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    ADMINISTRATOR = "administrator"
    # Partner organisations (issue 12): tied to their organisation in the directory.
    PARTNER_PROFESSIONAL = "partner_professional"
    SERVICE_PROVIDER = "service_provider"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def purpose(self) -> str:
        return ROLE_PURPOSES[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CITIZEN: "Citizen",
    Role.FRONT_DOOR_OFFICER: "Front-door officer",
    Role.PRACTITIONER: "Practitioner",
    Role.TEAM_MANAGER: "Team manager",
    Role.ANALYST: "Insight analyst",
    Role.COMMISSIONER: "Commissioner",
    Role.DATA_PROTECTION_OFFICER: "Data protection officer",
    Role.ADMINISTRATOR: "Administrator",
    Role.PARTNER_PROFESSIONAL: "Partner professional",
    Role.SERVICE_PROVIDER: "Service provider",
}

# What each role needs from Upstream, in the words of the domain brief §1.
ROLE_PURPOSES: dict[Role, str] = {
    Role.CITIZEN: "Find help yourself and follow your requests for help.",
    Role.FRONT_DOOR_OFFICER: "Take any request for help, see what is already known, and connect people to help.",
    Role.PRACTITIONER: "Work with the people and households you support: their story across agencies, conversations, plans and reviews.",
    Role.TEAM_MANAGER: "Allocate work, keep waiting lists moving, approve plans and follow your team's measures.",
    Role.ANALYST: "Bring agency data together, link people and households, find cohorts and measure the cost of need.",
    Role.COMMISSIONER: "See what works, what it costs, who pays and who benefits, and build the business case.",
    Role.DATA_PROTECTION_OFFICER: "Check the lawful basis for every dataset and see who looked at whose record and why.",
    Role.ADMINISTRATOR: "Manage accounts, roles and settings.",
    Role.PARTNER_PROFESSIONAL: "Refer the people you work with for help, and follow your referrals.",
    Role.SERVICE_PROVIDER: "Answer the connections people are sent to your service with.",
}


# The team front-door officers work in: requests they are taking are the team's working
# relationship with the person (upstream.frontdoor.routing), so any officer can pick one up.
FRONT_DOOR_TEAM = "Front door"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]


# The navigation, in order. Each capability adds its own pages here with the roles that need
# them; a role sees only the items listed for it (need-to-know starts with what is offered).
NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", frozenset(Role)),
    NavItem(
        "Synthetic city",
        "city",
        frozenset(
            {Role.ANALYST, Role.COMMISSIONER, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR}
        ),
    ),
    NavItem(
        "Business cases",
        "appraisals:index",
        frozenset({Role.COMMISSIONER, Role.ANALYST, Role.ADMINISTRATOR}),
    ),
    # The evidence and cost libraries (issue 19): commissioners build cases from them, analysts
    # supply them (upstream.appraisals.access).
    NavItem("What works", "appraisals:what-works", frozenset({Role.COMMISSIONER, Role.ANALYST})),
    NavItem("Unit costs", "appraisals:unit-costs", frozenset({Role.COMMISSIONER, Role.ANALYST})),
    NavItem(
        "Find help",
        "directory:search",
        frozenset({Role.CITIZEN, Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER}),
    ),
    # Directory editors: administrators, and anyone given the directory.change_service
    # permission (upstream.directory.permissions), who reach it from the Find help pages.
    NavItem("Directory editing", "directory:editor", frozenset({Role.ADMINISTRATOR})),
    # Casework and governance (issue 5): need-to-know starts with who is offered the page.
    NavItem(
        "Find a person",
        "casework:find",
        frozenset(
            {
                Role.FRONT_DOOR_OFFICER,
                Role.PRACTITIONER,
                Role.TEAM_MANAGER,
                Role.ANALYST,
                Role.DATA_PROTECTION_OFFICER,
            }
        ),
    ),
    # The front door (issue 12): the queue, taking requests, waiting lists and safeguarding.
    NavItem(
        "Front-door queue",
        "frontdoor:queue",
        frozenset({Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER}),
    ),
    NavItem(
        "Take a request",
        "frontdoor:new",
        frozenset({Role.FRONT_DOOR_OFFICER, Role.PRACTITIONER, Role.TEAM_MANAGER}),
    ),
    # The waiting list people are picked up from (issue 13: conversations); the front door's
    # read-only list stays at /front-door/waiting-list/.
    NavItem(
        "Waiting list", "conversations:waiting", frozenset({Role.TEAM_MANAGER, Role.PRACTITIONER})
    ),
    NavItem("Safeguarding", "frontdoor:safeguarding", frozenset({Role.TEAM_MANAGER})),
    NavItem(
        "Unanswered connections",
        "frontdoor:overdue",
        frozenset({Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER}),
    ),
    NavItem(
        "Front-door measures",
        "frontdoor:measures",
        frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER, Role.ANALYST}),
    ),
    NavItem("Caseload", "casework:caseload", frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})),
    # Three Conversations (issue 13): the worker's own conversations and the team's.
    NavItem(
        "My conversations", "conversations:mine", frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
    ),
    NavItem("Team conversations", "conversations:team", frozenset({Role.TEAM_MANAGER})),
    # Reviews and the day's overdue work (issue 13): what is due surfaces to its owner each day.
    NavItem("Due today", "reviews:due", frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})),
    NavItem("Reviews", "reviews:list", frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})),
    # Team around the family (issue 13): key workers' plans, and every member's own actions.
    NavItem(
        "Family plans",
        "families:plans",
        frozenset(
            {
                Role.PRACTITIONER,
                Role.TEAM_MANAGER,
                Role.PARTNER_PROFESSIONAL,
                Role.SERVICE_PROVIDER,
            }
        ),
    ),
    NavItem(
        "Family plan actions",
        "families:my-actions",
        frozenset(
            {
                Role.PRACTITIONER,
                Role.TEAM_MANAGER,
                Role.PARTNER_PROFESSIONAL,
                Role.SERVICE_PROVIDER,
            }
        ),
    ),
    # Three Conversations (issue 13): the team's measures, month by month.
    NavItem(
        "Team measures",
        "conv_measures:page",
        frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER}),
    ),
    # Citizens and partner professionals at the front door (issue 12): ask, refer and follow.
    NavItem("Ask for help", "frontdoor_public:ask", frozenset({Role.CITIZEN})),
    NavItem("Your requests", "frontdoor_public:my-requests", frozenset({Role.CITIZEN})),
    NavItem("Refer someone", "frontdoor_public:refer", frozenset({Role.PARTNER_PROFESSIONAL})),
    NavItem("Referrals", "frontdoor_public:referrals", frozenset({Role.PARTNER_PROFESSIONAL})),
    # Service providers (issue 12): the connections sent to their organisation.
    NavItem("Incoming connections", "provider:incoming", frozenset({Role.SERVICE_PROVIDER})),
    NavItem("Audit log", "governance:audit", frozenset({Role.DATA_PROTECTION_OFFICER})),
    NavItem("Reasons to review", "governance:reasons", frozenset({Role.DATA_PROTECTION_OFFICER})),
    NavItem(
        "Subject access",
        "governance:subject-access-start",
        frozenset({Role.DATA_PROTECTION_OFFICER}),
    ),
    NavItem("Datasets", "governance:datasets", frozenset({Role.DATA_PROTECTION_OFFICER})),
    # Identification (issue 7): cohort reports for analysts, transparency for the DPO.
    NavItem("Cohorts", "flags:cohorts", frozenset({Role.ANALYST})),
    NavItem("Transparency", "flags:transparency", frozenset({Role.DATA_PROTECTION_OFFICER})),
]


def navigation_for(role: Role) -> list[NavItem]:
    """The navigation items a person in this role sees, in order."""
    return [item for item in NAVIGATION if role in item.roles]
