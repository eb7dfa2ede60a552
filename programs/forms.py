"""Back-office forms for programs: the application's workflow actions, the
payment void, the budget change, and paying many approved rebates at once.

Amounts go through portal.money's MoneyFormField; check numbers are positive
whole numbers. The forms only read input: the services judge it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from portal.money import MoneyFormField
from programs import services as svc
from programs.models import RebateApplication

DATE_INVALID = "Enter a date such as 2026-03-10."


def _date_field(
    label: str, *, required: bool = False, required_message: str = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": required_message or f"Enter the {label.lower()}.",
            "invalid": DATE_INVALID,
        },
    )


def _text_field(label: str, required_message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=2000,
        error_messages={"required": required_message},
    )


class CheckNumberField(forms.CharField):
    """A check number: a positive whole number (returned as an int)."""

    default_error_messages = {
        "required": "Enter the check number.",
        "invalid": svc.CHECK_NUMBER,
    }

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        if not (text.isascii() and text.isdigit()) or int(text) == 0:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text.lstrip("0")) > 20:
            raise ValidationError(svc.CHECK_NUMBER_TOO_LONG, code="too_long")
        return int(text)


# --------------------------------------------------------------------------
# The application's workflow actions
# --------------------------------------------------------------------------


class NoInputForm(forms.Form):
    pass


class RequestInformationForm(forms.Form):
    question = _text_field("What is needed", "Say what information is needed.")


class ScheduleInspectionForm(forms.Form):
    inspect_on = _date_field("Inspection date", required=True)


class RecordInspectionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="Result",
        choices=[("yes", "Passed"), ("no", "Failed")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose passed or failed."},
    )
    notes = _text_field("Notes")
    inspected_on = _date_field("Inspected on")


class ApproveForm(forms.Form):
    amount = MoneyFormField(
        label="Amount",
        required=False,
        help_text="Leave empty for the amount requested.",
    )
    reasons = _text_field("Reasons")


class DenyForm(forms.Form):
    reasons = _text_field("Reasons", "Give the reasons for the denial.")


class CancelForm(forms.Form):
    reason = _text_field("Reason", "Say why the approval is cancelled.")


class PayByCheckForm(forms.Form):
    check_number = CheckNumberField(label="Check number")
    paid_on = _date_field("Paid on")


class PayByBillCreditForm(forms.Form):
    paid_on = _date_field("Credit date")


FORMS: dict[str, type[forms.Form]] = {
    "start_review": NoInputForm,
    "request_information": RequestInformationForm,
    "provide_information": NoInputForm,
    "schedule_inspection": ScheduleInspectionForm,
    "record_inspection": RecordInspectionForm,
    "approve": ApproveForm,
    "deny": DenyForm,
    "cancel": CancelForm,
    "pay_by_check": PayByCheckForm,
    "pay_by_bill_credit": PayByBillCreditForm,
}


# --------------------------------------------------------------------------
# Payments and budgets
# --------------------------------------------------------------------------


class VoidPaymentForm(forms.Form):
    reason = _text_field("Reason", "Say why the payment is void.")
    voided_on = _date_field("Void date")


class BudgetChangeForm(forms.Form):
    budget = MoneyFormField(
        label="New budget", error_messages={"required": "Enter the new budget."}
    )
    reason = _text_field("Reason", "Say why the budget changes.")


# --------------------------------------------------------------------------
# Paying many approved rebates at once
# --------------------------------------------------------------------------


class RebateBatchForm(forms.Form):
    """Applications chosen on a list; the services judge whether each can
    be paid (the list may be out of date by the time it is sent)."""

    applications = forms.ModelMultipleChoiceField(
        queryset=RebateApplication.objects.all(),
        error_messages={
            "required": "Choose at least one application.",
            "invalid_choice": "One of the chosen applications no longer exists; "
            "reload the page.",
            "invalid_pk_value": "Choose the applications from the list.",
        },
    )

    def chosen(self) -> list[RebateApplication]:
        """The chosen applications in the order the services pay them (by
        reference)."""
        return sorted(self.cleaned_data["applications"], key=lambda a: a.pk)


class CheckBatchForm(RebateBatchForm):
    first_check_number = CheckNumberField(
        label="First check number",
        help_text="The checks are numbered from it, in the order of the references.",
        error_messages={"required": "Enter the first check number."},
    )
    paid_on = _date_field(
        "Paid on", required=True, required_message="Enter the date of the checks."
    )


class BillCreditBatchForm(RebateBatchForm):
    credit_date = _date_field("Credit date", required=True)
