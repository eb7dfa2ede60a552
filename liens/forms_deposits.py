"""Forms of the deposits back office. Amounts use MoneyFormField (the one
money parser); the services judge everything else and their messages land
on these fields (the field names are the services' own)."""

from __future__ import annotations

from django import forms

from liens.choices import CorrespondenceDirection, InstrumentType
from portal.money import MoneyFormField

DATE = forms.DateInput(attrs={"type": "date"})


def _day(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class InstrumentForm(forms.Form):
    instrument_type = forms.ChoiceField(label="Type", choices=InstrumentType.choices)
    issuer = forms.CharField(
        label="Issuer, insurer or bank", max_length=200, required=False
    )
    instrument_number = forms.CharField(
        label="Instrument number", max_length=60, required=False
    )
    face_amount = MoneyFormField(label="Face amount")
    effective_on = _day("Effective on")
    expires_on = _day("Expires on (blank for cash)", required=False)
    document = forms.FileField(
        label="The instrument (scan or PDF)",
        required=False,
        help_text="The bond, certificate or letter as received; PDF or image.",
    )


class AllocationForm(forms.Form):
    account = forms.CharField(label="Account number", max_length=20)
    amount = MoneyFormField(label="Amount allocated")


AllocationFormSet = forms.formset_factory(AllocationForm, extra=3, max_num=50)


class AllocateForm(AllocationForm):
    pass


class RenewForm(forms.Form):
    new_expires_on = _day("New expiry date")


class ReleaseForm(forms.Form):
    released_on = _day("Returned on")


class RefundForm(forms.Form):
    refunded_on = _day("Refunded on")


class ApplyForm(forms.Form):
    account = forms.ChoiceField(label="Final-billed account")
    amount = MoneyFormField(label="Amount applied to the final bill")
    applied_on = _day("Applied on")

    def __init__(
        self, *args: object, accounts: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["account"].choices = accounts  # type: ignore[attr-defined]


class RedeemForm(forms.Form):
    redeemed_on = _day("Redeemed on")
    proceeds = MoneyFormField(label="Proceeds")
    early_redemption_penalty = MoneyFormField(label="Early-redemption penalty")


class FileClaimForm(forms.Form):
    account = forms.ChoiceField(label="Account")
    amount_claimed = MoneyFormField(label="Amount claimed")
    filed_on = _day("Filed on")

    def __init__(
        self, *args: object, accounts: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["account"].choices = accounts  # type: ignore[attr-defined]


class CorrespondenceForm(forms.Form):
    on = _day("Date")
    direction = forms.ChoiceField(
        label="Direction", choices=CorrespondenceDirection.choices
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 3}))


class StepDateForm(forms.Form):
    on = _day("Date")


class SettleForm(StepDateForm):
    settlement_amount = MoneyFormField(label="Negotiated settlement")


class RecoveryForm(StepDateForm):
    amount = MoneyFormField(label="Amount recovered")


class DenyForm(StepDateForm):
    reason = forms.CharField(
        label="Reason given", widget=forms.Textarea(attrs={"rows": 3})
    )
