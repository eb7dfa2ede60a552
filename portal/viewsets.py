"""Back-office screens for the core records (Wagtail ModelViewSets).

Financial and customer records are never deleted or copied from the admin:
`AuditedViewSet` turns off the copy view and refuses the delete permission,
and every list row and edit page links to the record's full audit history.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.forms import DocumentMetadataForm, DocumentUploadForm
from portal.models import (
    ApprovalLimit,
    Correspondence,
    Customer,
    Document,
    Note,
    Property,
    UtilityAccount,
)
from portal.services import document_upload

NEVER = {"delete"}


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Records that the audit trail depends on are never deleted from the admin."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in NEVER and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return super().user_has_any_permission(user, set(actions) - NEVER)

    def user_has_permission_for_instance(
        self, user: Any, action: str, instance: Any
    ) -> bool:
        return action not in NEVER and super().user_has_permission_for_instance(
            user, action, instance
        )

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(set(actions) - NEVER)


def history_url(instance: Any) -> str:
    opts = instance._meta
    return reverse("audit_history", args=[opts.app_label, opts.model_name, instance.pk])


class AuditedIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                "Audit history",
                url=history_url(instance),
                icon_name="history",
                priority=90,
            )
        )
        return buttons


class AuditedEditView(generic.EditView):
    @property
    def header_more_buttons(self) -> list[Any]:
        buttons = super().header_more_buttons
        buttons.append(
            HeaderButton(
                "Audit history",
                url=history_url(self.object),
                icon_name="history",
                priority=90,
            )
        )
        return buttons


class DocumentUploadView(generic.CreateView):
    """Uploads go through the checked upload service, never a bare form save."""

    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return document_upload(
            actor=self.request.user,
            upload=data["file"],
            document_type=data["document_type"],
            customer=data.get("customer"),
            description=data.get("description", ""),
        )


class AuditedViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView

    def on_register(self) -> None:
        register_permission_policy(self.model, NoDeletePermissionPolicy(self.model))
        super().on_register()


class CustomerViewSet(AuditedViewSet):
    name = "customers"
    model = Customer
    icon = "user"
    menu_label = "Customers"
    add_to_admin_menu = False
    list_display = [
        "display_name",
        "kind",
        "email",
        "phone",
        Column("created_at", label="Since"),
    ]
    list_filter = ["kind", "age_verified", "disability_verified", "income_verified"]
    search_fields = ["first_name", "last_name", "business_name", "email", "phone"]
    form_fields = [
        "kind",
        "first_name",
        "last_name",
        "business_name",
        "email",
        "phone",
        "mailing_line1",
        "mailing_line2",
        "mailing_city",
        "mailing_state",
        "mailing_postal_code",
        "date_of_birth",
        "age_verified",
        "disability_verified",
        "household_size",
        "household_income",
        "income_verified",
        "income_verified_on",
    ]


class UtilityAccountViewSet(AuditedViewSet):
    name = "accounts"
    model = UtilityAccount
    icon = "home"
    menu_label = "Utility accounts"
    list_display = [
        "number",
        "customer",
        "customer_class",
        "status",
        "delinquent_balance",
        "turned_to_bad_debt",
    ]
    list_filter = [
        "customer_class",
        "status",
        "turned_to_bad_debt",
        "has_electric",
        "has_gas",
        "has_water",
        "has_sewer",
    ]
    search_fields = [
        "number",
        "line1",
        "customer__last_name",
        "customer__business_name",
    ]
    form_fields = [
        "number",
        "customer",
        "service_property",
        "line1",
        "line2",
        "city",
        "state",
        "postal_code",
        "customer_class",
        "has_electric",
        "has_gas",
        "has_water",
        "has_sewer",
        "status",
        "opened_on",
        "delinquent_balance",
        "turned_to_bad_debt",
        "account_manager",
    ]


class PropertyViewSet(AuditedViewSet):
    name = "properties"
    model = Property
    icon = "site"
    menu_label = "Properties"
    list_display = ["parcel_id", "line1", "city"]
    search_fields = ["parcel_id", "line1", "legal_description"]
    form_fields = [
        "parcel_id",
        "legal_description",
        "line1",
        "line2",
        "city",
        "state",
        "postal_code",
        "owners",
    ]


class DocumentViewSet(AuditedViewSet):
    name = "customer_documents"
    model = Document
    icon = "doc-full"
    menu_label = "Customer documents"
    list_display = [
        "original_name",
        "document_type",
        "customer",
        "content_type",
        "uploaded_at",
    ]
    list_filter = ["document_type", "content_type"]
    search_fields = ["original_name", "description", "customer__last_name"]
    add_view_class = DocumentUploadView

    def get_form_class(self, for_update: bool = False) -> Any:
        return DocumentMetadataForm if for_update else DocumentUploadForm


class CorrespondenceViewSet(AuditedViewSet):
    name = "correspondence"
    model = Correspondence
    icon = "mail"
    menu_label = "Correspondence"
    list_display = ["subject", "customer", "channel", "sent_at"]
    list_filter = ["channel"]
    search_fields = ["subject", "customer__last_name", "customer__business_name"]
    form_fields = ["customer", "account", "channel", "subject", "body", "sent_at"]


class NoteViewSet(AuditedViewSet):
    name = "notes"
    model = Note
    icon = "comment"
    menu_label = "Notes"
    list_display = ["text", "content_type", "author", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["text"]
    form_fields = ["text"]


class ApprovalLimitViewSet(AuditedViewSet):
    name = "approval_limits"
    model = ApprovalLimit
    icon = "lock"
    menu_label = "Approval limits"
    add_to_settings_menu = True
    list_display = ["group", "action", "max_amount"]
    list_filter = ["action", "group"]
    form_fields = ["group", "action", "max_amount"]


class CoreRecordsGroup(ModelViewSetGroup):
    menu_label = "Customers & accounts"
    menu_icon = "group"
    menu_order = 100
    items = [
        CustomerViewSet,
        UtilityAccountViewSet,
        PropertyViewSet,
        DocumentViewSet,
        CorrespondenceViewSet,
        NoteViewSet,
    ]
