"""The mixes a synthetic year of front-door activity is drawn from, each with its source.

Pure data. Where a figure comes from a published source it is cited; where no source gives
the figure, it is marked as invented and kept within what the sources describe, so that a
council would recognise the shape (phone still the largest channel, most requests resolved
with information or a community service, a few per cent safeguarding concerns). Need slugs
are the directory taxonomy's (`upstream.directory.taxonomy`); synth may not import it, so the
job that runs the generator passes the taxonomy in and the generator refuses unknown slugs.
"""

from __future__ import annotations

# Volume: a large city's adult front door takes about 8,000 contacts a month for 1.1 million
# people (issue 12, from Birmingham's adult social care front door); the synthetic city's
# front door takes contacts in the same proportion to its population.
CONTACTS_PER_PERSON_MONTH = 8_000 / 1_100_000
# Contacts that are a later ask about an open request (joined to it, not a new request).
# Invented: a few per cent, within the "chasing" contacts councils' customer-access
# strategies describe as avoidable demand.
JOINED_SHARE = 0.06

# How requests arrive. Invented within the shape of council customer-access strategies
# (e.g. South Hams and West Devon, Customer Access Strategy update, March 2023; Rushcliffe,
# Customer Access Strategy 2022): the phone is still the largest channel, the web the one
# growing, face to face kept for those who need it; partner referrals (GPs, police, schools,
# hospitals) are about a fifth of an adult front door's contacts.
CHANNELS = {
    "phone": 0.45,
    "web": 0.22,
    "partner": 0.18,
    "face_to_face": 0.09,
    "proactive": 0.06,
}
# Where a face-to-face request is taken (the places: hub, library, GP surgery…).
FACE_TO_FACE_PLACES = {
    "community_hub": 0.45,
    "library": 0.25,
    "gp_surgery": 0.15,
    "contact_centre": 0.15,
}
PROACTIVE_PLACES = {"home_visit": 0.6, "other": 0.4}
# Who asks, by channel (invented: family and friends call for older relatives and children).
ASKED_BY = {
    "phone": {"person": 0.62, "family_or_friend": 0.33, "professional": 0.05},
    "web": {"person": 0.76, "family_or_friend": 0.24},
    "face_to_face": {"person": 0.8, "family_or_friend": 0.2},
    "partner": {"professional": 1.0},
    "proactive": {"professional": 1.0},
}
RELATIONSHIPS = ("Daughter", "Son", "Mother", "Father", "Neighbour", "Friend", "Partner", "Carer")

# Whom requests are for, by age band: weights per resident (invented). Older people and
# families with young children ask most; an adult front door's contacts are mostly about
# people over 65 (NHS Digital, Adult Social Care Activity and Finance Report 2022-23: about
# two thirds of requests for support from new clients are for people 65 and over), and the
# issue's front door takes every age.
AGE_WEIGHTS = ((0, 1.0), (16, 1.3), (25, 1.0), (65, 2.6), (80, 4.0))
# People flagged by identification (`upstream identify`) have needs: they ask more often.
FLAGGED_WEIGHT = 1.5
# A request is for someone not found in Find a person: kept as given (a provisional person).
# Invented; half are a known person under another spelling or address (the next linkage run
# matches them), half people the city's agencies have never recorded.
PROVISIONAL_SHARE = 0.07
PROVISIONAL_KNOWN_SHARE = 0.5
# A repeat request: the person asked within the last 12 months. Issue 12 puts it at 10-15% at
# a front door that resolves well; Harrow's adult front door saw repeats fall from a third to a
# quarter under Three Conversations (Partners 4 Change, "The Three Conversations in Harrow").
REPEAT_SHARE = 0.12

