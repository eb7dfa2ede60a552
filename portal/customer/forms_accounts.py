"""The form for linking a utility account (the check itself is the service's,
portal/customer/services.py)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

ZIP_FORMAT = re.compile(r"^\d{5}(-?\d{4})?$")


class LinkAccountForm(forms.Form):
    number = forms.CharField(
        label="Account number",
        max_length=30,
        help_text="As printed on your utility bill.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the account number from your bill."},
    )
    postal_code = forms.CharField(
        label="Service ZIP code",
        max_length=10,
        help_text="The ZIP code of the address where you get service, e.g. 12180.",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
        ),
        error_messages={"required": "Enter the ZIP code of the service address."},
    )
    last_name = forms.CharField(
        label="Last name on the account",
        max_length=200,
        help_text="For a business account, the business name as on the bill.",
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": "Enter the last name on the account."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split())

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if not ZIP_FORMAT.match(value):
            raise forms.ValidationError(
                "Enter a ZIP code of 5 digits, e.g. 12180 (or ZIP+4, e.g. 12180-1234).",
                code="format",
            )
        return value

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())
