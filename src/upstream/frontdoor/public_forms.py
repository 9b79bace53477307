"""Reading the citizen's request form and the partner's referral form into the front door's
domain values (`intake.Identity`, `intake.Ask` and what was said about consent), with a message
for each field that cannot be used, keyed by the id of the input the error summary links to.

The form's own checks come first, in the words of each question (GOV.UK error messages: say
what to do, "Enter a first name"); then `intake.check_ask` and `intake.check_identity`, the
domain's one set of rules, add anything the form did not already say. Nothing is saved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict
from django.utils import timezone

from upstream.directory.postcodes import normalise
from upstream.errors import InputError
from upstream.frontdoor.intake import Ask, Identity, check_ask, check_identity
from upstream.frontdoor.models import AskedBy, Channel, ConsentMethod, ContactMethod, Place

# The model's limits (frontdoor.models.Request and ProvisionalPerson), checked here so that a
# long answer is a message beside the field, never a database error.
LIMITS = {
    "given_name": ("First name", 100),
    "family_name": ("Last name", 100),
    "address_line_1": ("Address line 1", 100),
    "address_line_2": ("Address line 2", 100),
    "address_town": ("Town or city", 80),
    "asker_name": ("Your name", 200),
    "asker_relationship": ("This answer", 100),
    "contact_detail": ("Contact details", 200),
    "language": ("Language", 60),
    "what_matters": ("What is happening", 4000),
    "accessibility_needs": ("This answer", 4000),
}
EARLIEST_BIRTH = date(1900, 1, 1)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_DIGITS = range(10, 16)  # UK numbers have 10 or 11 digits; +44 and abroad up to 15 (E.164)
CITIZEN_ASKERS = (AskedBy.PERSON, AskedBy.FAMILY_OR_FRIEND)
CONSENT_ANSWERS = ("yes", "no")
AGREEMENT_METHODS = (ConsentMethod.WRITTEN, ConsentMethod.VERBAL)
DOB_PARTS = ("day", "month", "year")
# The questions in the order the pages ask them: the error summary lists problems in this order
# (GOV.UK error summary: "in the same order as they appear on the page").
PAGE_ORDER = (
    "asked_by",
    "asker_name",
    "asker_relationship",
    "given_name",
    "family_name",
    "dob_day",
    "dob_month",
    "dob_year",
    "address_line_1",
    "address_line_2",
    "address_town",
    "postcode",
    "what_matters",
    "needs",
    "urgency",
    "preferred_contact",
    "contact_detail",
    "language",
    "accessibility_needs",
    "consent",
    "agreed",
    "consent_method",
)
# The domain's field names → the input the error summary links to.
INPUT_FOR = {"date_of_birth": "dob_day", "address": "address_line_1", "person": "given_name"}


@dataclass
class Filled:
    """What the form says, as domain values, and what is wrong with it."""

    identity: Identity
    ask: Ask
    consents: bool  # whether the person agreed to sharing with services that can help
    consent_method: str  # how they said so (ConsentMethod)
    errors: dict[str, str] = field(default_factory=dict)
    dob_wrong: frozenset[str] = frozenset()  # which parts of the date to outline

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(params: QueryDict, name: str) -> str:
    # Cut well past the limit, so a long answer is still refused, not silently shortened.
    return params.get(name, "").strip()[: LIMITS.get(name, ("", 200))[1] * 2]


def citizen_request(params: QueryDict) -> Filled:
    """A citizen's request on the web: for themselves or someone they know."""
    errors: dict[str, str] = {}
    asked_by = params.get("asked_by", "")
    if asked_by not in CITIZEN_ASKERS:
        errors["asked_by"] = "Select who needs help"
    elif asked_by == AskedBy.FAMILY_OR_FRIEND and not _text(params, "asker_name"):
        errors["asker_name"] = "Enter your name"
    consent = params.get("consent", "")
    if consent not in CONSENT_ANSWERS:
        errors["consent"] = "Select yes if we may share your details with services that can help"
    ask = _ask(params, errors, channel=Channel.WEB, place=Place.ONLINE, asked_by=asked_by)
    return _filled(params, ask, (consent == "yes", ConsentMethod.WEB_FORM), errors)


def partner_referral(params: QueryDict, *, organisation: str) -> Filled:
    """A partner professional's referral: they asked, for someone they work with, who agreed."""
    errors: dict[str, str] = {}
    if not _text(params, "asker_name"):
        errors["asker_name"] = "Enter your name"
    if params.get("agreed") != "yes":
        errors["agreed"] = "Confirm the person has agreed to this referral and to sharing"
    method = params.get("consent_method", "")
    if method not in AGREEMENT_METHODS:
        errors["consent_method"] = "Select how the person agreed"
    ask = _ask(
        params,
        errors,
        channel=Channel.PARTNER,
        place=Place.PARTNER_OFFICE,
        asked_by=AskedBy.PROFESSIONAL,
        asker_organisation=organisation,
    )
    return _filled(params, ask, (True, method), errors)


def _filled(
    params: QueryDict, ask: Ask, consent: tuple[bool, str], errors: dict[str, str]
) -> Filled:
    born, dob_wrong = date_of_birth(params, errors)
    identity = _identity(params, born, errors)
    _limits(params, errors)
    # The domain's rules last: anything they find that the questions did not already say.
    for name, message in {**check_identity(identity), **check_ask(ask)}.items():
        errors.setdefault(INPUT_FOR.get(name, name), message)
    if "dob_day" in errors and not dob_wrong:
        dob_wrong = frozenset(DOB_PARTS)
    return Filled(identity, ask, consent[0], consent[1], in_page_order(errors), dob_wrong)


