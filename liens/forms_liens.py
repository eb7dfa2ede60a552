"""Forms of the lien screens: each field's message is the service's."""

from __future__ import annotations

from django import forms


class DayInput(forms.DateInput):
    input_type = "date"


class LienRecordForm(forms.Form):
    recording_county = forms.CharField(label="Recording county", max_length=100)
    instrument_number = forms.CharField(
        label="Instrument number", max_length=60, required=False
    )
    book = forms.CharField(max_length=20, required=False)
    page = forms.CharField(max_length=20, required=False)
    recorded_on = forms.DateField(label="Recorded on", widget=DayInput)
    position = forms.IntegerField(
        label="Position", min_value=1, required=False, help_text="1 for a first lien."
    )
    recorded_document = forms.FileField(label="The recorded lien (PDF)", required=False)


class LienSatisfyForm(forms.Form):
    satisfaction_instrument_number = forms.CharField(
        label="Instrument number of the recorded satisfaction", max_length=60
    )
    satisfied_on = forms.DateField(label="Recorded on", widget=DayInput)
    document = forms.FileField(label="The recorded satisfaction (PDF)", required=False)


class PayoffRequestForm(forms.Form):
    title_company = forms.CharField(label="Title company", max_length=200)
    contact_name = forms.CharField(label="Contact", max_length=200)
    email = forms.EmailField(label="E-mail")
    closing_on = forms.DateField(label="Closing date", widget=DayInput)
    payoff_on = forms.DateField(label="Requested payoff date", widget=DayInput)


class RegisterForm(forms.Form):
    start = forms.DateField(label="From", widget=DayInput)
    end = forms.DateField(label="To", widget=DayInput)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must not be before its start.")
        return data
