"""Upstream's own taxonomy: the capability areas and items of the domain brief §2.

Pure data, no Django. Areas are top-level terms, items are their children. Each term has a
plain name for the citizen search page (the domain brief §6: plain words) and a stable UUID
(uuid5 of its slug), so every deployment and every export gives a term the same id.
Synonyms are the words other ORUK feeds use for the same need: an imported service tagged
"Debt advice" in any taxonomy is found under our "Financial help" too (see `TermMapping`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://upstream.invalid/taxonomy/capability")
TAXONOMY_NAME = "Upstream capability areas"
TAXONOMY_DESCRIPTION = (
    "The community offer by capability area and item, from Upstream's domain brief §2: "
    "universal support (self-service and mediated) and targeted support (triage and "
    "coordinated)."
)
TAXONOMY_VERSION = "1"
# Any feed's taxonomy: synonyms match a term name whatever taxonomy the feed says it is from.
ANY_TAXONOMY = "*"


@dataclass(frozen=True)
class Item:
    slug: str
    name: str
    plain_name: str
    min_age: int | None = None
    max_age: int | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    plain_name: str
    tier: str  # "universal" or "targeted"
    items: tuple[Item, ...] = field(default_factory=tuple)


AREAS: tuple[Area, ...] = (
    Area(
        "employability",
        "Employability",
        "Work, training and skills",
        "universal",
        (
            Item(
                "careers-16-29",
                "Careers advice and unemployment support for 16–29s",
                "Careers advice and job help for young people (16 to 29)",
                16,
                29,
                ("Careers advice", "Youth employment"),
            ),
            Item(
                "apprenticeships",
                "Apprenticeships",
                "Apprenticeships",
                16,
                None,
                ("Apprenticeships",),
            ),
            Item(
                "adult-education",
                "Adult education",
                "Courses and learning for adults",
                19,
                None,
                ("Adult learning", "Adult education"),
            ),
            Item(
                "employment-support",
                "Employment support",
                "Help to find work",
                16,
                None,
                ("Employment support", "Job search"),
            ),
            Item(
                "life-skills",
                "Life skills (literacy, time management)",
                "Reading, writing and everyday skills",
                16,
                None,
                ("Literacy", "Life skills"),
            ),
        ),
    ),
    Area(
        "health-wellbeing",
        "Health and wellbeing",
        "Health and wellbeing",
        "universal",
        (
            Item(
                "early-years",
                "Early years (0–5)",
                "Babies and young children (0 to 5)",
                0,
                5,
                ("Early years", "Family hubs"),
            ),
            Item("sexual-health", "Sexual health", "Sexual health", 13, None, ("Sexual health",)),
            Item(
                "sport-exercise",
                "Sport and exercise",
                "Sport and exercise",
                None,
                None,
                ("Sport", "Physical activity"),
            ),
            Item(
                "social-prescribing",
                "Social prescribing",
                "Social prescribing (link workers)",
                18,
                None,
                ("Social prescribing",),
            ),
            Item(
                "mental-health-advice",
                "Mental health advice",
                "Mental health support",
                None,
                None,
                ("Mental health", "Counselling"),
            ),
            Item(
                "health-literacy",
                "Health literacy",
                "Understanding health information",
                None,
                None,
                ("Health literacy",),
            ),
            Item(
                "school-nursing",
                "School nursing",
                "School nurses",
                5,
                19,
                ("School nursing",),
            ),
            Item("leisure", "Leisure", "Leisure centres and activities", None, None, ("Leisure",)),
        ),
    ),
    Area(
        "community-inclusion",
        "Community inclusion",
        "Community, family and social life",
        "universal",
        (
            Item("childcare", "Childcare", "Childcare", 0, 14, ("Childcare",)),
            Item("youth-clubs", "Youth clubs", "Youth clubs", 11, 19, ("Youth clubs",)),
            Item(
                "pre-school",
                "Pre-school activities",
                "Activities for under-fives",
                0,
                5,
                ("Stay and play", "Pre-school"),
            ),
            Item("libraries", "Libraries", "Libraries", None, None, ("Libraries",)),
            Item(
                "older-people",
                "Older people's activities",
                "Activities for older people",
                60,
                None,
                ("Older people", "Lunch clubs"),
            ),
            Item(
                "digital-inclusion",
                "Digital inclusion",
                "Help using computers, phones and the internet",
                None,
                None,
                ("Digital inclusion", "Digital skills"),
            ),
            Item(
                "business-start-up",
                "Business start-up help",
                "Help to start a business",
                18,
                None,
                ("Business support",),
            ),
            Item(
                "relationship-advice",
                "Relationship advice",
                "Relationship and family advice",
                16,
                None,
                ("Relationship advice", "Parenting support"),
            ),
        ),
    ),
    Area(
        "housing-money-advice",
        "Housing and money advice",
        "Housing and money advice",
        "universal",
        (
            Item(
                "housing-homelessness-advice",
                "Housing and homelessness advice",
                "Housing advice and help if you are homeless",
                16,
                None,
                ("Housing advice", "Homelessness"),
            ),
            Item(
                "benefits-help",
                "Benefits help",
                "Help with benefits",
                16,
                None,
                ("Benefits advice", "Welfare rights"),
            ),
            Item(
                "financial-help",
                "Financial help",
                "Help with money and debt",
                16,
                None,
                ("Debt advice", "Money advice", "Debt", "Food bank"),
            ),
            Item(
                "fuel-utility-advice",
                "Fuel and utility advice",
                "Help with energy and water bills",
                16,
                None,
                ("Energy advice", "Utility advice"),
            ),
            Item(
                "neighbourhood-advice",
                "Neighbourhood advice",
                "Advice centres in your neighbourhood",
                None,
                None,
                ("Advice centre", "Citizens advice"),
            ),
        ),
    ),
    Area(
        "citizen-support",
        "Citizen support",
        "Extra support for people and families",
        "targeted",
        (
            Item(
                "neet-support",
                "NEET support (15–29)",
                "Support for young people not in work, education or training (15 to 29)",
                15,
                29,
                ("NEET",),
            ),
            Item(
                "send-support",
                "SEND support before an EHC plan",
                "Support for children with special educational needs or disabilities",
                0,
                25,
                ("SEND", "Special educational needs"),
            ),
            Item(
                "support-6-16",
                "6–16 support",
                "Support for children and young people (6 to 16)",
                6,
                16,
                ("Targeted youth support",),
            ),
            Item(
                "team-around-school",
                "Team around the school",
                "Support in schools",
                4,
                18,
                ("Team around the school",),
            ),
            Item(
                "preparation-adulthood",
                "Preparation for adulthood",
                "Preparing for adult life",
                14,
                25,
                ("Preparation for adulthood", "Transition"),
            ),
            Item(
                "independent-at-home",
                "Staying independent at home (technology-enabled care, equipment, adaptations)",
                "Staying independent at home: equipment, alarms and adaptations",
                18,
                None,
                ("Telecare", "Home adaptations", "Equipment"),
            ),
            Item(
                "adults-advice",
                "Adults' advice and guidance",
                "Advice for adults and carers",
                18,
                None,
                ("Adult social care advice", "Carers"),
            ),
            Item(
                "over-29-ill-health",
                "Support for over-29s out of work through ill health",
                "Back to work after illness (over 29)",
                30,
                None,
                ("Work and health",),
            ),
        ),
    ),
    Area(
        "citizen-safety",
        "Citizen safety",
        "Safety and staying well",
        "targeted",
        (
            Item(
                "drug-alcohol",
                "Drug and alcohol support",
                "Help with drugs or alcohol",
                None,
                None,
                ("Substance misuse", "Drug and alcohol"),
            ),
            Item(
                "domestic-abuse",
                "Domestic abuse support",
                "Help with domestic abuse",
                None,
                None,
                ("Domestic abuse", "Domestic violence"),
            ),
            Item(
                "fuel-poverty",
                "Fuel poverty",
                "Help if you cannot afford to heat your home",
                None,
                None,
                ("Fuel poverty", "Warm homes"),
            ),
            Item(
                "anti-social-behaviour",
                "Anti-social behaviour",
                "Anti-social behaviour",
                None,
                None,
                ("Anti-social behaviour",),
            ),
            Item(
                "youth-violence",
                "Youth violence and knife crime",
                "Youth violence and knife crime",
                10,
                25,
                ("Knife crime", "Youth violence"),
            ),
        ),
    ),
    Area(
        "housing-support",
        "Housing support",
        "Finding and keeping a home",
        "targeted",
        (
            Item(
                "housing-options",
                "Housing options",
                "Housing options",
                16,
                None,
                ("Housing options",),
            ),
            Item(
                "private-rented-access",
                "Private rented sector access",
                "Help to rent privately",
                18,
                None,
                ("Private renting", "Rent deposit"),
            ),
            Item(
                "social-housing",
                "Social housing",
                "Council and housing association homes",
                16,
                None,
                ("Social housing",),
            ),
            Item(
                "sustaining-tenancy",
                "Sustaining a tenancy",
                "Help to keep your home",
                16,
                None,
                ("Tenancy support",),
            ),
            Item(
                "supported-accommodation",
                "Supported accommodation",
                "Supported housing",
                16,
                None,
                ("Supported accommodation", "Supported housing"),
            ),
        ),
    ),
)


def term_id(slug: str) -> uuid.UUID:
    """A term's stable id: the same in every deployment and every export."""
    return uuid.uuid5(TAXONOMY_ID, slug)


def all_items() -> list[tuple[Area, Item]]:
    return [(area, item) for area in AREAS for item in area.items]


def item_by_slug(slug: str) -> Item:
    for _, item in all_items():
        if item.slug == slug:
            return item
    raise KeyError(slug)
