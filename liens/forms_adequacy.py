"""Forms of the adequacy part's back-office screens."""

from __future__ import annotations

from django import forms

from liens.choices import InstrumentType
from liens.models.adequacy import AdequacyPolicy, ReviewClass
from portal.money import MoneyFormField


class ReviewRunForm(forms.Form):
    as_of = forms.DateField(
        label="Review date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    customer_class = forms.ChoiceField(
        label="Accounts", choices=ReviewClass.choices, initial=ReviewClass.ALL
    )


class PolicyForm(forms.ModelForm):
    residential_minimum = MoneyFormField(label="Residential minimum (no bills yet)")
    commercial_minimum = MoneyFormField(label="Commercial minimum (no bills yet)")

    class Meta:
        model = AdequacyPolicy
        fields = ["multiple", "months", "expiring_window_days"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["residential_minimum"] = (
                self.instance.residential_minimum.amount
            )
            self.initial["commercial_minimum"] = self.instance.commercial_minimum.amount

    def clean_multiple(self):  # noqa: ANN201
        value = self.cleaned_data["multiple"]
        if value is not None and value <= 0:
            raise forms.ValidationError("The multiple must be more than 0.")
        return value

    def clean_months(self):  # noqa: ANN201
        value = self.cleaned_data["months"]
        if value is not None and not 1 <= value <= 60:
            raise forms.ValidationError("Look at between 1 and 60 months.")
        return value


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=2000)


class DecisionProposeForm(forms.Form):
    account = forms.CharField(label="Account number", max_length=20)
    deposit_required = MoneyFormField(label="Deposit required (dollars and cents)")
    instrument_type = forms.ChoiceField(
        label="Instrument required", choices=InstrumentType.choices
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reason for rejecting", max_length=255)