def in_page_order(errors: dict[str, str]) -> dict[str, str]:
    place = {name: i for i, name in enumerate(PAGE_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: place.get(item[0], len(place))))


def _ask(
    params: QueryDict,
    errors: dict[str, str],
    *,
    channel: str,
    place: str,
    asked_by: str,
    asker_organisation: str = "",
) -> Ask:
    if not _text(params, "what_matters"):
        errors["what_matters"] = "Enter what is happening and what would help"
    needs = tuple(n for n in params.getlist("needs") if n)
    if not needs:
        errors["needs"] = "Select at least one kind of help"
    if params.get("urgency", "") not in {"routine", "soon", "urgent"}:
        errors["urgency"] = "Select how soon help is needed"
    preferred = params.get("preferred_contact", "")
    someone_else = asked_by != AskedBy.PERSON
    return Ask(
        channel=channel,
        place=place,
        asked_by=asked_by,
        asker_organisation=asker_organisation,
        asker_name=_text(params, "asker_name") if someone_else else "",
        asker_relationship=_text(params, "asker_relationship") if someone_else else "",
        what_matters=_text(params, "what_matters"),
        needs=needs[:50],  # the domain refuses more than 12; a flood is not read at all
        urgency=params.get("urgency", ""),
        preferred_contact=preferred,
        contact_detail=_contact_detail(params, preferred, errors),
        language=_text(params, "language") or "English",
        accessibility_needs=_text(params, "accessibility_needs"),
    )


def _contact_detail(params: QueryDict, preferred: str, errors: dict[str, str]) -> str:
    detail = _text(params, "contact_detail")
    if preferred not in ContactMethod.values:
        errors["preferred_contact"] = "Select how we should get in touch"
    elif preferred == ContactMethod.EMAIL and detail and not EMAIL.match(detail):
        errors["contact_detail"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
    elif preferred in {ContactMethod.PHONE, ContactMethod.TEXT} and detail:
        digits = len(re.sub(r"\D", "", detail))
        if digits not in PHONE_DIGITS or re.search(r"[^\d\s()+-]", detail):
            errors["contact_detail"] = "Enter a phone number, like 01632 960 001 or 07700 900 982"
    elif preferred == ContactMethod.LETTER and not detail:
        # A letter goes to the address given above unless another is given here.
        detail = _address(params)
    if preferred in ContactMethod.values and preferred != ContactMethod.IN_PERSON and not detail:
        errors.setdefault("contact_detail", CONTACT_MISSING[preferred])
    return detail


CONTACT_MISSING: dict[str, str] = {
    ContactMethod.PHONE: "Enter a phone number",
    ContactMethod.TEXT: "Enter a mobile phone number for text messages",
    ContactMethod.EMAIL: "Enter an email address",
    ContactMethod.LETTER: "Enter an address to write to",
}


def date_of_birth(params: QueryDict, errors: dict[str, str]) -> tuple[date | None, frozenset[str]]:
    """A GOV.UK date input (https://design-system.service.gov.uk/components/date-input/): the
    message names what is missing or wrong, and only the parts at fault are outlined."""
    parts = {p: params.get(f"dob_{p}", "").strip()[:10] for p in DOB_PARTS}
    missing = [p for p in DOB_PARTS if not parts[p]]
    if len(missing) == len(DOB_PARTS):
        errors["dob_day"] = "Enter a date of birth"
        return None, frozenset(DOB_PARTS)
    if missing:
        errors[f"dob_{missing[0]}"] = f"Date of birth must include a {' and '.join(missing)}"
        return None, frozenset(missing)
    try:
        born = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (ValueError, OverflowError):
        errors["dob_day"] = "Date of birth must be a real date"
        return None, frozenset(DOB_PARTS)
    if born > timezone.localdate():
        errors["dob_day"] = "Date of birth must be in the past"
        return None, frozenset(DOB_PARTS)
    if born < EARLIEST_BIRTH:
        errors["dob_year"] = "Date of birth must be after 1 January 1900"
        return None, frozenset({"year"})
    return born, frozenset()


def _identity(params: QueryDict, born: date | None, errors: dict[str, str]) -> Identity:
    if not _text(params, "given_name"):
        errors["given_name"] = "Enter a first name"
    if not _text(params, "family_name"):
        errors["family_name"] = "Enter a last name"
    return Identity(
        given_name=_text(params, "given_name"),
        family_name=_text(params, "family_name"),
        date_of_birth=born,
        address=_address(params),
        postcode=_postcode(params, errors),
    )


def _address(params: QueryDict) -> str:
    lines = (_text(params, f"address_{part}") for part in ("line_1", "line_2", "town"))
    return ", ".join(line for line in lines if line)


def _postcode(params: QueryDict, errors: dict[str, str]) -> str:
    typed = _text(params, "postcode")
    if not typed:
        return ""
    try:
        return normalise(typed[:20])
    except InputError:
        errors["postcode"] = "Enter a real postcode, like UP1 2AB"
        return typed[:10]


def _limits(params: QueryDict, errors: dict[str, str]) -> None:
    for name, (label, limit) in LIMITS.items():
        if len(params.get(name, "").strip()) > limit:
            errors.setdefault(name, f"{label} must be {limit:,} characters or fewer")
