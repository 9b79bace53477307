"""A realistic synthetic directory for the synthetic city, as Open Referral UK documents.

Pure Python, deterministic: the same wards, seed and size give byte-identical documents (ids
are uuid5 of the seed and position, and every choice comes from one seeded generator).
Services cover every item of every capability area (domain brief §2), sit in the city's
wards at synthetic postcodes, and carry opening times (Saturdays and evenings included), age
ranges (over-60s included), costs, languages and accessibility. One service is always there
for the README's journey: Saturday debt advice for people over 60 (`JOURNEY_SERVICE_ID`).

Invented values are marked as such; the rest cite their source.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from upstream.directory import postcodes, taxonomy

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://upstream.invalid/directory/synthetic")
CITY = "Upstream"
REGION = "West Midlands"
# Assurance dates are spread over the two years before this fixed date, so a 12-month
# staleness queue holds about half the directory (fixed, not today: re-loading is idempotent).
REVIEW_REFERENCE = date(2026, 10, 1)
SERVICES_PER_ITEM = 7  # 46 items × 7 ≈ 320 services: "a few hundred" (issue 6)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # as upstream.synth.places (Royal Mail inward letters)
# Ofcom reserves 0121 496 0000–0999 for drama: realistic Birmingham-shaped numbers nobody has
# (Ofcom, "Telephone numbers for use in TV and radio drama").
DRAMA_NUMBER_PREFIX = "0121 496 0"
# Main languages other than English in Birmingham, Census 2021 (ONS TS024), with ISO 639-1
# codes; a service offers English and sometimes one or two of these.
LANGUAGES = [
    ("Urdu", "ur"),
    ("Punjabi", "pa"),
    ("Bengali", "bn"),
    ("Polish", "pl"),
    ("Arabic", "ar"),
    ("Somali", "so"),
    ("Romanian", "ro"),
]
VENUES = [
    "Community Centre",
    "Library",
    "Family Hub",
    "Health Centre",
    "Methodist Church Hall",
    "Leisure Centre",
    "Neighbourhood Office",
    "Youth Centre",
]
ACCESSIBILITY = [
    ("Step-free access", "Level entrance and a lift to every floor."),
    ("Hearing loop", "An induction loop at reception and in the meeting rooms."),
    ("Accessible toilet", "An accessible toilet on the ground floor."),
    ("Quiet room", "A quiet room is available if you need one; ask at reception."),
]
# (byday, opens, closes, freq, interval): weekday days, Saturdays, an evening, a monthly clinic.
SCHEDULE_PATTERNS = [
    ("MO,TU,WE,TH,FR", "09:00", "17:00", "WEEKLY", 1),
    ("MO,WE,FR", "10:00", "14:00", "WEEKLY", 1),
    ("TU,TH", "09:30", "12:30", "WEEKLY", 1),
    ("SA", "10:00", "13:00", "WEEKLY", 1),
    ("WE", "18:00", "20:00", "WEEKLY", 1),
    ("1SA", "10:00", "12:00", "MONTHLY", 1),
    ("MO,TU,WE,TH,FR,SA", "09:00", "16:00", "WEEKLY", 1),
    ("TH", "13:00", "16:00", "WEEKLY", 2),
]


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    description: str
    kind: str  # council, nhs, vcs, housing, faith


PROVIDERS = [
    Provider("council", "Upstream City Council", "The city council.", "council"),
    Provider(
        "nhs",
        "Upstream Community Health NHS Trust",
        "Community health services for the city.",
        "nhs",
    ),
    Provider(
        "advice",
        "Upstream Advice Network",
        "A charity giving free, confidential advice on money, debt, benefits and housing.",
        "vcs",
    ),
    Provider(
        "age",
        "Age Friendly Upstream",
        "A charity run by and for people over 60 in the city.",
        "vcs",
    ),
    Provider(
        "young",
        "Upstream Youth Partnership",
        "Youth work, careers and support for young people aged 11 to 29.",
        "vcs",
    ),
    Provider(
        "families",
        "Upstream Family Hubs",
        "Family hubs for parents, carers and children from pregnancy to 19 (25 with SEND).",
        "council",
    ),
    Provider(
        "homes",
        "Upstream Homes Housing Association",
        "A housing association with homes across the city.",
        "housing",
    ),
    Provider(
        "recovery",
        "New Leaf Recovery Service",
        "Free, confidential support with drugs and alcohol, for anyone who needs it.",
        "nhs",
    ),
    Provider(
        "safe",
        "Safe at Home Upstream",
        "Support for anyone affected by domestic abuse, and their children.",
        "vcs",
    ),
    Provider(
        "works",
        "Upstream Works",
        "The city's employment and skills service: jobs, training and apprenticeships.",
        "council",
    ),
    Provider(
        "faith",
        "Upstream Faith Network",
        "Churches, mosques, gurdwaras and temples working together for their neighbours.",
        "faith",
    ),
    Provider(
        "energy",
        "Warm Homes Upstream",
        "A community energy charity helping people keep warm for less.",
        "vcs",
    ),
]

# Per item: service name stems, a plain description and which providers run it.
OFFERS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "careers-16-29": (
        ("Careers advice drop-in", "Next Steps job club"),
        "One-to-one careers advice and help finding work, for young people aged 16 to 29.",
        ("young", "works"),
    ),
    "apprenticeships": (
        ("Apprenticeship hub", "Apprenticeship applications help"),
        "Find an apprenticeship and get help applying.",
        ("works",),
    ),
    "adult-education": (
        ("Adult learning courses", "English for speakers of other languages (ESOL)"),
        "Free and low-cost courses for adults, from English and maths to computing.",
        ("council", "works"),
    ),
    "employment-support": (
        ("Jobs and skills drop-in", "Work club"),
        "Help with CVs, job applications and interviews.",
        ("works", "faith"),
    ),
    "life-skills": (
        ("Reading and writing support", "Everyday skills group"),
        "Build confidence with reading, writing, budgeting and managing time.",
        ("works", "faith"),
    ),
    "early-years": (
        ("Baby clinic", "Health visitor drop-in"),
        "Weighing, feeding advice and health checks for babies and children under 5.",
        ("nhs", "families"),
    ),
    "sexual-health": (
        ("Sexual health clinic", "Contraception drop-in"),
        "Free, confidential testing, treatment and contraception.",
        ("nhs",),
    ),
    "sport-exercise": (
        ("Walking football", "Community fitness sessions"),
        "Friendly, low-cost exercise for all abilities.",
        ("council", "age"),
    ),
    "social-prescribing": (
        ("Social prescribing link worker", "Wellbeing connector"),
        "Time to talk about what matters to you and be connected to local groups and activities.",
        ("nhs",),
    ),
    "mental-health-advice": (
        ("Talking therapies", "Mental health drop-in"),
        "Free support for stress, anxiety and low mood.",
        ("nhs", "faith"),
    ),
    "health-literacy": (
        ("Health information café", "Understanding your medicines"),
        "Help understanding health letters, appointments and medicines.",
        ("nhs",),
    ),
    "school-nursing": (
        ("School nurse drop-in", "School health team"),
        "Confidential health advice for school-age children and young people.",
        ("nhs",),
    ),
    "leisure": (
        ("Leisure centre", "Swimming sessions"),
        "Swimming, gym and classes, with discounts for people on low incomes.",
        ("council",),
    ),
    "childcare": (
        ("Childcare and funded places advice", "Childminder network"),
        "Find childcare and check if you can get free or funded hours.",
        ("families",),
    ),
    "youth-clubs": (
        ("Youth club", "Friday night youth project"),
        "A safe place for young people to meet friends and try new things.",
        ("young",),
    ),
    "pre-school": (
        ("Stay and play", "Rhyme time"),
        "Play, songs and stories for under-fives with their parents or carers.",
        ("families", "council"),
    ),
    "libraries": (
        ("Library", "Library home delivery"),
        "Books, computers, free wifi and help to find information.",
        ("council",),
    ),
    "older-people": (
        ("Lunch club", "Friendship group for over-60s"),
        "A hot meal, company and activities for people over 60.",
        ("age", "faith"),
    ),
    "digital-inclusion": (
        ("Digital help drop-in", "Tablet lending and lessons"),
        "Help using phones, tablets, email and online forms.",
        ("council", "age"),
    ),
    "business-start-up": (
        ("Start your own business workshop", "Business start-up advice"),
        "Free advice and workshops on starting a business.",
        ("works",),
    ),
    "relationship-advice": (
        ("Relationship support", "Parenting together"),
        "Support for couples and parents to communicate and manage conflict.",
        ("families",),
    ),
    "housing-homelessness-advice": (
        ("Housing advice", "Homelessness prevention service"),
        "Advice if you are worried about losing your home or have nowhere to stay tonight.",
        ("council", "advice"),
    ),
    "benefits-help": (
        ("Benefits advice", "Universal Credit help"),
        "Check what you can claim and get help with forms and appeals.",
        ("advice",),
    ),
    "financial-help": (
        ("Debt advice", "Money advice and food bank referrals"),
        "Free, confidential advice on debt, budgeting and dealing with creditors.",
        ("advice", "faith"),
    ),
    "fuel-utility-advice": (
        ("Energy bills advice", "Water and energy help"),
        "Help with energy and water bills, meters and grants.",
        ("energy",),
    ),
    "neighbourhood-advice": (
        ("Neighbourhood advice centre", "Community advice surgery"),
        "Advice on any problem, and help to find the right service.",
        ("advice", "council"),
    ),
    "neet-support": (
        ("Youth employment coaching", "Back on track programme"),
        "Coaching for young people aged 15 to 29 who are not in work, education or training.",
        ("young",),
    ),
    "send-support": (
        ("SEND information and advice", "Early support for SEND"),
        "Support for children with special educational needs or disabilities, before an EHC plan.",
        ("families",),
    ),
    "support-6-16": (
        ("Targeted youth support", "Family support worker"),
        "Early help for children aged 6 to 16 and their families.",
        ("families", "young"),
    ),
    "team-around-school": (
        ("Team around the school", "School inclusion support"),
        "Help in school for children at risk of falling behind or being excluded.",
        ("families",),
    ),
    "preparation-adulthood": (
        ("Preparing for adulthood", "Transition support"),
        "Support for young people with additional needs moving into adult life.",
        ("families", "council"),
    ),
    "independent-at-home": (
        ("Home equipment and adaptations", "Telecare alarms"),
        "Equipment, alarms and adaptations so you can stay safe and independent at home.",
        ("council",),
    ),
    "adults-advice": (
        ("Adult social care advice", "Carers support"),
        "Information and advice for adults and carers about care and support.",
        ("council", "age"),
    ),
    "over-29-ill-health": (
        ("Work and health programme", "Back to work after illness"),
        "Support for people over 29 returning to work after illness or injury.",
        ("works", "nhs"),
    ),
    "drug-alcohol": (
        ("Drug and alcohol support", "Recovery café"),
        "Free, confidential support with drugs and alcohol.",
        ("recovery",),
    ),
    "domestic-abuse": (
        ("Domestic abuse support", "Domestic abuse outreach"),
        "Confidential support, safety planning and refuge referrals.",
        ("safe",),
    ),
    "fuel-poverty": (
        ("Warm homes advice", "Emergency fuel vouchers"),
        "Help if you cannot afford to heat your home, including emergency support.",
        ("energy", "advice"),
    ),
    "anti-social-behaviour": (
        ("Anti-social behaviour team", "Neighbourhood mediation"),
        "Report anti-social behaviour and get help to resolve disputes with neighbours.",
        ("council", "homes"),
    ),
    "youth-violence": (
        ("Youth violence prevention", "Knife crime awareness"),
        "Mentoring and support for young people at risk of violence or exploitation.",
        ("young",),
    ),
    "housing-options": (
        ("Housing options advice", "Housing register help"),
        "Advice on your housing options and help to join the housing register.",
        ("council",),
    ),
    "private-rented-access": (
        ("Rent deposit scheme", "Private renting help"),
        "Help with deposits and finding a private rented home.",
        ("council", "homes"),
    ),
    "social-housing": (
        ("Housing association lettings", "Social housing applications"),
        "Apply for a council or housing association home.",
        ("homes", "council"),
    ),
    "sustaining-tenancy": (
        ("Tenancy sustainment", "Rent arrears support"),
        "Help to keep your home if you are struggling with rent or your tenancy.",
        ("homes", "advice"),
    ),
    "supported-accommodation": (
        ("Supported housing", "Young people's supported accommodation"),
        "Housing with support for people who need help to live independently.",
        ("homes",),
    ),
}

JOURNEY_SERVICE_ID = uuid.uuid5(NAMESPACE, "journey/saturday-debt-advice-over-60s")


@dataclass(frozen=True)
class Place:
    ward: int
    ward_name: str
    postcode: str
    point: postcodes.Point


def directory_documents(
    ward_names: list[str], *, seed: int = 42, per_item: int = SERVICES_PER_ITEM
) -> list[dict[str, Any]]:
    """The whole synthetic directory as ORUK service documents, in a fixed order."""
    rng = random.Random(seed)
    documents = [journey_service(ward_names)]
    for area, item in taxonomy.all_items():
        for n in range(per_item):
            documents.append(_service(rng, seed, area, item, n, ward_names))
    return documents


def _service(
    rng: random.Random,
    seed: int,
    area: taxonomy.Area,
    item: taxonomy.Item,
    n: int,
    ward_names: list[str],
) -> dict[str, Any]:
    stems, description, provider_keys = OFFERS[item.slug]
    place = synthetic_place(rng, ward_names)
    provider = _provider(rng.choice(provider_keys))
    min_age, max_age, age_note = _ages(rng, item)
    sid = uuid.uuid5(NAMESPACE, f"service/{seed}/{item.slug}/{n}")
    name = f"{stems[n % len(stems)]}{age_note} – {place.ward_name}"
    byday, opens, closes, freq, interval = rng.choice(SCHEDULE_PATTERNS)
    document: dict[str, Any] = {
        "id": str(sid),
        "name": name,
        "description": f"{description} Run by {provider.name} in {place.ward_name}.",
        "status": "temporarily closed" if rng.random() < 0.03 else "active",
        "url": f"https://{provider.key}.upstream.example/{item.slug}",
        "email": f"{item.slug}.{place.ward_name.lower().replace(' ', '-')}@{provider.key}.upstream.example",
        "assured_date": (REVIEW_REFERENCE - timedelta(days=rng.randint(0, 730))).isoformat(),
        "assurer_email": "directory@upstream.example",
        "organization": _organization(provider),
        "schedules": [_schedule(sid, byday, opens, closes, freq, interval)],
        "service_areas": [_area(sid, place.ward_name)],
        "service_at_locations": [_service_at_location(rng, sid, place)],
        "languages": _languages(rng, sid),
        "cost_options": [_cost(rng, sid, provider)],
        "contacts": [_contact(sid, rng.randint(0, 999))],
        "attributes": [_attribute(sid, item.slug)],
        "eligibility_description": _eligibility(min_age, max_age),
    }
    if min_age is not None:
        document["minimum_age"] = min_age
    if max_age is not None:
        document["maximum_age"] = max_age
    return document


def journey_service(ward_names: list[str]) -> dict[str, Any]:
    """Saturday debt advice for over-60s in the first ward: the README's citizen journey."""
    sid = JOURNEY_SERVICE_ID
    rng = random.Random(0)
    place = synthetic_place(rng, ward_names[:1])
    provider = _provider("age")
    return {
        "id": str(sid),
        "name": f"Saturday debt advice for over-60s – {place.ward_name}",
        "description": (
            "Free, confidential help with debts, bills and budgeting for people aged 60 and "
            "over. Come along on a Saturday morning: no appointment needed. Run by Age Friendly "
            "Upstream with the Upstream Advice Network."
        ),
        "status": "active",
        "url": "https://age.upstream.example/debt-advice",
        "email": "debt-advice@age.upstream.example",
        "minimum_age": 60,
        "eligibility_description": _eligibility(60, None),
        "assured_date": (REVIEW_REFERENCE - timedelta(days=30)).isoformat(),
        "assurer_email": "directory@upstream.example",
        "organization": _organization(provider),
        "schedules": [_schedule(sid, "SA", "10:00", "13:00", "WEEKLY", 1)],
        "service_areas": [_area(sid, None)],
        "service_at_locations": [_service_at_location(rng, sid, place, venue="Community Centre")],
        "languages": [_language(sid, "English", "en"), _language(sid, "Urdu", "ur", 1)],
        "cost_options": [_free(sid)],
        "contacts": [_contact(sid, 60)],
        "attributes": [_attribute(sid, "financial-help"), _attribute(sid, "older-people")],
    }


