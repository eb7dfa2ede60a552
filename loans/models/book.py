"""Loan products, applications, loans, their schedules, payments and the
append-only ledger.

In the back office: Loans menu (loans/wagtail_hooks.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from loans.choices import (
    OPEN_LOAN_STATUSES,
    ApplicationStatus,
    DisbursementStatus,
    EntryKind,
    FeeKind,
    LoanStatus,
    PaymentMethod,
    PaymentStatus,
    ReversalReason,
)
from portal.audit import audited_history
from portal.customer.predicates import customer_may_answer
from portal.transitions import (
    ALLOWED,
    SAME_PERSON,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}


def amount_field(**kwargs: Any) -> models.DecimalField:
    """USD amounts inside the ledger engine: exact decimals, two places."""
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class LoanProduct(models.Model):
    """A kind of loan the utility offers, with its terms and fees (data, not code)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    annual_rate = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="Percent per year, e.g. 5.00."
    )
    min_amount = MoneyField(**MONEY)
    max_amount = MoneyField(**MONEY)
    max_term_months = models.PositiveSmallIntegerField()
    origination_fee = MoneyField(default=Decimal("0.00"), **MONEY)
    late_fee = MoneyField(default=Decimal("0.00"), **MONEY)
    late_fee_grace_days = models.PositiveSmallIntegerField(default=15)
    returned_payment_fee = MoneyField(default=Decimal("0.00"), **MONEY)
    lien_required_above = MoneyField(
        null=True, blank=True, help_text="Loans above this amount need a lien.", **MONEY
    )
    default_dpd = models.PositiveSmallIntegerField(
        "default at days past due", default=120
    )
    state_guaranteed = models.BooleanField(
        default=False, help_text="Losses are guaranteed by the state (PSC report)."
    )
    is_active = models.BooleanField(default=True)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[LoanProduct]]
        _default_manager: ClassVar[models.Manager[LoanProduct]]

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__lte=models.F("max_amount")),
                name="product_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0), name="product_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_term_months__gte=1), name="product_term_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class LoanApplication(models.Model):
    """A request for a loan, from intake to decision.

    States change only through the services in loans.services.applications.
    """

    customer = models.ForeignKey(
        "portal.Customer", on_delete=models.PROTECT, related_name="loan_applications"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount", on_delete=models.PROTECT, related_name="+"
    )
    parcel = models.ForeignKey(
        "portal.Property",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="+")
    requested_amount = MoneyField(**MONEY)
    requested_term_months = models.PositiveSmallIntegerField()
    purpose = models.TextField(help_text="What the loan pays for (measures).")
    contractor_name = models.CharField(max_length=200, blank=True)
    proposal_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The contractor's proposal.",
    )
    status = models.CharField(
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who entered and prepared the application (cannot approve it).",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Loan officer reviewing it.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    information_requested_at = models.DateTimeField(null=True, blank=True)
    information_request = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reasons = models.TextField(blank=True)
    approved_amount = MoneyField(null=True, blank=True, **MONEY)
    approved_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # What the customer sent when answering an information request online
    # (loans.services.online_answers); each Document is also on the customer.
    documents = models.ManyToManyField("portal.Document", blank=True, related_name="+")

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[LoanApplication]]
        _default_manager: ClassVar[models.Manager[LoanApplication]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="application_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.reference} ({self.customer})"

    @property
    def reference(self) -> str:
        return f"LA-{self.pk:06d}" if self.pk else "LA-new"

    # --- transitions (services in loans.services.applications) ---
    # draft → submitted → in review ⇄ needs information → approved / declined;
    # withdrawn from any open state.

    ACTIONS = (
        "edit",
        "submit",
        "start_review",
        "request_information",
        "provide_information",
        "approve",
        "decline",
        "withdraw",
    )

    def _workflow(self, actor: Any, states: set[str], verb: str) -> Verdict:
        return first_refusal(
            has_perm(
                actor, "loans.change_loanapplication", doing="work on loan applications"
            ),
            in_state(self, states, verb=verb, what=f"Application {self.reference}"),
        )

    def can_edit(self, actor: Any) -> Verdict:
        S = ApplicationStatus
        return self._workflow(actor, {S.DRAFT, S.NEEDS_INFORMATION}, "edited")

    def can_submit(self, actor: Any) -> Verdict:
        return self._workflow(actor, {ApplicationStatus.DRAFT}, "submitted")

    def can_start_review(self, actor: Any) -> Verdict:
        return self._workflow(actor, {ApplicationStatus.SUBMITTED}, "reviewed")

    def can_request_information(self, actor: Any) -> Verdict:
        return self._workflow(
            actor, {ApplicationStatus.IN_REVIEW}, "sent back for information"
        )

    def can_provide_information(self, actor: Any) -> Verdict:
        return self._workflow(actor, {ApplicationStatus.NEEDS_INFORMATION}, "resumed")

    def can_approve(self, actor: Any) -> Verdict:
        """State and four-eyes person check; the amount is judged against the
        approver's limit when the amount is known (the service)."""
        verdict = self._workflow(actor, {ApplicationStatus.IN_REVIEW}, "approved")
        if (
            verdict
            and self.prepared_by_id is not None
            and actor.pk == self.prepared_by_id
        ):
            return refuse(SAME_PERSON)
        return verdict

    def can_decline(self, actor: Any) -> Verdict:
        S = ApplicationStatus
        return self._workflow(actor, {S.IN_REVIEW, S.NEEDS_INFORMATION}, "declined")

    def can_open_loan(self, actor: Any) -> Verdict:
        """Closing starts: an approved application becomes a loan, once."""
        verdict = has_perm(actor, "loans.close_loan", doing="open loans")
        if not verdict:
            return verdict
        if self.status != ApplicationStatus.APPROVED:
            return refuse(
                f"Application {self.reference} is "
                f"{self.get_status_display().lower()}; only an approved "
                "application closes."
            )
        existing = Loan.objects.filter(application_id=self.pk).first()
        if existing is not None:
            return refuse(
                f"Application {self.reference} already has loan {existing.number}."
            )
        return ALLOWED

    def can_withdraw(self, actor: Any) -> Verdict:
        S = ApplicationStatus
        return self._workflow(
            actor, {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFORMATION}, "withdrawn"
        )

    def can_answer_information(self, actor: Any) -> Verdict:
        """The customer's own step (on the public site): the log-in linked to
        the applicant answers the staff's request while it is open."""
        return customer_may_answer(
            self, actor, ApplicationStatus.NEEDS_INFORMATION, self.reference
        )


class Loan(models.Model):
    """A loan: its terms, fixed at disbursement, and where it stands.

    Balances are the ledger's (LedgerEntry), and the installment rows are a
    cache that the engine keeps equal to it. `oldest_unpaid_due` and
    `principal_outstanding` are a cache of those rows for lists and the DPD
    filter, written by the engine (LedgerWriter.flush) in the same
    transaction as the rows; nothing else sets them.
    """

    number = models.CharField(max_length=30, unique=True)
    application = models.OneToOneField(
        LoanApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan",
    )
    customer = models.ForeignKey(
        "portal.Customer", on_delete=models.PROTECT, related_name="loans"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    parcel = models.ForeignKey(
        "portal.Property",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    product = models.ForeignKey(
        LoanProduct, on_delete=models.PROTECT, related_name="loans"
    )
    principal = amount_field()
    annual_rate = models.DecimalField(max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField()
    installment_amount = amount_field()
    first_due_date = models.DateField()
    disbursed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=15, choices=LoanStatus.choices, default=LoanStatus.CLOSING
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lien_required = models.BooleanField(default=False)
    agreement_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement_signed_on = models.DateField(null=True, blank=True)
    paid_off_on = models.DateField(null=True, blank=True)
    defaulted_on = models.DateField(null=True, blank=True)
    # Set by loans.services.writeoffs when an approved write-off is posted.
    written_off_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Delinquency facts from the installment rows (see the docstring): days
    # past due = as-of date - oldest_unpaid_due when that is past.
    oldest_unpaid_due = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Due date of the oldest installment not fully paid (none: nothing unpaid).",
    )
    principal_outstanding = amount_field(
        default=Decimal("0.00"),
        editable=False,
        help_text="Principal not yet paid, due or not (the schedule's).",
    )

    history = audited_history()

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["oldest_unpaid_due"], name="loan_oldest_unpaid_due")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gt=0), name="loan_principal_positive"
            ),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0), name="loan_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1), name="loan_term_positive"
            ),
        ]
        permissions = [
            ("book_loan", "Can book an existing loan (portfolio migration)"),
            ("post_payment", "Can post and reverse loan payments"),
            ("close_loan", "Can close loans: agreement, signature, checks"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_open(self) -> bool:
        return self.status in OPEN_LOAN_STATUSES

    def can_post_payment(self, actor: Any) -> Verdict:
        """Payments post only to an open loan (payment_post judges the same
        under its lock, for every channel)."""
        verdict = has_perm(actor, "loans.post_payment", doing="post payments")
        if verdict and not self.is_open():
            return refuse(
                f"Loan {self.number} is {self.get_status_display().lower()}; "
                "payments post only to an active loan."
            )
        return verdict

    # --- closing transitions (services in loans.services.closing) ---
    # closing: agreement generated → signed → first check issued → active.

    CLOSING_ACTIONS = ("generate_agreement", "record_signature", "issue_disbursement")

    def _closing(self, actor: Any, states: set[str], verb: str) -> Verdict:
        return first_refusal(
            has_perm(actor, "loans.close_loan", doing="close loans"),
            in_state(self, states, verb=verb, what=f"Loan {self.number}"),
        )

    def can_generate_agreement(self, actor: Any) -> Verdict:
        verdict = self._closing(actor, {LoanStatus.CLOSING}, "given a new agreement")
        if verdict and self.agreement_signed_on is not None:
            return refuse(
                f"The agreement for {self.number} was signed on "
                f"{self.agreement_signed_on:%B %-d, %Y}; it is not generated again."
            )
        return verdict

    def can_record_signature(self, actor: Any) -> Verdict:
        verdict = self._closing(actor, {LoanStatus.CLOSING}, "signed")
        if not verdict:
            return verdict
        if self.agreement_document_id is None:
            return refuse("Generate the agreement before recording it as signed.")
        if self.agreement_signed_on is not None:
            return refuse(
                f"The agreement for {self.number} was already signed on "
                f"{self.agreement_signed_on:%B %-d, %Y}."
            )
        return ALLOWED

    def can_issue_disbursement(self, actor: Any) -> Verdict:
        verdict = first_refusal(
            has_perm(actor, "loans.close_loan", doing="issue disbursement checks"),
            in_state(
                self,
                {LoanStatus.CLOSING, LoanStatus.ACTIVE},
                verb="paid out",
                what=f"Loan {self.number}",
            ),
        )
        if verdict and self.agreement_signed_on is None:
            return refuse("Record the signed agreement before issuing a disbursement.")
        return verdict

    def can_activate(self, actor: Any) -> Verdict:
        """The first disbursement (or a migrated loan's booking) activates it."""
        return in_state(
            self, {LoanStatus.CLOSING}, verb="activated", what=f"Loan {self.number}"
        )


class Installment(models.Model):
    """One row of a loan's current schedule, with what has been paid on it.

    A cache of the ledger kept by loans.engine; re-amortization after a
    prepayment rewrites the rows not yet due.
    """

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="installments"
    )
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal = amount_field()
    interest = amount_field()
    principal_paid = amount_field(default=Decimal("0.00"))
    interest_paid = amount_field(default=Decimal("0.00"))

    history = audited_history()

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "number"], name="installment_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(principal_paid__lte=models.F("principal"))
                & Q(interest_paid__lte=models.F("interest"))
                & Q(principal_paid__gte=0)
                & Q(interest_paid__gte=0),
                name="installment_paid_within_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.number} #{self.number} due {self.due_date}"

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest

    def is_paid(self) -> bool:
        return (
            self.principal_paid == self.principal
            and self.interest_paid == self.interest
        )


