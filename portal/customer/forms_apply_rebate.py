"""Forms of the online rebate application, one per step.

They read the customer's input and give each mistake its own message on its
field; they judge nothing about eligibility, incentives or limits (the
programs services do, through programs.online). Choices are the customer's
own: their accounts and the programs open now.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from portal.choices import DocumentType
from portal.models import Customer, UtilityAccount
from portal.money import MoneyFormField, format_money
from portal.templatetags.portal_format import day_text
from programs.choices import IncentiveKind
from programs.models import Measure, Program
from programs.online import programs_open_for_applications

QUANTITY_REQUIRED = "Enter the quantity of {measure}."
COST_REQUIRED = (
    "Enter the invoiced cost of {measure}: its rebate is a share of what you paid."
)
COST_WITHOUT_QUANTITY = "Enter the quantity of {measure} too, or clear its cost."
NO_MEASURE = "Choose at least one measure: enter the quantity you installed."
IN_THE_FUTURE = "The install date can't be in the future (today is {today})."


class ProgramChoiceField(forms.ModelChoiceField[Program]):
    def label_from_instance(self, obj: Program) -> str:
        return obj.name


class AccountChoiceField(forms.ModelChoiceField[UtilityAccount]):
    def label_from_instance(self, obj: UtilityAccount) -> str:
        return f"{obj.number} — {obj.line1}"


class ProgramStepForm(forms.Form):
    """Step 1: the program and the account the work was done for."""

    program = ProgramChoiceField(
        label="Program",
        queryset=Program.objects.none(),
        empty_label="Choose a program",
        error_messages={
            "required": "Choose the program you are applying to.",
            "invalid_choice": "That program is not taking applications now; "
            "choose one from the list.",
        },
    )
    account = AccountChoiceField(
        label="Utility account",
        queryset=UtilityAccount.objects.none(),
        empty_label="Choose an account",
        help_text="The account at the address where the work was done.",
        error_messages={
            "required": "Choose the account at the address where the work was done.",
            "invalid_choice": "Choose one of your accounts from the list.",
        },
    )

    def __init__(self, *args: Any, customer: Customer, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        account = self.fields["account"]
        assert isinstance(program, ProgramChoiceField)
        assert isinstance(account, AccountChoiceField)
        program.queryset = programs_open_for_applications(today)
        account.queryset = UtilityAccount.objects.filter(customer=customer).order_by(
            "number"
        )


class MeasureLineForm(forms.Form):
    """One of the program's measures: the quantity installed (empty when
    not applied for) and, when its rebate is a share of the cost, the
    invoiced cost."""

    quantity = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        quantity = self.fields["quantity"]
        quantity.label = f"Quantity ({measure.unit})"
        quantity.help_text = "Leave empty if you are not applying for this."
        quantity.error_messages.update(
            {
                "invalid": f"Enter the quantity of {measure.name} as a number, "
                "such as 2 or 150.5.",
                "min_value": f"The quantity of {measure.name} must be more than 0.",
                "max_decimal_places": "Use at most two decimals.",
                "max_digits": "That quantity is too large.",
                "max_whole_digits": "That quantity is too large.",
            }
        )
        if self.needs_cost:
            self.fields["invoiced_cost"] = MoneyFormField(
                label="Invoiced cost",
                required=False,
                help_text="What the invoice says you paid, such as 1,250.00.",
            )

    @property
    def rule_text(self) -> str:
        """The measure's incentive in words: "$1.25 per sq ft"."""
        m = self.measure
        if m.incentive_kind == IncentiveKind.PERCENT_OF_COST:
            text = f"{(m.percent or Decimal(0)).normalize():f}% of the invoiced cost"
            return text + (f", up to {format_money(m.cap)}" if m.cap else "")
        amount = format_money(m.amount or Decimal(0))
        if m.incentive_kind == IncentiveKind.PER_UNIT:
            return f"{amount} per {m.unit}"
        return f"{amount}"

    @property
    def documents_text(self) -> str:
        labels = dict(DocumentType.choices)
        return ", ".join(
            str(labels.get(t, t)).lower() for t in self.measure.required_documents
        )

    @property
    def needs_cost(self) -> bool:
        return self.measure.incentive_kind == IncentiveKind.PERCENT_OF_COST

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        name = self.measure.name
        quantity = data.get("quantity")
        cost = data.get("invoiced_cost")
        if quantity is None and cost is not None:
            self.add_error("quantity", COST_WITHOUT_QUANTITY.format(measure=name))
        elif quantity is not None and self.needs_cost and cost is None:
            self.add_error("invoiced_cost", COST_REQUIRED.format(measure=name))
        return data

    def as_line(self) -> dict[str, str] | None:
        """The answer as stored in the draft (None when not applied for)."""
        quantity = self.cleaned_data.get("quantity")
        if quantity is None:
            return None
        cost = self.cleaned_data.get("invoiced_cost")
        return {
            "quantity": str(quantity),
            "invoiced_cost": "" if cost is None else f"{cost:.2f}",
        }


