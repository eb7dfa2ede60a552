"""My applications: the customer's answer to an information request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal.customer.answers import FILES_LIMIT, MESSAGE_LIMIT


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans each
    file and returns the list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single_file_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_file_clean(item, initial) for item in data if item]
        return [single_file_clean(data, initial)] if data else []


class AnswerForm(forms.Form):
    """The message and the files; what they may be is the answer service's
    rule (portal.customer.answers), so its refusals land on these fields."""

    message = forms.CharField(
        label="Your answer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MESSAGE_LIMIT,
        error_messages={
            "max_length": "Keep the answer to %(limit_value)d characters; "
            "it has %(show_value)d."
        },
        help_text="Say what you are sending, or answer the question here.",
    )
    documents = MultipleFileField(
        label="Files (optional)",
        required=False,
        help_text=(
            f"Up to {FILES_LIMIT} files: PDF, JPEG or PNG, each at most "
            f"{filesizeformat(settings.PORTAL_DOCUMENT_MAX_BYTES)}. "
            "Choose several at once if you need to."
        ),
    )
