"""Letters to borrowers as data, and the record of every document sent.

`LetterTemplate` — the words of a notice, a statement's message or a coupon
book's cover note, edited by a supervisor in the back office (Settings ›
Letter templates), with history. Its subject and body may name the fixed
placeholders in `PLACEHOLDERS`, written `{name}`: nothing else. This is not a
template language (no tags, filters, attribute access or loops), so a
supervisor's text can never reach into the system; a `{` that does not open
a known placeholder, or a `}` that closes nothing, is refused on save with a
message naming it (the model's `clean`, which every form and the service
call).

`LoanCorrespondence` — ties a `portal.Correspondence` (the file as sent, on
the customer) to the loan it is about, with its kind, its template and the
day it is for; one notice per (loan, template, day).

`Statement` — a monthly statement: its period (from the day after the last
statement's end, or disbursement, to its end date) and what it printed.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from loans.models.book import amount_field
from portal.audit import audited_history

# The placeholders a template may name, with what each prints. The order is
# the order the back office lists them in.
PLACEHOLDERS: dict[str, str] = {
    "customer_name": "The borrower's name (Carol Jensen)",
    "mailing_address": "The borrower's mailing address on one line",
    "loan_number": "The loan's number",
    "account_number": "The utility account's number",
    "service_address": "The utility account's service address on one line",
    "past_due_amount": "What is past due as of the letter's date: unpaid "
    "installments due before it and unpaid fees ($1,234.56)",
    "balance": "Principal outstanding, interest due and unpaid fees",
    "next_due_date": "The next installment's due date (on or after the letter's date)",
    "next_due_amount": "What is still owed on that next installment",
    "days_past_due": "Days past due as of the letter's date (a number)",
    "late_fee": "The product's late fee",
    "grace_days": "The product's late-fee grace period in days",
    "letter_date": "The letter's date (March 20, 2026)",
    "utility_name": "The utility's name (Settings › Office)",
    "office_name": "The office's name (Settings › Office)",
    "office_address": "The office's address on one line",
    "office_phone": "The office's telephone number",
    "office_email": "The office's e-mail address",
    "office_hours": "The office's hours",
    "payable_to": "Who checks are payable to",
    "remit_address": "Where payments are mailed, on one line",
}

_TOKEN = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[a-z_]+$")

UNKNOWN_PLACEHOLDER = "{placeholder} is not a placeholder. Use one of: {known}."
BROKEN_PLACEHOLDER = (
    "{text} is a broken placeholder: write a known name between single braces, "
    "e.g. {{loan_number}}, and no other braces."
)


def placeholder_problems(text: str) -> list[str]:
    """Why `text` can't be a letter's subject or body (empty: it can).

    Each `{name}` must be a key of PLACEHOLDERS; any other brace is refused,
    so a typo never prints as a literal brace on a letter."""
    problems: list[str] = []
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        token = match.group(0)
        if not _NAME.match(name.strip()) or name != name.strip():
            problems.append(BROKEN_PLACEHOLDER.format(text=token))
        elif name not in PLACEHOLDERS:
            problems.append(UNKNOWN_PLACEHOLDER.format(placeholder=token, known=known))
    # Braces left once the well-formed tokens are gone open or close nothing.
    rest = _TOKEN.sub("", text)
    for index, char in enumerate(rest):
        if char in "{}":
            snippet = rest[max(0, index - 10) : index + 11].strip()
            problems.append(BROKEN_PLACEHOLDER.format(text=f"“{snippet}”"))
    return problems


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each `{name}` replaced by its value (a checked text only)."""
    return _TOKEN.sub(lambda m: values[m.group(1)], text)


class LetterKind(models.TextChoices):
    NOTICE = "notice", "Notice letter"
    STATEMENT = "statement", "Monthly statement"
    COUPON_BOOK = "coupon_book", "Payment coupon book"


class LetterTemplate(models.Model):
    """The words of one kind of letter. In the back office: Settings › Letter
    templates (supervisors edit; staff read and preview)."""

    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text="How the collection ladder and the services name it "
        "(e.g. reminder, final_notice); not printed.",
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=12, choices=LetterKind.choices, default=LetterKind.NOTICE
    )
    subject = models.CharField(
        max_length=200,
        help_text="The letter's heading and the e-mail's subject; placeholders "
        "allowed, e.g. Loan {loan_number} is past due.",
    )
    body = models.TextField(
        help_text="Plain text. A blank line starts a new paragraph. Placeholders "
        "are written {name}; the list is below the form."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive templates can't be sent."
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["kind", "code"]
        permissions = [
            (
                "send_letter",
                "Can send notices and produce statements and coupon books",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("subject", "body"):
            if problems := placeholder_problems(getattr(self, field) or ""):
                errors[field] = problems
        if errors:
            raise ValidationError(errors)

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        """(subject, body) with the placeholders filled in."""
        return fill(self.subject, values), fill(self.body, values)


class LoanCorrespondence(models.Model):
    """A document sent about a loan: the Correspondence (on the customer, with
    the file as sent) and what it was. Written only by the letter, statement
    and coupon-book services."""

    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="correspondence"
    )
    correspondence = models.OneToOneField(
        "portal.Correspondence", on_delete=models.PROTECT, related_name="loan_link"
    )
    kind = models.CharField(max_length=12, choices=LetterKind.choices)
    template = models.ForeignKey(
        LetterTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(help_text="The day the document is for (its date).")
    emailed_to = models.EmailField(
        blank=True, help_text="Empty when it was only printed for mailing."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "loan correspondence"
        verbose_name_plural = "loan correspondence"
        constraints = [
            # A notice goes out once per loan, template and day, however often
            # the ladder or a person asks (notice_send is idempotent on it).
            models.UniqueConstraint(
                fields=["loan", "template", "on"],
                condition=Q(kind="notice"),
                name="one_notice_per_loan_template_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.loan} on {self.on}"


class Statement(models.Model):
    """A monthly statement of a loan: activity in [period_start, period_end],
    the balance at its end and the next installment. The next statement
    starts the day after this one's end."""

    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="statements"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    balance = amount_field()
    next_due_date = models.DateField(null=True, blank=True)
    next_due_amount = amount_field(null=True, blank=True)
    correspondence = models.OneToOneField(
        "portal.Correspondence", on_delete=models.PROTECT, related_name="statement"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history()

    class Meta:
        ordering = ["loan", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "period_end"], name="one_statement_per_loan_end"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="statement_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Statement {self.loan} to {self.period_end}"
