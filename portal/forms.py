from __future__ import annotations

from typing import Any

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from portal.choices import DocumentType
from portal.models import Document
from portal.validators import validate_document_file


class DocumentUploadForm(WagtailAdminModelForm):
    """Staff upload of a customer document; the file is checked before saving."""

    class Meta:
        model = Document
        fields = ["document_type", "file", "customer", "description"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_document_file(upload)
        return upload


class DocumentMetadataForm(WagtailAdminModelForm):
    """After upload only the description and links can change, never the file."""

    class Meta:
        model = Document
        fields = ["document_type", "customer", "description"]


class CustomerDocumentForm(forms.Form):
    """Customer self-service upload (public site)."""

    document_type = forms.ChoiceField(choices=DocumentType.choices)
    file = forms.FileField()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_document_file(upload)
        return upload
