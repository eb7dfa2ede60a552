"""Loans back office: products, applications (with underwriting and action
buttons), loans (schedule, ledger, payments, checks), payment batches and the
bad-check ledger. Every screen is read-mostly: money moves only through the
services, called by the action views in loans/views.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

import django_filters

from loans import selectors
from loans.forms import ApplicationForm
from loans.models import (
    AgingRun,
    Disbursement,
    Installment,
    LedgerEntry,
    Loan,
    LoanApplication,
    LoanProduct,
    Payment,
    PaymentBatch,
)
from loans.schedule import DPD_BUCKETS
from loans.services.applications import (
    application_create,
    application_update,
    open_application_actions,
)
from loans.services.closing import loan_assign_officer
from loans.views import application_page_context, loan_page_context
from loans.words import DPD_BUCKET_WORDS
from portal.db.precompiled import Precompiled, PrecompiledByKeys
from portal.viewsets import (
    AuditedViewSet,
    DayColumn,
    KeysFirstPaginator,
    MoneyColumn,
    ReadOnlyViewSet,
    RecordIndexView,
    RelatedObjectMixin,
    ServiceEditView,
    ServiceRefusalMixin,
    TextColumn,
    history_url,
)


class LoanProductViewSet(AuditedViewSet):
    name = "loan_products"
    model = LoanProduct
    icon = "tag"
    menu_label = "Loan products"
    list_display = [
        "code",
        "name",
        "annual_rate",
        "max_amount",
        "max_term_months",
        "state_guaranteed",
        "is_active",
    ]
    form_fields = [
        "name",
        "description",
        "annual_rate",
        "min_amount",
        "max_amount",
        "max_term_months",
        "origination_fee",
        "late_fee",
        "late_fee_grace_days",
        "returned_payment_fee",
        "lien_required_above",
        "default_dpd",
        "state_guaranteed",
        "is_active",
    ]


class ApplicationCreateView(ServiceRefusalMixin, generic.CreateView):
    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return application_create(
            actor=self.request.user,
            customer=data["customer"],
            account=data["account"],
            product=data["product"],
            requested_amount=data["requested_amount"],
            requested_term_months=data["requested_term_months"],
            purpose=data["purpose"],
            parcel=data.get("parcel"),
            contractor_name=data.get("contractor_name", ""),
            proposal_document=data.get("proposal_document"),
        )


class ApplicationEditView(ServiceEditView):
    """Only a draft or an application waiting for information can be edited
    (LoanApplication.can_edit), and the change goes through its service."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.contrib import messages
        from django.shortcuts import get_object_or_404, redirect

        application = get_object_or_404(LoanApplication, pk=kwargs["pk"])
        verdict = application.can_edit(request.user)
        if not verdict:
            messages.error(request, verdict.reason)
            return redirect("loan_applications:inspect", application.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        return application_update(
            actor=self.request.user, application=instance, **changes
        )


# What the buttons say (the code names never reach the screen).
ACTION_LABELS = {
    "submit": "Submit",
    "start_review": "Start review",
    "request_information": "Request information",
    "provide_information": "Information received: resume review",
    "approve": "Approve",
    "decline": "Decline",
    "withdraw": "Withdraw",
}


def application_documents(application: LoanApplication, user: Any) -> Any:
    """The application's documents: the contractor's proposal and what the
    customer has on file, in one query (None when the viewer may not see
    documents)."""
    from django.db.models import Q

    from portal.models import Document

    if not user.has_perm("portal.view_document"):
        return None
    return list(
        Document.objects.filter(
            Q(customer_id=application.customer_id)
            | Q(pk=application.proposal_document_id)
        ).select_related("uploaded_by")
    )


class ApplicationInspectView(RelatedObjectMixin, generic.InspectView):
    """An application's page: its customer, account, property, documents and
    (once opened) its loan, each a link; the underwriting facts; its
    actions."""

    template_name = "loans/admin/application_inspect.html"
    related = (
        "customer",
        "account",
        "parcel",
        "product",
        "proposal_document",
        "prepared_by",
        "officer",
        "decided_by",
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["application"] = self.object
        context["documents"] = application_documents(self.object, self.request.user)
        # What the customer sent answering an information request online
        # (loans.services.online_answers), newest first.
        context["answers"] = list(self.object.documents.order_by("-uploaded_at", "-pk"))
        context["facts"] = selectors.underwriting_facts(self.object)
        context["actions"] = [
            (action, ACTION_LABELS[action])
            for action in open_application_actions(self.object, self.request.user)
            if action != "edit"
        ]
        context["history_url"] = history_url(self.object)
        # The loan it became, or the "Open the loan" step; withdraw's button
        # leads to its confirmation page.
        context.update(application_page_context(self.object, self.request.user))
        return context


def officers() -> Any:
    """Who can be a loan officer, for the officer filters: back-office staff
    (their roles, or superusers), not every customer with a portal log-in
    (one option per user would be a 100,000-line select at scale)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from portal.panels import STAFF_ROLES

    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=STAFF_ROLES) | Q(is_superuser=True) | Q(is_staff=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class ApplicationFilterSet(WagtailFilterSet):
    officer = django_filters.ModelChoiceFilter(
        label="Officer", queryset=lambda request: officers()
    )

    class Meta:
        model = LoanApplication
        fields = ["status", "product", "officer"]


class ApplicationViewSet(AuditedViewSet):
    name = "loan_applications"
    model = LoanApplication
    icon = "form"
    menu_label = "Applications"
    add_view_class = ApplicationCreateView
    edit_view_class = ApplicationEditView
    index_view_class = RecordIndexView
    inspect_view_class = ApplicationInspectView
    list_display = [
        # A row opens the application's page.
        TitleColumn(
            "reference",
            label="Application",
            accessor="reference",
            get_url=lambda app: reverse("loan_applications:inspect", args=[app.pk]),
        ),
        "customer",
        "product",
        "requested_amount",
        "status",
        "officer",
        "created_at",
    ]
    filterset_class = ApplicationFilterSet
    search_fields = [
        "customer__last_name",
        "customer__business_name",
        "account__number",
        "purpose",
    ]
    form_fields = [
        "customer",
        "account",
        "parcel",
        "product",
        "requested_amount",
        "requested_term_months",
        "purpose",
        "contractor_name",
        "proposal_document",
    ]

    def get_form_class(self, for_update: bool = False) -> Any:
        # Amounts through portal.money's parser, not djmoney's widget.
        return ApplicationForm

    def list_queryset(self) -> Any:
        return LoanApplication.objects.select_related(
            "customer", "product", "officer", "account"
        )


class LoanFilterSet(WagtailFilterSet):
    officer = django_filters.ModelChoiceFilter(
        label="Officer", queryset=lambda request: officers()
    )
    dpd_bucket = django_filters.ChoiceFilter(
        label="Days past due",
        method="filter_dpd",
        choices=[(b, DPD_BUCKET_WORDS.get(b, b)) for b in DPD_BUCKETS],
    )

    class Meta:
        model = Loan
        fields = ["status", "product", "officer"]

    def filter_dpd(self, queryset: Any, name: str, value: str) -> Any:
        return selectors.filter_by_dpd_bucket(queryset, value, timezone.localdate())


class DaysPastDueColumn(TextColumn):
    def get_value(self, instance: Any) -> Any:
        # The loan row's cached fact (indexed), kept by the engine.
        return selectors.days_past_due_from(
            instance.oldest_unpaid_due, timezone.localdate()
        )


UNIQUE_LOAN_ORDERINGS = frozenset({"pk", "id", "number"})


# A page's loans by their keys, read with SQL worked out once per process
# (portal.db.precompiled); the list's columns need no date.
_LOAN_LIST_ROWS = PrecompiledByKeys(
    lambda keys: selectors.loan_list_with_dpd(date.min).filter(pk__in=keys)
)


def loans_matching(text: str) -> Any:
    """Keys of the loans whose number, customer (names, e-mail, phone,
    address: the customer search's text) or account number contains the
    text. Each part is its own query on its own trigram index (loans 0007,
    portal 0004 and 0006), joined by UNION: one OR across the joined tables
    could use none of them and read every loan."""
    from portal.models import UtilityAccount
    from portal.viewsets import customers_matching

    customers = customers_matching(text).order_by().values("pk")
    accounts = UtilityAccount.objects.filter(number__icontains=text)
    by_number = Loan.objects.filter(number__icontains=text)
    by_customer = Loan.objects.filter(customer__in=customers)
    by_account = Loan.objects.filter(account__in=accounts.order_by().values("pk"))
    return (
        by_number.order_by()
        .values("pk")
        .union(
            by_customer.order_by().values("pk"),
            by_account.order_by().values("pk"),
        )
    )


# A search's matching keys in the list's order (by number), up to one more
# than the paginator sorts at once; SQL worked out once per process.
_LOAN_SEARCH_KEYS = Precompiled(
    lambda text: (
        Loan.objects.filter(pk__in=loans_matching(text))
        .order_by("number")
        .values_list("pk", flat=True)[: KeysFirstPaginator.FEW + 1]
    ),
    keys=(str,),
)


class LoanListPaginator(KeysFirstPaginator):
    """The loan list's pages: a page's keys are read from whichever end of
    the list's order is nearer, so the last page walks 20 index entries
    backwards instead of skipping 99,980 (page 5,000 of 100,000 loans); its
    rows are then read by key alone, without the search or filters that
    found them (they ran once, for the keys)."""

    def keys_in_order(self, rows: Any) -> Any:
        # A total order (ties broken by the key), so that counted from
        # either end a page holds the same rows.
        ordering: list[Any] = list(rows.query.order_by or Loan._meta.ordering or [])
        last = ordering[-1] if ordering else None
        if not (isinstance(last, str) and last.lstrip("-") in UNIQUE_LOAN_ORDERINGS):
            ordering.append("pk")
        return rows.order_by(*ordering)

    def page_keys(self, rows: Any, bottom: int, top: int) -> list[Any]:
        keys_in_order = self.keys_in_order(rows).values_list("pk", flat=True)
        if bottom > self.count - top:
            # The same rows counted from the end, in the reversed order.
            tail = list(keys_in_order.reverse()[self.count - top : self.count - bottom])
            return tail[::-1]
        return list(keys_in_order[bottom:top])

    def rows_by_key(self, rows: Any, keys: list[Any]) -> Any:
        return _LOAN_LIST_ROWS(keys)


class _Token(Component):
    """Stands in for a row's button while its cell's stencil is drawn."""

    show = True

    def __init__(self, text: str) -> None:
        self.text = text

    def render_html(self, parent_context: Any = None) -> str:
        return self.text


TITLE_VALUE = "loans-stencil-title-3c1e"
TITLE_URL = "loans-stencil-url-3c1e"
TITLE_BUTTON = "loans-stencil-button-3c1e-%d-"


class StencilTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The list's first column (the loan number, linking its page, with the
    row's buttons), drawn through Wagtail's title-cell template once per
    page for each number of buttons and then reused for the next rows with
    their own number, address and buttons put in, escaped as the template
    escapes them: the same markup, without a template render per row
    (portal.viewsets.StencilDropdown does the same for the buttons)."""

    def __init__(self, *args: Any, get_buttons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance: Any, parent_context: Any) -> Any:
        return self._get_buttons(instance)

    def render_cell_html(self, instance: Any, parent_context: Any) -> Any:
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        context = self.get_cell_context_data(instance, parent_context)
        buttons = [b for b in context["buttons"] if b.show]
        if context["title_id"] or context["label_id"] or self.link_classname:
            return super().render_cell_html(instance, parent_context)
        # The view makes its columns for each request: the stencils live
        # as long as one page.
        stencils = self.__dict__.setdefault("_stencils", {})
        stencil = stencils.get(len(buttons))
        if stencil is None:
            blank = {
                **context,
                "value": TITLE_VALUE,
                "link_url": TITLE_URL,
                "link_attrs": {**context["link_attrs"], "href": TITLE_URL},
                "buttons": [_Token(TITLE_BUTTON % i) for i in range(len(buttons))],
            }
            stencil = str(self.cell_template.render(blank))
            stencils[len(buttons)] = stencil
        html = stencil.replace(TITLE_VALUE, str(conditional_escape(context["value"])))
        html = html.replace(TITLE_URL, str(conditional_escape(context["link_url"])))
        for i, button in enumerate(buttons):
            html = html.replace(
                TITLE_BUTTON % i, str(button.render_html(parent_context))
            )
        return mark_safe(html)  # noqa: S308 - the template's output, values escaped


class LoanIndexView(RecordIndexView):
    paginator_class = LoanListPaginator

    # Every row asks the same questions of the model's permission policy
    # (edit? inspect? delete?: ~150 checks a page); the answers hold for the
    # request, so each is asked once.
    def user_has_permission(self, permission: str) -> bool:
        answers = self.__dict__.setdefault("_permission_answers", {})
        if permission not in answers:
            answers[permission] = super().user_has_permission(permission)
        return answers[permission]

    def user_has_any_permission(self, permissions: Any) -> bool:
        answers = self.__dict__.setdefault("_permission_answers", {})
        key = frozenset(permissions)
        if key not in answers:
            answers[key] = super().user_has_any_permission(permissions)
        return answers[key]

    def _get_title_column(
        self, field_name: str, column_class: Any = None, **kwargs: Any
    ) -> Any:
        return self._get_custom_column(
            field_name,
            StencilTitleColumn,
            get_url=self.get_inspect_url,
            get_buttons=self.get_list_buttons,
            **kwargs,
        )

    def get_base_queryset(self) -> Any:
        return selectors.loan_list_with_dpd(timezone.localdate())

    def get_paginator(self, queryset: Any, *args: Any, **kwargs: Any) -> Any:
        """Every loan, or one DPD bucket's, with no other filter or search:
        the count comes from the loans' counts by oldest unpaid due date, not
        from counting 100,000 rows (loans.models.counts). A search alone, in
        the list's own order: its keys are read with SQL worked out once."""
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if self.is_searching:
            own_order = tuple(queryset.query.order_by) in {(), ("number",)}
            if own_order and self.chosen_filters() == {}:
                text = self.search_query
                paginator.precompiled_keys = lambda: _LOAN_SEARCH_KEYS(text)
            return paginator
        countable, bucket = self.counted_bucket()
        if countable:
            today = timezone.localdate()
            paginator.counted = lambda: selectors.loans_counted(bucket, today)
        return paginator

    def counted_bucket(self) -> tuple[bool, str | None]:
        """Whether only a DPD bucket (or nothing) narrows the list, and
        which bucket (None: every loan)."""
        chosen = self.chosen_filters()
        if self.is_searching or chosen is None or not set(chosen) <= {"dpd_bucket"}:
            return False, None
        return True, (str(chosen["dpd_bucket"]) if chosen else None)

    def search_queryset(self, queryset: Any) -> Any:
        """Loans matching the search (see loans_matching)."""
        if not self.is_searching:
            return queryset
        return queryset.filter(pk__in=loans_matching(self.search_query))


# The loan page's reads, each compiled once per process (portal.db.precompiled).
_LOAN_PAGE_READS = {
    "other_loans": Precompiled(
        lambda customer, loan: (
            Loan.objects.filter(customer_id=customer)
            .exclude(pk=loan)
            .order_by("number")
        ),
        keys=2,
    ),
    "payments": Precompiled(
        lambda loan: Payment.objects.filter(loan_id=loan).select_related("batch")
    ),
    # reissued_as is read by Disbursement.can_reissue: fetched with the row.
    "checks": Precompiled(
        lambda loan: (
            Disbursement.objects.filter(loan_id=loan)
            .select_related("replaces", "reissued_as")
            .order_by("pk")
        )
    ),
    "installments": Precompiled(
        lambda loan: Installment.objects.filter(loan_id=loan).order_by("number")
    ),
    "entries": Precompiled(
        lambda loan: LedgerEntry.objects.filter(loan_id=loan).order_by("pk")
    ),
}


class LoanInspectView(RelatedObjectMixin, generic.InspectView):
    """A loan's page: its customer, account, property and application, and
    the customer's other loans, each a link; its schedule, payments, ledger
    and checks."""

    template_name = "loans/admin/loan_inspect.html"
    related = ("customer", "account", "parcel", "product", "application")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        loan = self.object
        reads = _LOAN_PAGE_READS
        context["other_loans"] = reads["other_loans"](loan.customer_id, loan.pk)
        today = timezone.localdate()
        payments = reads["payments"](loan.pk)
        checks = reads["checks"](loan.pk)
        for check in checks:
            check.loan = loan  # as loan.disbursements would
        installments = reads["installments"](loan.pk)
        # The whole ledger is shown; its payments are the ones read above
        # (no join), and the summary and the schedule's fee column read it too.
        entries = reads["entries"](loan.pk)
        by_pk = {payment.pk: payment for payment in payments}
        for entry in entries:
            if entry.payment_id in by_pk:
                entry.payment = by_pk[entry.payment_id]
        summary = None
        if loan.disbursed_on:
            # The engine's cached rows, not a replay (same figures; see
            # loan_page_summary for when it still replays).
            summary = selectors.loan_page_summary(
                loan,
                today,
                installments=installments,
                entries=entries,
                payments=payments,
            )
        context.update(
            loan=loan,
            summary=summary,
            schedule=selectors.schedule_rows(
                loan, today, installments=installments, entries=entries
            ),
            entries=entries,
            history_url=history_url(loan),
            # Closing steps, payment entry and each row's buttons, from the
            # records' can_<action> predicates.
            **loan_page_context(
                loan, self.request.user, payments=payments, checks=checks
            ),
        )
        return context


class LoanEditView(ServiceEditView):
    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        return loan_assign_officer(
            actor=self.request.user, loan=instance, officer=changes.get("officer")
        )


class LoanViewSet(AuditedViewSet):
    edit_view_class = LoanEditView
    name = "loans"
    model = Loan
    icon = "doc-full-inverse"
    menu_label = "Loans"
    index_view_class = LoanIndexView
    inspect_view_class = LoanInspectView
    filterset_class = LoanFilterSet
    list_display = [
        "number",
        "customer",
        "product",
        MoneyColumn("principal", label="Principal"),
        "status",
        DaysPastDueColumn("days_past_due", label="Days past due"),
        "officer",
    ]
    search_fields = [
        "number",
        "customer__last_name",
        "customer__business_name",
        "account__number",
    ]
    # Terms are fixed by closing; only the officer can be reassigned here.
    form_fields = ["officer"]


class PaymentInspectView(generic.InspectView):
    """A payment's page is its receipt (in words, linking its loan, with
    Reverse where allowed on the loan's page), not the generic field dump."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect

        if not request.user.has_perm("loans.view_payment"):
            raise PermissionDenied
        return redirect("loan_payment_receipt", kwargs["pk"])


class PaymentViewSet(ReadOnlyViewSet):
    """Payments are facts: posted and reversed only through their services."""

    name = "loan_payments"
    model = Payment
    icon = "success"
    menu_label = "Payments"
    inspect_view_class = PaymentInspectView
    index_view_class = RecordIndexView
    list_display = [
        # A row opens the payment's receipt.
        TitleColumn(
            "reference",
            label="Reference",
            accessor="reference",
            get_url=lambda p: reverse("loan_payment_receipt", args=[p.pk]),
        ),
        "loan",
        MoneyColumn("amount", label="Amount"),
        DayColumn("received_on", label="Received"),
        Column("method", label="Paid by", accessor="get_method_display"),
        Column("status", label="Status", accessor="get_status_display"),
    ]
    list_filter = ["status", "method", "reversal_reason"]
    search_fields = ["reference", "loan__number"]

    def list_queryset(self) -> Any:
        return Payment.objects.select_related("loan")


class PaymentBatchViewSet(ReadOnlyViewSet):
    name = "payment_batches"
    model = PaymentBatch
    icon = "upload"
    menu_label = "Payment batches"
    list_display = ["file_name", "row_count", "total", "posted_at", "uploaded_by"]


def collections_viewsets() -> list[Any]:
    from loans.viewsets_collections import CollectionStepViewSet, CollectionsViewSet

    return [CollectionsViewSet, CollectionStepViewSet]


class AgingRunViewSet(ReadOnlyViewSet):
    """Every nightly aging run, newest first: for which date, who or what
    started it, the loans by days past due, the fees charged and the status
    changes. Runs are facts; Loans › Run aging starts one by hand."""

    name = "aging_runs"
    model = AgingRun
    icon = "time"
    menu_label = "Aging runs"
    list_display = [
        "as_of",
        "trigger",
        "started_by",
        "loans",
        Column("buckets_in_words", label="Days past due"),
        "late_fees_count",
        "late_fees_amount",
        Column("transitions_in_words", label="Status changes"),
        "started_at",
        Column("duration_in_words", label="Took"),
    ]
    list_filter = ["trigger", "as_of"]
    inspect_view_fields = [
        "as_of",
        "trigger",
        "started_by",
        "started_at",
        "finished_at",
        "loans",
        "buckets_in_words",
        "late_fees_count",
        "late_fees_amount",
        "transitions_in_words",
        "defaulted_loans",
        "matured_loans",
        "statuses_kept",
    ]

    def list_queryset(self) -> Any:
        return AgingRun.objects.select_related("started_by")


class LoansGroup(ModelViewSetGroup):
    menu_label = "Loans"
    menu_icon = "doc-full-inverse"
    menu_order = 200
    items = [
        LoanViewSet,
        ApplicationViewSet,
        PaymentViewSet,
        PaymentBatchViewSet,
        AgingRunViewSet,
        LoanProductViewSet,
        *collections_viewsets(),
    ]
