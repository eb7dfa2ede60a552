"""Programs back office: programs (with budget), measures, poverty guidelines,
rebate applications and payments.

One write path: an application is entered through rebate_application_create
and moves only through its workflow actions (its page's buttons); a payment
is issued from the application and reversed only by a void; a program's
budget changes only through program_budget_change ("Change budget"). The
generic edit forms are for settings only (a program's name, dates and rules;
measures; guidelines), and every amount typed in them goes through
portal.money's MoneyFormField.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permissions import register_permission_policy

from portal.models import Document, UtilityAccount
from portal.money import MoneyFormField, format_money
from portal.transitions import open_actions
from portal.viewsets import (
    AuditedEditView,
    AuditedIndexView,
    AuditedViewSet,
    FormCreateView,
    MoneyColumn,
    RecordIndexView,
    RelatedObjectMixin,
    TextColumn,
    history_url,
)
from programs import rules
from programs.models import (
    Measure,
    PovertyGuideline,
    Program,
    RebateApplication,
    RebatePayment,
)
from programs.permissions import policy_for
from programs.selectors import budget_position
from programs.services import LineRequest, rebate_application_create
from programs.views import ACTIONS, LABELS, VoidPaymentForm, action_form, action_url

# --------------------------------------------------------------------------
# Records that change only through their services
# --------------------------------------------------------------------------


class ServiceOnlyViewSet(AuditedViewSet):
    """A viewset whose records the generic forms don't change (the policy
    from programs/permissions.py, put back after AuditedViewSet's own)."""

    def on_register(self) -> None:
        super().on_register()
        register_permission_policy(self.model, policy_for(self.model))


class RedirectToInspectView(generic.EditView):
    """In place of the generic edit form: back to the record's page, saying
    how the record does change."""

    message = ""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        opts = self.model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=kwargs["pk"])
        messages.warning(request, self.message.format(obj=obj))
        return redirect(self.inspect_url_name, obj.pk)


# --------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------

