"""Back-office forms for closing loans, posting and reversing payments.

Forms only turn what was typed into values: amounts through portal.money's
MoneyFormField (the one parser), dates as dates, choices under their human
labels. The rules themselves are the services': whatever a service refuses
lands on the form's field (loans.views.add_service_errors), so a field that
only a service can judge (a reversal note, a void reason, a payment
reference) is left optional here and the service says what is missing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from loans.choices import DisbursementStatus, PaymentMethod, ReversalReason
from loans.models import Loan, LoanApplication, Payment
from portal.checks import identifier_problem, text_problem
from portal.money import EMPTY, MoneyFormField

DATE_INVALID = "Enter a date such as 2026-03-10."
PAYEE_INVALID = "Choose the customer or the contractor named on the application."
FIRST_DUE_NOT_AFTER_TODAY = (
    "The first due date must be after today: checks are issued before it."
)


class DateField(forms.DateField):
    """A date typed in the browser's date picker (ISO 8601 in the request)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {label[0].lower()}{label[1:]}.",
                "invalid": DATE_INVALID,
            },
        )
        super().__init__(
            label=label,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **kwargs,
        )


class TextField(forms.CharField):
    """Free text: no control characters, never longer than its column."""

    def __init__(self, label: str, *, max_length: int = 255, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(label=label, max_length=max_length, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (problem := text_problem(value)):
            raise forms.ValidationError(problem, code="control_character")


class IdentifierField(forms.CharField):
    """A check number or payment reference: letters, digits, '-', '_', '.'."""

    def __init__(self, label: str, *, what: str, max_length: int, **kwargs: Any):
        self.what = what
        super().__init__(label=label, max_length=max_length, **kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (problem := identifier_problem(value, self.what)):
            raise forms.ValidationError(problem, code="identifier")


def _first_of_month_after_next(today: date) -> date:
    month = today.month + 2
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


class OpenLoanForm(forms.Form):
    first_due_date = DateField(
        "First due date",
        help_text="The first installment's due date; later installments fall on "
        "the same day of each month.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"first_due_date": _first_of_month_after_next(timezone.localdate())},
        )
        super().__init__(*args, **kwargs)

    def clean_first_due_date(self) -> date:
        day: date = self.cleaned_data["first_due_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError(FIRST_DUE_NOT_AFTER_TODAY)
        return day


class RecordSignatureForm(forms.Form):
    signed_on = DateField("Signed on", initial=timezone.localdate)


def _check_number_field(label: str) -> IdentifierField:
    return IdentifierField(
        label,
        what="A check number",
        max_length=20,
        error_messages={"required": "Enter the check number."},
    )


class IssueCheckForm(forms.Form):
    check_number = _check_number_field("Check number")
    payee = forms.ChoiceField(
        label="Pay to",
        error_messages={
            "required": "Choose who the check is made out to.",
            "invalid_choice": PAYEE_INVALID,
        },
    )
    amount = MoneyFormField(
        label="Amount",
        error_messages={"required": EMPTY},
        help_text="Dollars and cents, e.g. 4000.00.",
    )
    issued_on = DateField("Issued on", initial=timezone.localdate)

    def __init__(self, *args: Any, loan: Loan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payee = self.fields["payee"]
        assert isinstance(payee, forms.ChoiceField)
        payee.choices = [(name, name) for name in payees(loan)]
        left = loan.principal - sum(
            (
                d.amount
                for d in loan.disbursements.filter(status=DisbursementStatus.ISSUED)
            ),
            Decimal("0.00"),
        )
        if left > 0 and "amount" not in self.initial:
            self.initial["amount"] = left


def payees(loan: Loan) -> list[str]:
    """Who a disbursement check may be made out to: the customer, or the
    contractor named on the application."""
    names = [loan.customer.display_name]
    application = loan.application
    contractor = (application.contractor_name or "").strip() if application else ""
    if contractor and contractor not in names:
        names.append(contractor)
    return names


class VoidCheckForm(forms.Form):
    reason = TextField("Why is the check void?")
    voided_on = DateField("Voided on", initial=timezone.localdate)


class ReissueCheckForm(forms.Form):
    new_check_number = _check_number_field("New check number")
    issued_on = DateField("Issued on", initial=timezone.localdate)


class PaymentForm(forms.Form):
    amount = MoneyFormField(
        label="Amount",
        error_messages={"required": EMPTY},
        help_text="Dollars and cents, e.g. 125.00.",
    )
    received_on = DateField("Received on", initial=timezone.localdate)
    method = forms.ChoiceField(
        label="Paid by",
        choices=[("", "Choose…"), *PaymentMethod.choices],
        error_messages={
            "required": "Choose how the payment was made.",
            "invalid_choice": "Choose one of the listed payment methods.",
        },
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=Payment._meta.get_field("reference").max_length,
        help_text="The receipt or check number from the cashiering system.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget.attrs.setdefault("autocomplete", "off")


class ReversalForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose…"), *ReversalReason.choices],
        error_messages={
            "required": "Choose why the payment is reversed.",
            "invalid_choice": "Choose one of the listed reasons.",
        },
    )
    note = TextField("Note", help_text="What happened, for the audit history.")


class ConfirmForm(forms.Form):
    """A confirmation with nothing to type (withdrawing an application)."""


class ApplicationForm(WagtailAdminModelForm):
    """Entering or changing a loan application in the back office: the
    amount through the one money parser (a text field, no currency menu, a
    sub-cent amount refused rather than rounded), the term in months. The
    service judges the rest (the account must be the customer's)."""

    requested_amount = MoneyFormField(
        label="Requested amount (dollars and cents)",
        error_messages={"required": "Enter the amount requested."},
    )
    requested_term_months = forms.IntegerField(
        label="Term (months)",
        min_value=1,
        error_messages={
            "required": "Enter the term in months.",
            "invalid": "The term is a whole number of months.",
        },
    )

    class Meta:
        model = LoanApplication
        fields = [
            "customer",
            "account",
            "parcel",
            "product",
            "requested_amount",
            "requested_term_months",
            "purpose",
            "contractor_name",
            "proposal_document",
        ]
        labels = {"parcel": "Property", "proposal_document": "Contractor's proposal"}


class AgingRunForm(forms.Form):
    """The date a supervisor runs the nightly aging job for (today or earlier)."""

    as_of = forms.DateField(
        label="As of",
        help_text="Usually today; an earlier day catches up a day the job did not run.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Give the date to run aging for.",
            "invalid": "Give the date as YYYY-MM-DD.",
        },
    )

    def clean_as_of(self) -> date:
        value: date = self.cleaned_data["as_of"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                f"Aging runs for today or an earlier day, not for "
                f"{value:%B} {value.day}, {value:%Y}."
            )
        return value
