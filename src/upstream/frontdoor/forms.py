"""Reading the front door's forms into domain values (`intake.Ask`, `intake.Identity`), with
errors per field; the domain checks the values themselves (`intake.check_ask`)."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict

from upstream.casework.forms import text
from upstream.frontdoor.intake import Ask, Identity

LONG = 4100  # a little over the domain's limit, so the domain's message is the one shown


def ask_from(params: QueryDict, *, channel: str = "") -> Ask:
    return Ask(
        channel=channel or text(params, "channel", 20),
        place=text(params, "place", 20),
        what_matters=text(params, "what_matters", LONG),
        needs=tuple(n.strip() for n in params.getlist("needs") if n.strip())[:20],
        urgency=text(params, "urgency", 10) or "routine",
        preferred_contact=text(params, "preferred_contact", 10),
        contact_detail=text(params, "contact_detail", 210),
        language=text(params, "language", 70) or "English",
        accessibility_needs=text(params, "accessibility_needs", LONG),
        asked_by=text(params, "asked_by", 20) or "person",
        asker_name=text(params, "asker_name", 210),
        asker_relationship=text(params, "asker_relationship", 110),
        asker_organisation=text(params, "asker_organisation", 310),
        proactive_reason=text(params, "proactive_reason", 310),
    )


def govuk_date(params: QueryDict, prefix: str, errors: dict[str, str], label: str) -> date | None:
    """A GOV.UK date input (`prefix_day`, `_month`, `_year`); blank is no date."""
    parts = [params.get(f"{prefix}_{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1900:
            raise ValueError
        return date(year, month, day)
    except (ValueError, OverflowError):
        errors[prefix] = f"{label} must be a real date, for example 27 3 1980"
        return None


def identity_from(params: QueryDict, errors: dict[str, str]) -> Identity:
    return Identity(
        given_name=text(params, "given_name", 110),
        family_name=text(params, "family_name", 110),
        date_of_birth=govuk_date(params, "dob", errors, "Date of birth"),
        sex=text(params, "sex", 10).upper(),
        address=text(params, "address", 310),
        postcode=text(params, "postcode", 12),
        identifier_type=text(params, "identifier_type", 41),
        identifier=text(params, "identifier", 41),
    )