def synthetic_place(rng: random.Random, ward_names: list[str]) -> Place:
    ward = rng.randrange(len(ward_names))
    district = ward * 2 + rng.choice((1, 2))
    inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    code = f"{postcodes.AREA}{district} {inward}"
    return Place(ward, ward_names[ward], code, postcodes.point_for(code))


def _provider(key: str) -> Provider:
    return next(p for p in PROVIDERS if p.key == key)


def _ages(rng: random.Random, item: taxonomy.Item) -> tuple[int | None, int | None, str]:
    """The item's ages; some adult services are just for over-60s (a third of adult advice
    and support offers locally run a session for older people: an invented share)."""
    if (item.min_age or 0) >= 16 and item.max_age is None and rng.random() < 0.33:
        return 60, None, " for over-60s"
    return item.min_age, item.max_age, ""


def _eligibility(min_age: int | None, max_age: int | None) -> str:
    if min_age and max_age:
        who = f"People aged {min_age} to {max_age}"
    elif min_age:
        who = f"People aged {min_age} and over"
    elif max_age is not None:
        who = f"Children and young people up to {max_age}"
    else:
        who = "Anyone"
    return f"{who} living, working or studying in {CITY}."


def _id(sid: uuid.UUID, kind: str, n: int = 0) -> str:
    return str(uuid.uuid5(sid, f"{kind}/{n}"))