# Presenting needs: weights per directory taxonomy item (invented, shaped by what front doors
# report most: money, benefits and housing advice, living independently at home, mental
# health; then families, work, safety), and tuned so the front door's own triage rules send
# about 60% of requests down the universal route: "60-70% resolved at first contact or with
# universal help" in Three Conversations sites (issue 12, from Partners 4 Change's reports).
# Age limits come from the taxonomy itself.
NEEDS = {
    "benefits-help": 12.0,
    "financial-help": 12.0,
    "mental-health-advice": 8.0,
    "housing-homelessness-advice": 7.0,
    "older-people": 6.0,
    "fuel-utility-advice": 6.0,
    "independent-at-home": 5.0,
    "employment-support": 5.0,
    "social-prescribing": 4.0,
    "adults-advice": 2.0,
    "digital-inclusion": 3.0,
    "early-years": 2.0,
    "childcare": 2.0,
    "careers-16-29": 2.0,
    "housing-options": 2.0,
    "adult-education": 1.5,
    "over-29-ill-health": 1.0,
    "drug-alcohol": 1.5,
    "domestic-abuse": 1.5,
    "support-6-16": 1.0,
    "send-support": 1.0,
    "anti-social-behaviour": 1.0,
    "sustaining-tenancy": 1.5,
    "neet-support": 1.0,
    "fuel-poverty": 0.5,
    "social-housing": 1.0,
    "youth-clubs": 1.0,
    "relationship-advice": 1.0,
    "neighbourhood-advice": 1.0,
    "team-around-school": 0.5,
    "youth-violence": 0.5,
    "private-rented-access": 0.5,
    "supported-accommodation": 0.5,
    "sport-exercise": 0.5,
    "leisure": 0.5,
    "libraries": 0.5,
}
# How many needs a request names (invented: most one or two).
NEED_COUNTS = {1: 0.75, 2: 0.2, 3: 0.05}
URGENCY = {"routine": 0.7, "soon": 0.22, "urgent": 0.08}
PREFERRED_CONTACT = {"phone": 0.6, "email": 0.18, "text": 0.14, "letter": 0.03, "in_person": 0.05}
WEB_PREFERRED_CONTACT = {"email": 0.55, "phone": 0.3, "text": 0.15}
# Main languages other than English in Birmingham (Census 2021, ONS TS024), as the synthetic
# directory offers them; about one request in ten is in another language (invented, below
# the 13% of Birmingham residents whose main language is not English).
OTHER_LANGUAGE_SHARE = 0.1
LANGUAGES = ("Urdu", "Punjabi", "Bengali", "Polish", "Arabic", "Somali", "Romanian")
ACCESSIBILITY_SHARE = 0.08
ACCESSIBILITY = (
    "Uses a wheelchair: step-free access needed",
    "Hard of hearing: prefers text messages",
    "Needs letters in large print",
    "Needs an interpreter at appointments",
    "Has a learning disability: easy-read information, please",
    "Partially sighted: phone calls rather than letters",
)

# What matters, in the person's words, by need (invented, written as people say it).
WHAT_MATTERS = {
    "benefits-help": (
        "I've been moved onto Universal Credit and don't know if I'm getting what I should",
        "My PIP was stopped and I can't afford the basics now",
    ),
    "financial-help": (
        "I'm behind on the rent and the council tax and the letters keep coming",
        "I've had to use the food bank twice this month and I'm embarrassed",
    ),
    "independent-at-home": (
        "Mum keeps falling and I'm worried she can't manage at home on her own",
        "I want to stay in my own home but the stairs are getting too much",
    ),
    "mental-health-advice": (
        "I haven't been sleeping and I feel like I can't cope with anything",
        "I get panic attacks when I leave the house and I've stopped going out",
    ),
    "housing-homelessness-advice": (
        "My landlord has given me notice and I've got nowhere to go",
        "We're sleeping on my sister's sofa with the kids",
    ),
    "older-people": (
        "Since my husband died I don't see anyone from one week to the next",
        "I'd like to find something to do in the day and meet people my age",
    ),
    "adults-advice": (
        "I look after my dad and I'm exhausted; I need to know what help there is",
        "I need to know what care is available and what it would cost",
    ),
    "fuel-utility-advice": (
        "The energy bills have doubled and I'm scared to put the heating on",
        "I'm on a prepayment meter and keep running out of credit",
    ),
    "employment-support": (
        "I've been out of work since the factory closed and want to get back to it",
        "I need help with a CV and applying for jobs online",
    ),
    "housing-options": (
        "The flat is damp and overcrowded; we need somewhere else to live",
        "I have to leave where I'm staying by the end of the month",
    ),
    "social-prescribing": ("The GP said there might be groups that could help me get out more",),
    "over-29-ill-health": (
        "I had to stop work because of my back and I don't know what to do next",
    ),
    "drug-alcohol": (
        "My drinking has got out of hand and I want help to stop",
        "My son is using and I don't know how to help him",
    ),
    "domestic-abuse": (
        "My partner controls the money and I'm frightened of what he'll do",
        "I need to leave home safely with the children",
    ),
    "support-6-16": (
        "My daughter won't go to school and we're arguing all the time",
        "Our son is struggling since his dad left and I need some support",
    ),
    "send-support": ("My son has autism and is waiting for an assessment; we need help now",),
    "early-years": ("I've just had a baby and I'm finding it really hard on my own",),
    "childcare": ("I've got a job offer but can't start unless I find childcare",),
    "careers-16-29": ("I left college and don't know what I want to do",),
    "neet-support": ("My son has done nothing since leaving school and won't talk about it",),
    "digital-inclusion": (
        "Everything is online now and I don't have a computer or know how to use one",
    ),
    "fuel-poverty": ("The house is freezing and we can't afford to heat it",),
    "anti-social-behaviour": (
        "The neighbours' noise and threats go on every night and I can't sleep",
    ),
    "sustaining-tenancy": ("I've got behind and I'm worried I'll lose my tenancy",),
    "social-housing": (
        "We've been on the housing register for years and need to know where we are",
    ),
}
# Fallback words by taxonomy area, for needs without their own.
AREA_WHAT_MATTERS = {
    "employability": "I want to learn new skills and find work",
    "health-wellbeing": "I want to feel healthier and get out more",
    "community-inclusion": "I'd like to find things to do locally and meet people",
    "housing-money-advice": "I need advice about money and where I live",
    "citizen-support": "We need some support as a family",
    "citizen-safety": "I don't feel safe and need someone to talk to",
    "housing-support": "I need help with where I live",
}
FOLLOW_UP_WORDS = (
    "Called again to ask what is happening",
    "Asked whether anyone has been in touch yet",
    "Things have got worse since they first asked",
    "Rang back with more details",
)