class BaseMeasuresFormSet(forms.BaseFormSet[MeasureLineForm]):
    """Every measure of the program, one form each, in the program's order
    (the number of forms is the number of measures, whatever is posted)."""

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        self.measures = measures
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.measures)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["measure"] = self.measures[index]
        return kwargs

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        if not any(form.cleaned_data.get("quantity") for form in self.forms):
            raise ValidationError(NO_MEASURE, code="no_measure")

    def lines(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for form in self.forms:
            line = form.as_line()
            if line is not None:
                chosen[str(form.measure.pk)] = line
        return chosen


MeasuresFormSet = cast(
    type[BaseMeasuresFormSet],
    forms.formset_factory(MeasureLineForm, formset=BaseMeasuresFormSet, extra=0),
)


class InstallForm(forms.Form):
    """Step 2's other answers: when and by whom the work was installed."""

    install_date = forms.DateField(
        label="Install date",
        help_text="The day the work was finished, as on the invoice.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date the work was installed.",
            "invalid": "Enter a date such as 2026-03-10.",
        },
    )
    contractor_name = forms.CharField(
        label="Contractor",
        required=False,
        max_length=200,
        help_text="The company that did the work. Leave empty if you did it yourself.",
        error_messages={"max_length": "Use at most 200 characters."},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_install_date(self) -> date:
        day: date = self.cleaned_data["install_date"]
        if day > self.today:
            raise ValidationError(IN_THE_FUTURE.format(today=day_text(self.today)))
        return day

    def clean_contractor_name(self) -> str:
        return str(self.cleaned_data.get("contractor_name") or "").strip()


# What customers upload for a rebate, the chosen measures' requirements first.
UPLOAD_TYPES = [
    DocumentType.INVOICE,
    DocumentType.PHOTO,
    DocumentType.CONTRACTOR_PROPOSAL,
    DocumentType.OTHER,
]


class DocumentUploadForm(forms.Form):
    """Step 3: one file at a time, with what it is. The file itself is
    judged by portal.services.document_upload (size, real content type);
    its refusal lands on the file field."""

    document_type = forms.ChoiceField(
        label="What is it?",
        error_messages={
            "required": "Say what the file is.",
            "invalid_choice": "Choose what the file is from the list.",
        },
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF, JPEG or PNG file.",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty; choose the file again.",
            "invalid": "No file was sent; choose the file again.",
        },
    )

    def __init__(self, *args: Any, required_types: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(DocumentType.choices)
        order = [*required_types, *[t for t in UPLOAD_TYPES if t not in required_types]]
        choices = [(t, labels[t]) for t in dict.fromkeys(order) if t in labels]
        field = self.fields["document_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        limit = filesizeformat(settings.PORTAL_DOCUMENT_MAX_BYTES)
        self.fields["file"].help_text = f"A PDF, JPEG or PNG file of at most {limit}."


class ReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label="The answers above are true and complete, and the documents are "
        "mine to give.",
        error_messages={
            "required": "Tick the box to confirm your answers before submitting."
        },
    )
