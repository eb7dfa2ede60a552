"""My loans: the payoff date a customer asks a quote (and a letter) for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from portal.templatetags.portal_format import day_text

# How far ahead a payoff amount is quoted: interest accrues daily, so a quote
# for a distant date would mislead (the letter says it is good through it).
PAYOFF_DAYS_AHEAD = 90
BEFORE_TODAY = "Choose today ({today}) or a later date: a payoff amount is for a day still to come."
TOO_FAR = (
    "Choose a date by {limit} (within {days} days): interest adds up every "
    "day, so we quote payoff amounts for the next {days} days only."
)


class PayoffDateForm(forms.Form):
    as_of = forms.DateField(
        label="Pay off on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Choose the date you plan to pay the loan off.",
            "invalid": "Enter the date as year-month-day, for example 2026-03-31.",
        },
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.limit = today + timedelta(days=PAYOFF_DAYS_AHEAD)
        self.fields["as_of"].help_text = (
            f"From today to {day_text(self.limit)}. The amount includes the "
            "interest that adds up until that day."
        )
        self.fields["as_of"].widget.attrs.update(
            {"min": today.isoformat(), "max": self.limit.isoformat()}
        )

    def clean_as_of(self) -> date:
        as_of: date = self.cleaned_data["as_of"]
        if as_of < self.today:
            raise forms.ValidationError(BEFORE_TODAY.format(today=day_text(self.today)))
        if as_of > self.limit:
            raise forms.ValidationError(
                TOO_FAR.format(limit=day_text(self.limit), days=PAYOFF_DAYS_AHEAD)
            )
        return as_of