# Who refers (partner channel), with the share of partner referrals each makes. Invented, in
# the order adult front doors report their referral sources: police, GPs and hospitals first.
# Organisations not in the directory have invented names (a synthetic city's police, GP
# practices, hospital and schools).
OUTSIDE_REFERRERS = {
    "Upstream City Police": 0.2,
    "Moorfield Medical Practice": 0.1,
    "Canal Side Surgery": 0.08,
    "Upstream General Hospital discharge team": 0.14,
    "St Anne's Primary School": 0.07,
    "Upstream Park Academy": 0.06,
    "Jobcentre Plus Upstream": 0.05,
}
DIRECTORY_REFERRERS_SHARE = 0.3  # the rest: organisations in the directory (NHS, VCS, housing)
PROFESSIONAL_TITLES = ("PC", "Dr", "Nurse", "Ms", "Mr", "Support worker")
PROACTIVE_REASONS = {
    "supporting-families": "Supporting Families cohort: several needs across the household",
    "debt-and-worklessness": "Cohort: debt and worklessness",
    "isolated-older-people": "Cohort: older people living alone with falls or A&E visits",
    "frequent-attenders": "Flag: frequent attender at A&E",
    "high-cost": "Flag: high cost of need across agencies",
}
DEFAULT_PROACTIVE_REASON = "Practitioner's own contact after a multi-agency meeting"

# Triage: the officer agrees with the suggestion most of the time. Invented; override rates
# are a measure the issue asks for, so the demo shows some (about one in ten), by the route
# suggested: a conversation more often finds a targeted or statutory suggestion too much.
OVERRIDE_SHARE = {"universal": 0.04, "targeted": 0.15, "statutory": 0.12}
OVERRIDES = {
    "universal": (
        "targeted",
        "Several needs came out in conversation; a key worker would help the family",
    ),
    "targeted": (
        "universal",
        "Only wants information for now and declined a key worker",
    ),
    "statutory": (
        "targeted",
        "Does not meet the threshold today; early help agreed with the statutory team",
    ),
}
# Time from arrival to triage, in working hours (lognormal median and spread; invented, a
# front door aiming to triage within the day). Web requests wait longer: nobody is on the line.
TRIAGE_HOURS = {"web": (6.0, 0.9), "partner": (4.0, 0.8), "default": (0.25, 1.0)}
# Universal requests that go on to a connection to a service (the rest close with
# information, advice or self-help at first contact).
UNIVERSAL_CONNECTED_SHARE = 0.45
UNIVERSAL_OUTCOMES = (
    "Information and advice given",
    "Self-help: pointed to the Find help pages",
    "Signposted to a community group",
    "Advice given; the person will get back in touch if they need to",
)
# Days on a team's waiting list before a key worker is allocated, and days a statutory team
# holds a handover before its own decision (lognormal median, spread; invented).
WAITING_DAYS = (28.0, 0.6)
HANDOVER_DAYS = (12.0, 0.6)
TARGETED_OUTCOMES = ("Key worker allocated", "Team around the family set up")
STATUTORY_OUTCOMES = {
    "Adult social care front door": "Care Act assessment arranged",
    "Children's front door": "Accepted by the children's front door",
    "Housing options": "Prevention duty accepted (Housing Act 1996 s195)",
}
STATUTORY_DEFAULT_OUTCOME = "Accepted by the statutory service"

