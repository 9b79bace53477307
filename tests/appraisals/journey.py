"""The case the issue asks a commissioner to build in the browser (issue 19, "Done when"): a
per-outcome case (each outcome with its own people at risk) with a weekly cost over three
years, page by page, as the form posts it."""

from __future__ import annotations

from typing import Any

from django.test import Client

TITLE = "School inclusion pilot"
PAGES: list[tuple[str, dict[str, str]]] = [
    ("about", {"title": TITLE, "organisation": "Example City Council", "summary": "Key workers for children at risk of exclusion."}),
    ("settings", {"price-year": "2024", "year-zero": "2025/26", "horizon-years": "10", "discount": "standard", "perspective": "fiscal", "rounding": "none"}),
    ("intervention", {"name": TITLE, "library": "", "evidence-basis": "modelled", "counterfactual-source": ""}),
    ("cohort", {"cohort-name-0": "5-11", "cohort-count-0": "200", "intakes": "1, 1", "attrition-central": "0.1"}),
    ("adjustments", {"deadweight-central": "0.1"}),
    # An exclusion avoided for 12 of the 200 at risk, valued at the pack's yearly cost.
    ("outcome-0-risk", {"name": "exclusion_avoided", "at-risk": "baseline", "baseline-central": "12", "success-by": "one", "success-central": "0.25", "success-low": "0.15", "success-high": "0.35"}),
    ("outcome-0-cost", {"unit-cost-from": "library", "unit-cost-code": "E&S2.0", "lasts": "years", "persistence-years": "3"}),
    ("outcome-0-timing", {"start-lag": "1"}),
    # Weeks in care avoided: £1,250 a week for 156 weeks (three years), for 5% at risk.
    ("outcome-1-risk", {"name": "weeks_in_care_avoided", "at-risk": "base_rate", "base-rate-central": "0.05", "success-by": "one", "success-central": "0.2"}),
    ("outcome-1-cost", {"unit-cost-from": "own", "unit-cost-value": "1250", "unit-cost-price-year": "2024", "unit-cost-source": "Council placement budget 2024/25", "paying-agency": "local_authority", "lasts": "duration", "unit-cost-per": "week", "duration-central": "156"}),
    ("outcome-1-timing", {"start-lag": "1"}),
    # A key worker's time at £40 a week per child for 26 weeks, and £20,000 to set up.
    ("cost-0", {"name": "Key worker", "agency": "local_authority", "unit-cost": "40", "unit-cost-per": "week", "duration-central": "26", "fixed": "20000"}),
    ("uncertainty", {"draws": "2000", "seed": "7", "payback-within-years": "5"}),
]  # fmt: skip


def start(client: Client) -> str:
    """A new draft's address (…/drafts/TOKEN/about/)."""
    response = client.post("/appraisals/cases/new/")
    assert response.status_code == 302, response
    return str(response["Location"])


def draft_url(first: str, step: str) -> str:
    return first.rsplit("/", 2)[0] + f"/{step}/"


def build(client: Client) -> str:
    """Post every page; the draft's address prefix (…/drafts/TOKEN/)."""
    first = start(client)
    for step, answers in PAGES:
        response = client.post(draft_url(first, step), answers)
        assert response.status_code == 302, (step, _errors(response))
    return first.rsplit("/", 2)[0] + "/"


def _errors(response: Any) -> str:
    from tests.appraisals.conftest import error_summary

    return "; ".join(error_summary(response))
