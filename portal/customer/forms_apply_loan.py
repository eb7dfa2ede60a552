"""The online loan application's step forms.

Each form turns what was typed into values and says, on the field, what is
missing or malformed. The loan's rules (range, term, lien) are the staff's
`application_checks`, applied by the view on step 1 and shown on the
eligibility step; they are never restated here.

`partial=True` ("Save and finish later") keeps the type checks and drops
the "required" ones, so a half-filled step can be kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from loans.models import LoanProduct
from loans.services.online import (
    CHOOSE_ACCOUNT,
    CHOOSE_PRODUCT,
    CHOOSE_PROPERTY,
    ENTER_AMOUNT,
    ENTER_PURPOSE,
    ENTER_TERM,
    MEASURES,
    loan_property_choices,
)
from portal.checks import text_problem
from portal.models import Customer, Property, UtilityAccount
from portal.money import MoneyFormField
from portal.validators import EMPTY_FILE

TERM_WHOLE_MONTHS = "Enter the term as a whole number of months, such as 48."
TERM_AT_LEAST_ONE = "The term must be at least one month."
TERM_AT_MOST = "Enter a term of at most 600 months."
CONFIRM_REQUIRED = "Tick the box to confirm that the information is true."


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Not str(account), which reads the customer once per option.
        return f"{obj.number} — {obj.line1}".strip(" —")


class PropertyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.line1}, {obj.city} (parcel {obj.parcel_id})"


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PartialForm(forms.Form):
    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        if partial:
            for form_field in self.fields.values():
                form_field.required = False


class LoanStepForm(PartialForm):
    """Step 1, "Your loan"."""

    account = AccountChoiceField(
        label="Utility account",
        queryset=UtilityAccount.objects.none(),
        empty_label="Choose an account",
        error_messages={"required": CHOOSE_ACCOUNT, "invalid_choice": CHOOSE_ACCOUNT},
    )
    parcel = PropertyChoiceField(
        label="Property",
        queryset=Property.objects.none(),
        required=False,
        empty_label="No property",
        help_text="The property the work is done on. Larger loans are secured "
        "by a lien on it.",
        error_messages={"invalid_choice": CHOOSE_PROPERTY},
    )
    product = ProductChoiceField(
        label="Loan",
        queryset=LoanProduct.objects.filter(is_active=True),
        empty_label="Choose a loan",
        error_messages={"required": CHOOSE_PRODUCT, "invalid_choice": CHOOSE_PRODUCT},
    )
    amount = MoneyFormField(
        label="Amount to borrow",
        help_text="In dollars and cents, such as 4,500.00.",
        error_messages={"required": ENTER_AMOUNT},
    )
    term = forms.IntegerField(
        label="Term in months",
        help_text="How many monthly installments you want to repay over.",
        min_value=1,
        max_value=600,
        error_messages={
            "required": ENTER_TERM,
            "invalid": TERM_WHOLE_MONTHS,
            "min_value": TERM_AT_LEAST_ONE,
            "max_value": TERM_AT_MOST,
        },
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["account"].queryset = UtilityAccount.objects.filter(customer=customer)
        fields["parcel"].queryset = loan_property_choices(customer)
        fields["amount"].widget.attrs["autocomplete"] = "off"

    def answers(self) -> dict[str, Any]:
        """The answers as JSON values for the draft."""
        data = self.cleaned_data
        amount = data.get("amount")
        return {
            "account": data["account"].pk if data.get("account") else None,
            "parcel": data["parcel"].pk if data.get("parcel") else None,
            "product": data["product"].pk if data.get("product") else None,
            "amount": f"{amount:.2f}" if amount is not None else "",
            "term": data.get("term"),
        }


class ProjectStepForm(PartialForm):
    """Step 2, "Your project"."""

    measures = forms.MultipleChoiceField(
        label="What the loan pays for",
        choices=MEASURES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every measure that applies.",
    )
    purpose = forms.CharField(
        label="Describe the work",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: attic insulation to R-30 and air sealing.",
    )
    contractor_name = forms.CharField(
        label="Contractor's name",
        max_length=200,
        required=False,
    )
    proposal = forms.FileField(
        label="Contractor's proposal",
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
            }
        ),
        help_text="A PDF, JPEG or PNG file of the contractor's written proposal.",
        # The house's words (portal.validators), not Django's own.
        error_messages={"empty": EMPTY_FILE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.PORTAL_DOCUMENT_MAX_BYTES)
        self.fields["proposal"].help_text = (
            "A PDF, JPEG or PNG file of the contractor's written proposal, "
            f"up to {limit}."
        )

    def clean_purpose(self) -> str:
        text: str = self.cleaned_data["purpose"]
        if text and (problem := text_problem(text)):
            raise forms.ValidationError(problem)
        return text.strip()

    def clean_contractor_name(self) -> str:
        text: str = self.cleaned_data["contractor_name"]
        if text and (problem := text_problem(text)):
            raise forms.ValidationError(problem)
        return text.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Measures or words, at least one (not when only saving for later).
        if (
            not self.partial
            and "purpose" not in self.errors
            and not data.get("measures")
            and not data.get("purpose")
        ):
            self.add_error("purpose", ENTER_PURPOSE)
        return data

    def answers(self, proposal: int | None) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "measures": list(data.get("measures") or []),
            "purpose": data.get("purpose", ""),
            "contractor_name": data.get("contractor_name", ""),
            "proposal": proposal,
        }


class ReviewForm(forms.Form):
    """Step 4, "Review": the customer's confirmation."""

    confirm = forms.BooleanField(
        label="The information I gave is true and complete, and Riverton "
        "Municipal Utilities may check it.",
        error_messages={"required": CONFIRM_REQUIRED},
    )