def _organization(provider: Provider) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"organization/{provider.key}")),
        "name": provider.name,
        "description": provider.description,
        "website": f"https://{provider.key}.upstream.example/",
        "email": f"hello@{provider.key}.upstream.example",
    }


def _schedule(
    sid: uuid.UUID, byday: str, opens: str, closes: str, freq: str, interval: int
) -> dict[str, Any]:
    return {
        "id": _id(sid, "schedule"),
        "freq": freq,
        "interval": interval,
        "byday": byday,
        "opens_at": f"{opens}:00",
        "closes_at": f"{closes}:00",
        "valid_from": "2024-04-01",
        "attending_type": "in person",
        "notes": "Closed on bank holidays.",
    }


def _area(sid: uuid.UUID, ward_name: str | None) -> dict[str, Any]:
    name = f"{ward_name} ward" if ward_name else f"All of {CITY}"
    return {"id": _id(sid, "area"), "name": name, "service_area": f"People in {name}."}


def _service_at_location(
    rng: random.Random, sid: uuid.UUID, place: Place, venue: str = ""
) -> dict[str, Any]:
    venue = venue or rng.choice(VENUES)
    location_id = _id(sid, "location")
    accessible = rng.sample(ACCESSIBILITY, rng.randint(1, 3))
    return {
        "id": _id(sid, "service_at_location"),
        "location": {
            "id": location_id,
            "location_type": "physical",
            "name": f"{place.ward_name} {venue}",
            "latitude": place.point.latitude,
            "longitude": place.point.longitude,
            "addresses": [
                {
                    "id": _id(sid, "address"),
                    "address_1": f"{rng.randint(1, 120)} {place.ward_name} Road",
                    "city": CITY,
                    "state_province": REGION,
                    "postal_code": place.postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
            "accessibility": [
                {"id": _id(sid, "accessibility", i), "description": d, "details": details}
                for i, (d, details) in enumerate(accessible)
            ],
        },
    }


def _languages(rng: random.Random, sid: uuid.UUID) -> list[dict[str, Any]]:
    chosen = rng.sample(LANGUAGES, rng.choice((0, 0, 1, 2)))
    return [_language(sid, "English", "en")] + [
        _language(sid, name, code, i + 1) for i, (name, code) in enumerate(chosen)
    ]


def _language(sid: uuid.UUID, name: str, code: str, n: int = 0) -> dict[str, Any]:
    return {"id": _id(sid, "language", n), "name": name, "code": code}


def _cost(rng: random.Random, sid: uuid.UUID, provider: Provider) -> dict[str, Any]:
    # Most community services are free; some sessions cost a few pounds (invented amounts).
    if provider.kind in {"council", "nhs"} or rng.random() < 0.75:
        return _free(sid)
    amount = rng.choice((1.5, 2, 3, 4, 5))
    return {
        "id": _id(sid, "cost"),
        "option": "Per session",
        "amount": amount,
        "amount_description": f"£{amount:.2f} a session; free if you get a means-tested benefit",
    }


def _free(sid: uuid.UUID) -> dict[str, Any]:
    return {"id": _id(sid, "cost"), "option": "Free", "amount": 0, "amount_description": "Free"}


def _contact(sid: uuid.UUID, n: int) -> dict[str, Any]:
    return {
        "id": _id(sid, "contact"),
        "name": "Reception",
        "phones": [{"id": _id(sid, "phone"), "number": f"{DRAMA_NUMBER_PREFIX}{n:03d}"}],
    }


def _attribute(sid: uuid.UUID, slug: str) -> dict[str, Any]:
    area = next(a for a in taxonomy.AREAS if any(i.slug == slug for i in a.items))
    item = taxonomy.item_by_slug(slug)
    return {
        "id": _id(sid, "attribute/" + slug),
        "link_type": "need",
        "taxonomy_term_id": str(taxonomy.term_id(slug)),
        "taxonomy_term": {
            "id": str(taxonomy.term_id(slug)),
            "name": item.name,
            "description": f"{item.name}, in {area.name}",
            "parent_id": str(taxonomy.term_id(area.slug)),
            "taxonomy": taxonomy.TAXONOMY_NAME,
            "taxonomy_id": str(taxonomy.TAXONOMY_ID),
            "term": slug,
        },
    }
