"""Back-office screens for a loan's documents and the letter templates.

- A loan's documents page (linked from the loan page): what was sent about
  the loan, each PDF downloadable, and the buttons to print a coupon book,
  produce a statement and send a notice. Sending a notice (it goes by
  e-mail when the customer has an address) is asked for on a confirmation
  page first; only its POST calls `notice_send`.
- A letter template's preview: the letter as it would print, for a chosen
  loan or with sample figures, as HTML or PDF.

Each view asks the permission the service asks ("send letters") and lets the
service refuse; a refusal lands on the form or as a message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import modelform_factory
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, HeaderButton

from loans.documents.letters import (
    SAMPLE_CUSTOMER,
    letter_values,
    notice_html,
    notice_pdf,
    sample_values,
)
from loans.models import (
    PLACEHOLDERS,
    LetterKind,
    LetterTemplate,
    Loan,
    LoanCorrespondence,
)
from loans.services.coupons import coupon_book_produce
from loans.services.letters import (
    letter_template_create,
    letter_template_update,
    notice_send,
)
from loans.services.statements import statement_produce
from loans.views import _page, _report, add_service_errors
from portal.models import Customer
from portal.money import format_money
from portal.viewsets import (
    AuditedIndexView,
    AuditedViewSet,
    ServiceEditView,
    ServiceRefusalMixin,
)

SEND = "loans.send_letter"


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class StatementForm(forms.Form):
    period_end = forms.DateField(
        label="Statement through",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The statement covers the days since the loan's last one.",
        error_messages={"invalid": "Enter a date (YYYY-MM-DD)."},
    )


class NoticeForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=LetterTemplate.objects.filter(
            kind=LetterKind.NOTICE, is_active=True
        ).order_by("name"),
        label="Notice",
        empty_label=None,
    )
    on = forms.DateField(
        label="Letter date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date (YYYY-MM-DD)."},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _loan(pk: int) -> Loan:
    return get_object_or_404(
        Loan.objects.select_related("customer", "account", "product"), pk=pk
    )


def _file_url(record: LoanCorrespondence) -> str:
    return reverse("loan_correspondence_file", args=[record.pk])


def loan_documents(request: Any, pk: int) -> Any:
    """The loan's documents page: what was sent, and what can be sent."""
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    today = timezone.localdate()
    rows = [
        {"record": record, "url": _file_url(record)}
        for record in LoanCorrespondence.objects.filter(loan=loan).select_related(
            "correspondence", "template", "created_by"
        )
    ]
    can_send = request.user.has_perm(SEND)
    return _page(
        request,
        "letters/loan_documents.html",
        f"Documents for loan {loan.number}",
        icon="mail",
        loan=loan,
        rows=rows,
        can_send=can_send,
        statement_form=StatementForm(initial={"period_end": today}),
        notice_url=reverse("loan_send_notice", args=[loan.pk]),
        back_url=reverse("loans:inspect", args=[loan.pk]),
    )


@require_POST
def loan_coupon_book(request: Any, pk: int) -> Any:
    _require(request, SEND)
    loan = _loan(pk)
    try:
        record = coupon_book_produce(
            loan=loan, actor=request.user, on=timezone.localdate()
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            f"Coupon book for loan {loan.number} printed and kept with the loan's "
            "correspondence.",
            buttons=[messages.button(_file_url(record), "Download it")],
        )
    return redirect("loan_documents", loan.pk)


@require_POST
def loan_statement(request: Any, pk: int) -> Any:
    _require(request, SEND)
    loan = _loan(pk)
    form = StatementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Statement through: {error}")
        return redirect("loan_documents", loan.pk)
    try:
        statement = statement_produce(
            loan=loan, actor=request.user, period_end=form.cleaned_data["period_end"]
        )
    except ValidationError as error:
        _report(request, error)
    else:
        # The loan's link to this correspondence (a reverse one-to-one).
        record = LoanCorrespondence.objects.get(correspondence=statement.correspondence)
        messages.success(
            request,
            f"Statement for loan {loan.number}, {statement.period_start:%B %-d, %Y} "
            f"to {statement.period_end:%B %-d, %Y}: balance "
            f"{format_money(statement.balance)}.",
            buttons=[messages.button(_file_url(record), "Download it")],
        )
    return redirect("loan_documents", loan.pk)


def loan_send_notice(request: Any, pk: int) -> Any:
    """Choose the notice and its date, then confirm: only the confirming POST
    sends (by e-mail when the customer has an address)."""
    _require(request, SEND)
    loan = _loan(pk)
    back_url = reverse("loan_documents", args=[loan.pk])
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = NoticeForm(data, initial={"on": today})
    confirming = False
    if data is not None and form.is_valid():
        template = form.cleaned_data["template"]
        on = form.cleaned_data["on"]
        if form.cleaned_data["confirmed"]:
            try:
                record = notice_send(
                    loan=loan, template_code=template.code, actor=request.user, on=on
                )
            except ValidationError as error:
                add_service_errors(form, error, rename={"template_code": "template"})
            else:
                sent = (
                    f"and e-mailed to {record.emailed_to}"
                    if record.emailed_to
                    else "to print and mail (no e-mail address on file)"
                )
                messages.success(
                    request, f"{template.name} for loan {loan.number} recorded {sent}."
                )
                return redirect("loan_documents", loan.pk)
        else:
            confirming = True
            form = NoticeForm(
                initial={"template": template, "on": on, "confirmed": True}
            )
            form.fields["template"].widget = forms.HiddenInput()
            form.fields["on"].widget = forms.HiddenInput()
    email = loan.customer.email
    if confirming:
        return _page(
            request,
            "confirm.html",
            f"Send {template.name} to {loan.customer}?",
            icon="mail",
            form=form,
            facts=[
                ("Loan", loan.number),
                ("Customer", loan.customer),
                ("Notice", template.name),
                ("Letter date", f"{on:%B} {on.day}, {on.year}"),
                (
                    "E-mail",
                    email or "none on file: the letter is kept to print and mail",
                ),
            ],
            warning="A sent notice can't be recalled; it is kept with the "
            "customer's correspondence"
            + (f" and e-mailed to {email}." if email else "."),
            submit=f"Yes, send {template.name}",
            cancel="No, go back",
            back_url=back_url,
        )
    return _page(
        request,
        "letters/send_notice.html",
        f"Send a notice about loan {loan.number}",
        icon="mail",
        form=form,
        loan=loan,
        back_url=back_url,
    )


