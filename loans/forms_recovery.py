"""Forms of the Recovery screens (loans/views_recovery.py): the fields each
service takes, with their labels; the services judge the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from loans.choices import PaymentMethod, RecoverySource, ReversalReason
from loans.forms import DateField, IdentifierField, TextField
from portal.money import EMPTY, MoneyFormField


def _choices(
    label: str, choices: list[tuple[str, str]], **kwargs: object
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose…"), *choices],
        error_messages={
            "required": f"Choose the {label.lower()}.",
            "invalid_choice": "Choose one of the listed values.",
        },
        **kwargs,  # type: ignore[arg-type]
    )


class WriteOffProposeForm(forms.Form):
    as_of = DateField("Write-off date", initial=timezone.localdate)
    reason = TextField("Why the loan is written off", required=True)
    # Set by the confirmation page: the first POST shows the amounts.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = TextField("Reason", required=True)


class RecoveryForm(forms.Form):
    amount = MoneyFormField(label="Amount", error_messages={"required": EMPTY})
    received_on = DateField("Received on", initial=timezone.localdate)
    method = _choices("Paid by", PaymentMethod.choices)
    reference = IdentifierField("Reference", what="A payment reference", max_length=64)
    source = _choices("Paid by whom", RecoverySource.choices)
    note = TextField("Note")


class RecoveryReversalForm(forms.Form):
    reason = _choices("Reason", ReversalReason.choices)
    note = TextField("Note")


class ReferralForm(forms.Form):
    referred_on = DateField("Referral date", initial=timezone.localdate)
    attorney = TextField("Attorney", max_length=120, required=True)
    office = TextField("Office", max_length=120)
    note = TextField("Note", max_length=2000)


class JudgmentForm(forms.Form):
    case_number = TextField("Case number", max_length=60, required=True)
    court = TextField("Court", max_length=120, required=True)
    amount = MoneyFormField(label="Judgment amount", error_messages={"required": EMPTY})
    judgment_on = DateField("Judgment date")
    note = TextField("Note", max_length=2000)


class SatisfactionForm(forms.Form):
    satisfied_on = DateField("Satisfaction date", initial=timezone.localdate)
    amount = MoneyFormField(
        label="Amount satisfied", error_messages={"required": EMPTY}
    )


class PlacementForm(forms.Form):
    agency = TextField("Agency", max_length=120, required=True)
    placed_on = DateField("Placement date", initial=timezone.localdate)
    note = TextField("Note", max_length=2000)


class RecallForm(forms.Form):
    recalled_on = DateField("Recall date", initial=timezone.localdate)
    reason = TextField("Reason", required=True)


class ClaimPrepareForm(forms.Form):
    prepared_on = DateField("Claim date", initial=timezone.localdate)
    note = TextField("Note", max_length=2000)


class ClaimSubmitForm(forms.Form):
    submitted_on = DateField("Submitted on", initial=timezone.localdate)


class ClaimPaymentForm(forms.Form):
    amount = MoneyFormField(
        label="Amount the State paid", error_messages={"required": EMPTY}
    )
    paid_on = DateField("Paid on", initial=timezone.localdate)
    reference = IdentifierField(
        "Payment reference", what="A payment reference", max_length=64
    )
    method = _choices("Paid by", PaymentMethod.choices, initial=PaymentMethod.ACH)


class ClaimDenyForm(forms.Form):
    denied_on = DateField("Denied on", initial=timezone.localdate)
    reason = TextField("The State's reason", required=True)
