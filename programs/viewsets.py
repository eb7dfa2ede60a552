"""Programs back office: programs (with budget), measures, poverty guidelines,
rebate applications and payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.models import Document, UtilityAccount
from portal.viewsets import AuditedViewSet, history_url
from programs.models import (
    Measure,
    PovertyGuideline,
    Program,
    RebateApplication,
    RebatePayment,
)
from programs.selectors import budget_position
from programs.services import LineRequest, rebate_application_create


class RemainingBudgetColumn(Column):
    def get_value(self, instance: Any) -> Any:
        return f"${budget_position(instance).remaining:,.2f}"


class ProgramViewSet(AuditedViewSet):
    name = "programs"
    model = Program
    icon = "pick"
    menu_label = "Programs"
    list_display = [
        "code",
        "name",
        "program_type",
        "fiscal_year",
        "budget",
        RemainingBudgetColumn("remaining", label="Remaining budget"),
    ]
    list_filter = ["program_type", "fiscal_year", "is_active"]
    search_fields = ["code", "name"]
    form_fields = [
        "code",
        "name",
        "program_type",
        "fiscal_year",
        "budget",
        "starts_on",
        "ends_on",
        "customer_classes",
        "required_services",
        "requires_good_standing",
        "minimum_age",
        "requires_disability",
        "senior_or_disabled",
        "income_limit_percent",
        "account_manager_required",
        "is_active",
    ]


class MeasureViewSet(AuditedViewSet):
    name = "measures"
    model = Measure
    icon = "list-ul"
    menu_label = "Measures"
    list_display = [
        "code",
        "name",
        "program",
        "incentive_kind",
        "amount",
        "percent",
        "cap",
        "limit_kind",
    ]
    list_filter = ["program", "incentive_kind", "limit_kind"]
    search_fields = ["code", "name"]
    form_fields = [
        "program",
        "code",
        "name",
        "incentive_kind",
        "amount",
        "percent",
        "cap",
        "unit",
        "required_documents",
        "kwh_savings_per_unit",
        "therms_savings_per_unit",
        "limit_kind",
        "lifetime_max",
    ]


class PovertyGuidelineViewSet(AuditedViewSet):
    name = "poverty_guidelines"
    model = PovertyGuideline
    icon = "table"
    menu_label = "Poverty guidelines"
    list_display = ["year", "additional_per_person"]
    form_fields = ["year", "additional_per_person"]


class RebateEntryForm(forms.Form):
    """Staff entry of an application with one measure line (more lines can
    be entered through the service)."""

    program = forms.ModelChoiceField(queryset=Program.objects.filter(is_active=True))
    account = forms.ModelChoiceField(queryset=UtilityAccount.objects.all())
    measure = forms.ModelChoiceField(queryset=Measure.objects.all())
    quantity = forms.DecimalField(min_value=Decimal("0.01"), decimal_places=2)
    invoiced_cost = forms.DecimalField(
        required=False, min_value=Decimal("0"), decimal_places=2
    )
    install_date = forms.DateField(required=False)
    contractor_name = forms.CharField(required=False, max_length=200)
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.all(),
        required=False,
        help_text="Invoices and photos (upload them under Customer documents).",
    )


class RebateEntryView(generic.CreateView):
    def get_form_class(self) -> Any:
        return RebateEntryForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("for_user", None)
        return kwargs

    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        try:
            return rebate_application_create(
                actor=self.request.user,
                program=data["program"],
                account=data["account"],
                lines=[
                    LineRequest(
                        data["measure"], data["quantity"], data.get("invoiced_cost")
                    )
                ],
                install_date=data.get("install_date"),
                contractor_name=data.get("contractor_name", ""),
                documents=list(data.get("documents") or []),
            )
        except ValidationError as error:
            for message in error.messages:
                self.form.add_error(None, message)
            raise

    def form_valid(self, form: Any) -> Any:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


_ACTIONS = {
    "submitted": ["start_review", "deny"],
    "in_review": ["request_information", "schedule_inspection", "approve", "deny"],
    "needs_information": ["provide_information", "deny"],
    "inspection_scheduled": ["record_inspection", "deny"],
    "inspected": ["approve", "deny"],
    "approved": ["pay_by_check", "pay_by_bill_credit", "cancel"],
}


class RebateInspectView(generic.InspectView):
    template_name = "programs/admin/application_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        app = self.object
        context.update(
            app=app,
            lines=app.lines.select_related("measure"),
            budget=budget_position(app.program),
            actions=_ACTIONS.get(app.status, []),
            history_url=history_url(app),
        )
        return context


class RebateApplicationViewSet(AuditedViewSet):
    name = "rebate_applications"
    model = RebateApplication
    icon = "form"
    menu_label = "Rebate applications"
    list_display = [
        Column("reference", label="Application", accessor="reference"),
        "customer",
        "program",
        "requested_amount",
        "approved_amount",
        "status",
        "submitted_at",
    ]
    list_filter = ["status", "program"]
    search_fields = [
        "customer__last_name",
        "customer__business_name",
        "account__number",
        "contractor_name",
    ]
    add_view_class = RebateEntryView
    inspect_view_class = RebateInspectView
    form_fields = ["install_date", "contractor_name"]

    def get_queryset(self, request: Any) -> Any:
        return RebateApplication.objects.select_related("customer", "program")


class RebatePaymentViewSet(AuditedViewSet):
    name = "rebate_payments"
    model = RebatePayment
    icon = "success"
    menu_label = "Rebate payments"
    list_display = [
        "application",
        "method",
        "amount",
        "paid_on",
        "check_number",
        "status",
    ]
    list_filter = ["method", "status"]
    search_fields = ["check_number"]
    form_fields = ["void_reason"]

    def get_queryset(self, request: Any) -> Any:
        return RebatePayment.objects.select_related("application__customer")


class ProgramsGroup(ModelViewSetGroup):
    menu_label = "Programs"
    menu_icon = "pick"
    menu_order = 300
    items = [
        ProgramViewSet,
        MeasureViewSet,
        RebateApplicationViewSet,
        RebatePaymentViewSet,
        PovertyGuidelineViewSet,
    ]