def loan_correspondence_file(request: Any, pk: int) -> Any:
    """A document as it was sent, to staff who may see the loan (the file has
    no URL of its own: it lives in private storage)."""
    _require(request, "loans.view_loan")
    record = get_object_or_404(
        LoanCorrespondence.objects.select_related("correspondence", "loan"), pk=pk
    )
    rendered = record.correspondence.rendered_file
    if not rendered:
        raise Http404("This document has no file.")
    try:
        handle = rendered.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing.") from None
    name = f"{record.kind}-{record.loan.number}-{record.on.isoformat()}.pdf"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/pdf"
    )


def letter_template_preview(request: Any, pk: int) -> Any:
    """The template's letter as it would print: for the loan numbered in
    ?loan= (today's figures) or with sample figures; ?format=pdf for the PDF."""
    _require(request, "loans.view_lettertemplate")
    template = get_object_or_404(LetterTemplate, pk=pk)
    today = timezone.localdate()
    number = (request.GET.get("loan") or "").strip()
    loan = None
    problem = ""
    if number:
        loan = (
            Loan.objects.select_related("customer", "account", "product")
            .filter(number=number)
            .first()
        )
        if loan is None:
            problem = f"There is no loan numbered {number}; showing sample figures."
        elif loan.disbursed_on is None:
            problem = f"Loan {number} is not disbursed yet; showing sample figures."
            loan = None
    if loan is not None:
        values = letter_values(loan, today)
        customer = loan.customer
    else:
        values = sample_values(today)
        customer = Customer(**SAMPLE_CUSTOMER)
    html = notice_html(template, values=values, customer=customer, on=today)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(notice_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="preview-{template.code}.pdf"'
        )
        return response
    pdf_query = f"?format=pdf&loan={loan.number}" if loan else "?format=pdf"
    return _page(
        request,
        "letters/template_preview.html",
        f"Preview: {template.name}",
        icon="view",
        template_obj=template,
        html=html,
        loan_number=number,
        problem=problem,
        pdf_url=reverse("letter_template_preview", args=[template.pk]) + pdf_query,
        edit_url=reverse("letter_templates:edit", args=[template.pk]),
    )


# --------------------------------------------------------------------------
# Settings › Letter templates (supervisors edit; staff read and preview)
# --------------------------------------------------------------------------


def _preview_button(template: LetterTemplate) -> Any:
    return Button(
        "Preview",
        url=reverse("letter_template_preview", args=[template.pk]),
        icon_name="view",
        priority=20,
    )


class LetterTemplateIndexView(AuditedIndexView):
    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        return [_preview_button(instance), *super().get_list_more_buttons(instance)]


class LetterTemplateCreateView(ServiceRefusalMixin, generic.CreateView):
    def save_instance(self) -> Any:
        return letter_template_create(actor=self.request.user, **self.form.cleaned_data)


class LetterTemplateEditView(ServiceEditView):
    """Saves through letter_template_update, which refuses an unknown or
    broken placeholder by name, as the form's model validation does."""

    @property
    def header_more_buttons(self) -> list[Any]:
        return [
            HeaderButton(
                "Preview",
                url=reverse("letter_template_preview", args=[self.object.pk]),
                icon_name="view",
            ),
            *super().header_more_buttons,
        ]

    def save_through_service(self, instance: Any, changes: dict[str, Any]) -> Any:
        return letter_template_update(
            actor=self.request.user, template=instance, **changes
        )


PLACEHOLDER_HELP = "Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


class LetterTemplateViewSet(AuditedViewSet):
    """Settings › Letter templates. The code is fixed once created (the
    collection ladder names templates by it)."""

    name = "letter_templates"
    model = LetterTemplate
    icon = "mail"
    menu_label = "Letter templates"
    add_to_settings_menu = True
    index_view_class = LetterTemplateIndexView
    add_view_class = LetterTemplateCreateView
    edit_view_class = LetterTemplateEditView
    list_display = ["name", "code", "kind", "subject", "is_active"]
    form_fields = ["code", "name", "kind", "subject", "body", "is_active"]

    def get_form_class(self, for_update: bool = False) -> Any:
        form_class = super().get_form_class(for_update)
        fields = [f for f in self.form_fields if not (for_update and f == "code")]
        form_class = modelform_factory(self.model, form=form_class, fields=fields)
        form_class.base_fields["body"].help_text = (
            "Plain text; a blank line starts a new paragraph. " + PLACEHOLDER_HELP
        )
        return form_class