PROGRAM_SETTINGS = [
    "code",
    "name",
    "program_type",
    "fiscal_year",
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


def _names(value: Any, field: str, form: forms.Form) -> frozenset[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        form.add_error(field, 'Enter a list of names, for example ["residential"].')
        return None
    return frozenset(value)


class ProgramSettingsForm(WagtailAdminModelForm):
    """A program's settings (never its budget once it exists: that is
    "Change budget"); the eligibility rules must be ones the rules engine
    can apply."""

    class Meta:
        model = Program
        fields = PROGRAM_SETTINGS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        classes = _names(data.get("customer_classes"), "customer_classes", self)
        services = _names(data.get("required_services", []), "required_services", self)
        if classes is None or services is None:
            return data
        try:
            rules.ProgramCriteria(
                customer_classes=classes,
                required_services=services,
                requires_good_standing=bool(data.get("requires_good_standing")),
                minimum_age=data.get("minimum_age"),
                requires_disability=bool(data.get("requires_disability")),
                income_limit_percent=data.get("income_limit_percent"),
                senior_or_disabled=bool(data.get("senior_or_disabled")),
            ).validate()
        except ValueError as error:
            self.add_error(None, str(error))
        return data


class ProgramCreateForm(ProgramSettingsForm):
    budget = MoneyFormField(
        label="Budget",
        help_text="The fiscal year's budget, in dollars and cents.",
        error_messages={"required": "Enter the program's budget."},
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_SETTINGS[:4], "budget", *PROGRAM_SETTINGS[4:]]


class RemainingBudgetColumn(TextColumn):
    def get_value(self, instance: Any) -> Any:
        return format_money(budget_position(instance).remaining)


def budget_url(program: Program) -> str:
    return reverse("program_change_budget", args=[program.pk])


class ProgramIndexView(AuditedIndexView):
    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        if instance.can_change_budget(self.request.user):
            buttons.append(
                Button(
                    "Change budget",
                    url=budget_url(instance),
                    icon_name="edit",
                    priority=20,
                )
            )
        return buttons


class ProgramEditView(AuditedEditView):
    @property
    def header_more_buttons(self) -> list[Any]:
        buttons = super().header_more_buttons
        if self.object.can_change_budget(self.request.user):
            buttons.append(
                HeaderButton(
                    "Change budget",
                    url=budget_url(self.object),
                    icon_name="edit",
                    priority=20,
                )
            )
        return buttons


class ProgramViewSet(AuditedViewSet):
    name = "programs"
    model = Program
    icon = "pick"
    menu_label = "Programs"
    index_view_class = ProgramIndexView
    edit_view_class = ProgramEditView
    list_display = [
        "code",
        "name",
        "program_type",
        "fiscal_year",
        MoneyColumn("budget", label="Budget"),
        RemainingBudgetColumn("remaining", label="Remaining budget"),
    ]
    list_filter = ["program_type", "fiscal_year", "is_active"]
    search_fields = ["code", "name"]

    def get_form_class(self, for_update: bool = False) -> Any:
        return ProgramSettingsForm if for_update else ProgramCreateForm


# --------------------------------------------------------------------------
# Measures and poverty guidelines
# --------------------------------------------------------------------------


class MeasureForm(WagtailAdminModelForm):
    """A measure; its incentive rule and limit must be ones the rules engine
    can apply (so an application never meets a broken rule)."""

    cap = MoneyFormField(
        label="Cap", required=False, help_text="Most a percent-of-cost incentive pays."
    )

    class Meta:
        model = Measure
        fields = [
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            rules.IncentiveRule(
                kind=data.get("incentive_kind"),
                amount=data.get("amount"),
                percent=data.get("percent"),
                cap=data.get("cap"),
            ).validate()
        except ValueError as error:
            self.add_error(None, str(error))
        if data.get("limit_kind"):
            try:
                rules.check_measure_limit(
                    data["limit_kind"], 0, Decimal("1"), data.get("lifetime_max")
                )
            except ValueError as error:
                self.add_error("lifetime_max", str(error))
        return data


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
        MoneyColumn("cap", label="Cap"),
        "limit_kind",
    ]
    list_filter = ["program", "incentive_kind", "limit_kind"]
    search_fields = ["code", "name"]

    def get_form_class(self, for_update: bool = False) -> Any:
        return MeasureForm


class PovertyGuidelineForm(WagtailAdminModelForm):
    additional_per_person = MoneyFormField(
        label="Additional per person",
        help_text="Added for each person beyond the largest household listed.",
    )

    class Meta:
        model = PovertyGuideline
        fields = ["year", "additional_per_person"]


class PovertyGuidelineViewSet(AuditedViewSet):
    name = "poverty_guidelines"
    model = PovertyGuideline
    icon = "table"
    menu_label = "Poverty guidelines"
    list_display = ["year", MoneyColumn("additional_per_person", label="Per person")]

    def get_form_class(self, for_update: bool = False) -> Any:
        return PovertyGuidelineForm


# --------------------------------------------------------------------------
# Rebate applications
# --------------------------------------------------------------------------


class RebateEntryForm(forms.Form):
    """Staff entry of an application with one measure line (more lines can
    be entered through the service)."""

    program = forms.ModelChoiceField(queryset=Program.objects.filter(is_active=True))
    account = forms.ModelChoiceField(queryset=UtilityAccount.objects.all())
    measure = forms.ModelChoiceField(queryset=Measure.objects.all())
    quantity = forms.DecimalField(min_value=Decimal("0.01"), decimal_places=2)
    invoiced_cost = MoneyFormField(label="Invoiced cost", required=False)
    install_date = forms.DateField(required=False)
    contractor_name = forms.CharField(required=False, max_length=200)
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.all(),
        required=False,
        help_text="Invoices and photos (upload them under Customer documents).",
    )


class RebateEntryView(FormCreateView):
    plain_form_class = RebateEntryForm

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
            # Eligibility lands on the account, a broken rule on the
            # program; measure problems above the form.
            for name, errors in error.message_dict.items():
                field = name if name in ("program", "account") else None
                self.form.add_error(field, errors)
            raise

    def form_valid(self, form: Any) -> Any:
        try:
            return super().form_valid(form)
        except ValidationError:
            # The service refused (the errors are on the form by now).
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class RebateInspectView(RelatedObjectMixin, generic.InspectView):
    """A rebate application's page: its customer, account, program and
    payments, each a link (read with the record, the payments in one
    query); its lines; its actions."""

    template_name = "programs/admin/application_inspect.html"
    related = ("customer", "account", "program")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        app = self.object
        budget = budget_position(app.program)
        lines = [
            {
                "measure": line.measure.name,
                "quantity": f"{line.quantity.normalize():f} {line.measure.unit}",
                "invoiced": "—"
                if line.invoiced_cost is None
                else format_money(line.invoiced_cost),
                "incentive": format_money(line.incentive),
            }
            for line in app.lines.select_related("measure")
        ]
        context.update(
            app=app,
            lines=lines,
            requested=format_money(app.requested_amount.amount),
            approved=format_money(app.approved_amount.amount)
            if app.approved_amount is not None
            else "",
            remaining=format_money(budget.remaining),
            payments=[
                {
                    "payment": payment,
                    "amount": format_money(payment.amount),
                    "url": reverse("rebate_payments:inspect", args=[payment.pk]),
                }
                for payment in app.payments.all()
            ],
            actions=[
                {
                    "name": action,
                    "label": LABELS[action],
                    "form": action_form(action, app),
                    "url": action_url(app, action),
                }
                for action in open_actions(app, self.request.user, ACTIONS)
            ],
            history_url=history_url(app),
            # What the customer sent answering an information request online
            # (programs.online_answers), newest first.
            answers=list(app.documents.order_by("-uploaded_at", "-pk")),
        )
        return context


class RebateApplicationEditView(RedirectToInspectView):
    message = (
        "{obj.reference} can't be edited: an application changes only through "
        "the actions on its page."
    )


class RebateApplicationViewSet(ServiceOnlyViewSet):
    name = "rebate_applications"
    model = RebateApplication
    icon = "form"
    menu_label = "Rebate applications"
    list_display = [
        "reference",  # the title column: it links to the application's page
        "customer",
        "program",
        MoneyColumn("requested_amount", label="Requested"),
        MoneyColumn("approved_amount", label="Approved"),
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
    edit_view_class = RebateApplicationEditView
    index_view_class = RecordIndexView  # a row opens the application's page
    inspect_view_class = RebateInspectView

    def get_form_class(self, for_update: bool = False) -> Any:
        return RebateEntryForm

    def list_queryset(self) -> Any:
        return RebateApplication.objects.select_related("customer", "program")


# --------------------------------------------------------------------------
# Rebate payments
# --------------------------------------------------------------------------


class RebatePaymentInspectView(generic.InspectView):
    template_name = "programs/admin/payment_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        payment = self.object
        context.update(
            payment=payment,
            amount=format_money(payment.amount),
            application_url=reverse(
                "rebate_applications:inspect", args=[payment.application_id]
            ),
            void_form=VoidPaymentForm(auto_id="id_void_%s")
            if payment.can_void(self.request.user)
            else None,
            history_url=history_url(payment),
        )
        return context


class RebatePaymentEditView(RedirectToInspectView):
    message = (
        "Payments can't be edited: a payment stands as issued until it is "
        "voided with the Void action on its page."
    )


class RebatePaymentAddView(generic.CreateView):
    """Payments are made from an approved application's page."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.has_perm("programs.view_rebatepayment"):
            raise PermissionDenied
        messages.warning(
            request,
            "Payments are made from an approved application's page "
            "(Pay by check, Pay by bill credit).",
        )
        return redirect(self.index_url_name)


class RebatePaymentViewSet(ServiceOnlyViewSet):
    name = "rebate_payments"
    model = RebatePayment
    icon = "success"
    menu_label = "Rebate payments"
    list_display = [
        "application",
        "method",
        MoneyColumn("amount", label="Amount"),
        "paid_on",
        "check_number",
        "status",
    ]
    list_filter = ["method", "status"]
    search_fields = ["check_number"]
    add_view_class = RebatePaymentAddView
    edit_view_class = RebatePaymentEditView
    inspect_view_class = RebatePaymentInspectView
    form_fields: list[str] = []

    def list_queryset(self) -> Any:
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