class PaymentBatch(models.Model):
    """One cashiering/lockbox file, posted all-or-nothing."""

    file_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField(default=0)
    total = amount_field(default=Decimal("0.00"))

    history = audited_history()

    class Meta:
        ordering = ["-posted_at"]
        verbose_name_plural = "payment batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count} payments)"


class Payment(models.Model):
    """Money received for a loan. Its allocation is in the ledger."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(
        max_length=64,
        unique=True,
        help_text="External reference; posting is idempotent on it.",
    )
    amount = amount_field()
    received_on = models.DateField()
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.POSTED
    )
    batch = models.ForeignKey(
        PaymentBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    posted_at = models.DateTimeField(default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversal_reason = models.CharField(
        max_length=15, choices=ReversalReason.choices, blank=True
    )
    reversal_note = models.CharField(max_length=255, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["loan", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]
        indexes = [models.Index(fields=["loan", "received_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount} on {self.received_on}"

    def can_reverse(self, actor: Any) -> Verdict:
        verdict = has_perm(actor, "loans.post_payment", doing="reverse payments")
        if verdict and self.status == PaymentStatus.REVERSED:
            when = self.reversed_at.date() if self.reversed_at else "earlier"
            return refuse(f"Payment {self.reference} was already reversed on {when}.")
        return verdict


class PostedEntryError(ValidationError):
    pass


IMMUTABLE = "Posted ledger entries are never edited or deleted; post a reversing entry."


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PostedEntryError(IMMUTABLE)

    def delete(self) -> Any:
        raise PostedEntryError(IMMUTABLE)

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        raise PostedEntryError(IMMUTABLE)


class LedgerEntry(models.Model):
    """An append-only ledger line. Balances are sums of these.

    A mistake or a returned payment is corrected by a reversing entry
    (`reverses` set, amount negated); a posted entry is never changed.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="entries")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    fee_kind = models.CharField(max_length=20, choices=FeeKind.choices, blank=True)
    installment_number = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = amount_field()
    effective_on = models.DateField()
    posted_at = models.DateTimeField(default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    memo = models.CharField(max_length=255, blank=True)

    history = audited_history()
    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["loan", "pk"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["loan", "kind"])]
        constraints = [
            # One late fee per installment, ever: overlapping runs of the late
            # fee job cannot charge twice (a waiver reverses it; not re-charged).
            models.UniqueConstraint(
                fields=["loan", "installment_number"],
                condition=Q(
                    kind=EntryKind.FEE_ASSESSED,
                    fee_kind=FeeKind.LATE,
                    reverses__isnull=True,
                ),
                name="one_late_fee_per_installment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.effective_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PostedEntryError(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PostedEntryError(IMMUTABLE)


class Disbursement(models.Model):
    """A check that pays out loan money to the customer or the contractor.

    Voiding keeps the record; a reissue is a new record pointing to it.
    """

    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="disbursements"
    )
    check_number = models.CharField(max_length=20, unique=True)
    payee = models.CharField(max_length=200)
    amount = amount_field()
    issued_on = models.DateField()
    status = models.CharField(
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_on = models.DateField(null=True, blank=True)
    void_reason = models.CharField(max_length=255, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissued_as",
    )

    history = audited_history()

    class Meta:
        ordering = ["loan", "issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="disbursement_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Check {self.check_number} to {self.payee}: {self.amount}"

    def can_void(self, actor: Any) -> Verdict:
        verdict = has_perm(actor, "loans.close_loan", doing="void checks")
        if verdict and self.status == DisbursementStatus.VOID:
            return refuse(f"Check {self.check_number} is already void.")
        return verdict

    def can_reissue(self, actor: Any) -> Verdict:
        verdict = has_perm(actor, "loans.close_loan", doing="reissue checks")
        if verdict and hasattr(self, "reissued_as"):
            return refuse(
                f"Check {self.check_number} was already reissued as "
                f"{self.reissued_as.check_number}."
            )
        return verdict
