"""Forms: the citizen's search and the editor's service form, with GOV.UK error messages.

Error messages follow the GOV.UK Design System's patterns ("Enter…", "… must be…"), and
each field keeps the id the error summary links to.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms

from upstream.directory import links, postcodes
from upstream.directory.models import STATUSES, Organization
from upstream.directory.schedules import DAYS
from upstream.directory.synthetic import LANGUAGES
from upstream.directory.taxonomy import all_items
from upstream.errors import InputError

DAY_CHOICES = [("", "Any day"), *DAYS.items()]
DISTANCE_CHOICES = [
    ("", "Any distance"),
    ("1", "Within 1 mile"),
    ("3", "Within 3 miles"),
    ("5", "Within 5 miles"),
]
AGE_LIMIT = 120


def _postcode(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return postcodes.normalise(value)
    except InputError:
        raise forms.ValidationError("Enter a real postcode, like UP1 2AB") from None


class SearchForm(forms.Form):
    """What do you need help with? Every field optional; a GET form, so it works without
    JavaScript and every search is a link that can be shared."""

    q = forms.CharField(required=False, max_length=100)
    need = forms.ChoiceField(required=False)
    postcode = forms.CharField(required=False, max_length=10)
    distance = forms.ChoiceField(required=False, choices=DISTANCE_CHOICES)
    age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={
            "invalid": "Age must be a number, like 67",
            "min_value": "Age must be 0 or more",
            "max_value": f"Age must be {AGE_LIMIT} or less",
        },
    )
    day = forms.ChoiceField(required=False, choices=DAY_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        need = self.fields["need"]
        assert isinstance(need, forms.ChoiceField)
        need.choices = [("", "Anything")] + [
            (item.slug, item.plain_name) for _, item in all_items()
        ]

    def clean_postcode(self) -> str:
        code = _postcode(self.cleaned_data["postcode"])
        if code and postcodes.ward_of(code) is None:
            raise forms.ValidationError(
                "We cannot find that postcode in this city. Enter a postcode starting with UP, like UP1 2AB"
            )
        return code


class WebAddressField(forms.URLField):
    """A website address, by the rule the directory import applies too (links.py)."""

    default_validators = [links.validate_web_address]  # noqa: RUF012 (Django's own attribute)


class ServiceForm(forms.Form):
    """The editor's form for one service: what, who for, when, where, and the review."""

    name = forms.CharField(max_length=300, error_messages={"required": "Enter the service name"})
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        error_messages={"required": "Select the organisation that runs the service"},
    )
    description = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter a description of the service"}
    )
    status = forms.ChoiceField(
        choices=[(s, s.capitalize()) for s in STATUSES],
        error_messages={"required": "Select the service's status"},
    )
    needs = forms.MultipleChoiceField(
        choices=[(item.slug, item.name) for _, item in all_items()],
        error_messages={"required": "Select at least one need the service helps with"},
    )
    minimum_age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={"invalid": "Minimum age must be a whole number, like 60"},
    )
    maximum_age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={"invalid": "Maximum age must be a whole number, like 25"},
    )
    eligibility_description = forms.CharField(required=False, widget=forms.Textarea)
    days = forms.MultipleChoiceField(required=False, choices=list(DAYS.items()))
    opens_at = forms.TimeField(
        required=False, error_messages={"invalid": "Enter an opening time, like 09:30"}
    )
    closes_at = forms.TimeField(
        required=False, error_messages={"invalid": "Enter a closing time, like 17:00"}
    )
    location_name = forms.CharField(required=False, max_length=300)
    address_1 = forms.CharField(required=False, max_length=300)
    postcode = forms.CharField(required=False, max_length=10)
    phone = forms.CharField(required=False, max_length=50)
    email = forms.EmailField(
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    url = WebAddressField(
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://example.org"
        },
    )
    fees = forms.CharField(required=False, max_length=300)
    languages = forms.MultipleChoiceField(
        required=False, choices=[("English", "English"), *[(n, n) for n, _ in LANGUAGES]]
    )
    reviewed = forms.BooleanField(required=False)

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and high < low:
            self.add_error(
                "maximum_age", "Maximum age must be the same as or more than the minimum age"
            )
        opens: time | None = data.get("opens_at")
        closes: time | None = data.get("closes_at")
        if data.get("days") and not (opens and closes) and "opens_at" not in self.errors:
            self.add_error("opens_at", "Enter the opening and closing times for the days you chose")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Closing time must be after the opening time")
        if (
            (data.get("address_1") or data.get("postcode"))
            and not (data.get("address_1") and data.get("postcode"))
            and "postcode" not in self.errors
        ):
            self.add_error(
                "address_1" if not data.get("address_1") else "postcode",
                "Enter both the address and the postcode, or neither",
            )
        return data
