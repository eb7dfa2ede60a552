"""The lender's subordination request form on the public site (no log-in)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from liens.choices_subordinations import SubordinationPurpose
from portal.money import MoneyFormField

MUST_BE_POSITIVE = "The {what} must be more than $0.00."
TOO_MANY_FILES = "Attach at most {n} files."
MAX_FILES = 5
REQUIRED = {
    "institution": "Enter the name of the lending institution.",
    "contact_name": "Enter the name of the person we should answer.",
    "contact_email": "Enter the contact's e-mail address.",
    "property_text": "Enter the property's street address or parcel number.",
    "borrower_name": "Enter the borrower's name.",
    "new_loan_amount": "Enter the new loan amount, such as 150000.00.",
    "purpose": "Choose the purpose of the new loan.",
    "appraised_value": "Enter the appraised value, such as 200000.00.",
    "senior_liens_total": "Enter the total of the existing senior liens (0.00 if none).",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            if len(data) > MAX_FILES:
                raise ValidationError(TOO_MANY_FILES.format(n=MAX_FILES))
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class LenderRequestForm(forms.Form):
    institution = forms.CharField(label="Lending institution", max_length=200)
    contact_name = forms.CharField(label="Contact name", max_length=200)
    contact_email = forms.EmailField(
        label="Contact e-mail",
        error_messages={"invalid": "Enter an e-mail address like name@bank.com."},
    )
    contact_phone = forms.CharField(
        label="Contact phone", max_length=40, required=False
    )
    property_text = forms.CharField(
        label="Property address or parcel number", max_length=300
    )
    borrower_name = forms.CharField(label="Borrower's name", max_length=200)
    new_loan_amount = MoneyFormField(label="New loan amount (dollars and cents)")
    purpose = forms.ChoiceField(
        label="Purpose of the new loan", choices=SubordinationPurpose.choices
    )
    appraised_value = MoneyFormField(label="Appraised value of the property")
    senior_liens_total = MoneyFormField(
        label="Existing liens that will be senior to ours (total)",
        help_text="The balances of existing liens that will stay ahead of ours, "
        "not counting the new loan. Enter 0.00 if none.",
    )
    documents = MultipleFileField(
        label="Documents (appraisal, loan commitment, title report)",
        required=False,
        help_text="PDF or image files.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message

    def _positive(self, name: str, what: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is not None and value <= 0:
            raise ValidationError(MUST_BE_POSITIVE.format(what=what))
        return value

    def clean_new_loan_amount(self) -> Decimal | None:
        return self._positive("new_loan_amount", "new loan amount")

    def clean_appraised_value(self) -> Decimal | None:
        return self._positive("appraised_value", "appraised value")