# Consent to connect (ISO/IEC TS 27560's states): most give it; a few refuse, and nothing is
# shared; a few later withdraw. Invented.
CONSENT_GIVEN_SHARE = 0.93
CONSENT_WITHDRAWN_SHARE = 0.03
CONSENT_CATEGORIES = ("contact", "what_matters", "needs", "access")
CONSENT_METHOD = {
    "phone": "verbal",
    "face_to_face": "written",
    "web": "web_form",
    "partner": "api",
    "proactive": "verbal",
}
# Connections per connected request, and the receiving service's answer (invented, shaped by
# closed-loop referral platforms' reports: most accepted, some declined with a reason, a few
# never answered). Answer delays in working days (lognormal median, spread).
SECOND_CONNECTION_SHARE = 0.2
ACCEPTED_SHARE = 0.72
DECLINED_SHARE = 0.2  # of the rest, no answer ever: chased, then left
DECLINE_REASONS = {
    "no_capacity": 0.3,
    "could_not_contact": 0.27,
    "person_declined": 0.2,
    "not_eligible": 0.18,
    "wrong_service": 0.05,
}
ANSWER_DAYS = (2.0, 0.9)
COMPLETION_DAYS = (30.0, 0.5)
HELPED_SHARE = 0.8
ANSWER_WITHIN_WORKING_DAYS = 5  # issue 12: no answer in 5 working days surfaces to the sender
# A provider's services are chosen with this preference when they match (so the demo service
# provider's organisation has incoming connections whatever the city's size).
FOCUS_PROVIDER_PREFERENCE = 0.35

# Safeguarding concerns: a few per cent of contacts (issue 12). Needs that carry risk raise
# the chance. Invented within the "a few per cent".
SAFEGUARDING_SHARE = 0.015
RISKY_NEEDS = {"domestic-abuse": 0.25, "drug-alcohol": 0.08, "youth-violence": 0.2}
CONCERNS = {
    "children": (
        "Child said they are often left alone overnight",
        "Bruising seen on a young child; parent's explanation does not fit",
        "Young person going missing and seen with older adults",
    ),
    "adults": (
        "Neighbour says an older man is being financially exploited by a lodger",
        "Woman disclosed her partner hits her and checks her phone",
        "Carer reports her father is not being fed or washed by paid carers",
    ),
}
ADULT_DECISIONS = {"section_42_enquiry": 0.45, "other_support": 0.4, "no_further_action": 0.15}
CHILD_DECISIONS = {
    "strategy_discussion": 0.25,
    "child_in_need_assessment": 0.35,
    "other_support": 0.3,
    "no_further_action": 0.1,
}
DECISION_REASONS = {
    "section_42_enquiry": "Reasonable cause to suspect abuse and care and support needs (s42)",
    "strategy_discussion": "Reasonable cause to suspect significant harm (s47)",
    "child_in_need_assessment": "Needs support to be safe and well; no immediate risk",
    "other_support": "Risk managed with the person's agreement through support",
    "no_further_action": "Information gathered shows no safeguarding risk",
}
OUTCOMES_WANTED = (
    "I want to feel safe in my own home",
    "I want the money to stop going missing",
    "I want him to stop contacting me",
)
# Making Safeguarding Personal: whether the outcomes the person wanted were met (NHS Digital,
# Safeguarding Adults Collection 2022-23, rounded: about two thirds fully, a quarter partly).
OUTCOMES_MET = {"yes": 0.68, "partly": 0.27, "no": 0.05}
# Minutes from the concern being raised to a decision (lognormal median, spread): the clocks
# are the same working day (children) and one working day (adults).
DECISION_MINUTES = (180.0, 0.8)

# Open items each demo role finds (issue 12: "a few open items for each demo role").
OLD_AWAITING_TRIAGE = 3  # at least; and 1% of requests, received 3 to 20 days ago
NEW_AWAITING_TRIAGE = 2  # the newest requests
DEMO_WAITING_LIST = 4
DEMO_OVERDUE_CONNECTIONS = 3
DEMO_PROVIDER_WAITING = 3
DEMO_PROVIDER_ACCEPTED = 2
DEMO_PARTNER_REFERRALS = 3
DEMO_CITIZEN_REQUESTS = 2
