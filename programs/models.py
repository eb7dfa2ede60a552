"""Energy programs: programs and their budgets, measures with incentive rules,
poverty guidelines, rebate/grant applications, inspections and payments.

In the back office: Programs menu (programs/wagtail_hooks.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from portal.audit import audited_history
from portal.customer.predicates import customer_may_answer
from portal.money import format_money
from portal.transitions import (
    ALLOWED,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)
from programs.choices import (
    IncentiveKind,
    MeasureLimit,
    ProgramType,
    RebatePaymentMethod,
    RebatePaymentStatus,
    RebateStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}

# Who may do what (Django permissions; programs/roles.py gives them to roles).
WORK_ON_APPLICATIONS = "programs.change_rebateapplication"
CHANGE_PROGRAMS = "programs.change_program"
VOID_PAYMENTS = "programs.change_rebatepayment"

INSPECTION_FAILED = "The inspection failed; the application can only be denied."


class Program(models.Model):
    """A program with a fiscal-year budget and who it serves. Its public page
    is the ProgramPage with the same program code."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    program_type = models.CharField(max_length=20, choices=ProgramType.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    budget = MoneyField(**MONEY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    customer_classes = models.JSONField(
        default=list, help_text='Classes served, e.g. ["residential"].'
    )
    required_services = models.JSONField(
        default=list, blank=True, help_text='Services needed, e.g. ["gas"].'
    )
    requires_good_standing = models.BooleanField(default=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    requires_disability = models.BooleanField(default=False)
    senior_or_disabled = models.BooleanField(
        default=False, help_text="Age or verified disability qualifies."
    )
    income_limit_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Household income limit as a % of the poverty guideline.",
    )
    account_manager_required = models.BooleanField(
        default=False, help_text="Key accounts: the account needs a manager."
    )
    is_active = models.BooleanField(default=True)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[Program]]
        _default_manager: ClassVar[models.Manager[Program]]

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="program_budget_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="program_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name} (FY{self.fiscal_year})"

    def can_change_budget(self, actor: object) -> Verdict:
        return has_perm(actor, CHANGE_PROGRAMS, doing="change program budgets")

    @property
    def page(self):  # noqa: ANN201
        """The program's live page on the public site, if it has one."""
        from portal.models import ProgramPage

        return ProgramPage.objects.live().filter(program_code=self.code).first()


class PovertyGuideline(models.Model):
    """One year's poverty guideline table (editable data)."""

    year = models.PositiveSmallIntegerField(unique=True)
    additional_per_person = MoneyField(
        help_text="Added for each person beyond the largest household listed.",
        **MONEY,
    )

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[PovertyGuideline]]
        _default_manager: ClassVar[models.Manager[PovertyGuideline]]

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Poverty guideline {self.year}"


class PovertyGuidelineRow(models.Model):
    guideline = models.ForeignKey(
        PovertyGuideline, on_delete=models.CASCADE, related_name="rows"
    )
    household_size = models.PositiveSmallIntegerField()
    amount = MoneyField(**MONEY)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[PovertyGuidelineRow]]
        _default_manager: ClassVar[models.Manager[PovertyGuidelineRow]]

    class Meta:
        ordering = ["guideline", "household_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "household_size"], name="guideline_row_unique_size"
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="guideline_row_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_size}: {self.amount}"


class Measure(models.Model):
    """Something a program pays for, with its incentive rule and savings."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="measures"
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    incentive_kind = models.CharField(max_length=20, choices=IncentiveKind.choices)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Fixed amount, or amount per unit (may be fractions of a cent).",
    )
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=30, default="unit")
    required_documents = models.JSONField(default=list, blank=True)
    kwh_savings_per_unit = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0")
    )
    therms_savings_per_unit = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0")
    )
    limit_kind = models.CharField(
        max_length=20, choices=MeasureLimit.choices, blank=True, default=""
    )
    lifetime_max = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )

    history = audited_history()

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="measure_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code}/{self.code} {self.name}"


class RebateApplication(models.Model):
    """A customer's request for a rebate, grant or incentive.

    States change only through programs.services (named transitions).
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications"
    )
    customer = models.ForeignKey(
        "portal.Customer", on_delete=models.PROTECT, related_name="rebate_applications"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount",
        on_delete=models.PROTECT,
        related_name="rebate_applications",
    )
    status = models.CharField(
        max_length=25, choices=RebateStatus.choices, default=RebateStatus.SUBMITTED
    )
    install_date = models.DateField(null=True, blank=True)
    contractor_name = models.CharField(max_length=200, blank=True)
    documents = models.ManyToManyField("portal.Document", blank=True, related_name="+")
    requested_amount = MoneyField(default=Decimal("0.00"), **MONEY)
    approved_amount = MoneyField(null=True, blank=True, **MONEY)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    review_started_at = models.DateTimeField(null=True, blank=True)
    information_requested_at = models.DateTimeField(null=True, blank=True)
    information_request = models.TextField(blank=True)
    information_provided_at = models.DateTimeField(null=True, blank=True)
    inspection_scheduled_at = models.DateTimeField(null=True, blank=True)
    inspection_scheduled_for = models.DateField(null=True, blank=True)
    inspected_on = models.DateField(null=True, blank=True)
    inspection_passed = models.BooleanField(null=True, blank=True)
    inspection_notes = models.TextField(blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved or denied."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reasons = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[RebateApplication]]
        _default_manager: ClassVar[models.Manager[RebateApplication]]

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.customer})"

    @property
    def reference(self) -> str:
        return f"RA-{self.pk:06d}" if self.pk else "RA-new"

    # --- The workflow: one predicate per action (portal/transitions.py) ----
    # Each answers for the actor and the state now; the service for the
    # action locks the row and asks the same predicate before changing it.

    def _may(self, actor: object, states: set[str], verb: str) -> Verdict:
        return first_refusal(
            has_perm(actor, WORK_ON_APPLICATIONS, doing="work on rebate applications"),
            in_state(self, states, verb=verb, what=f"Application {self.reference}"),
        )

    def can_start_review(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.SUBMITTED}, "reviewed")

    def can_request_information(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.IN_REVIEW}, "sent back for information")

    def can_provide_information(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.NEEDS_INFORMATION}, "resumed")

    def can_schedule_inspection(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.IN_REVIEW}, "scheduled for inspection")

    def can_record_inspection(self, actor: object) -> Verdict:
        return self._may(
            actor, {RebateStatus.INSPECTION_SCHEDULED}, "recorded as inspected"
        )

    def can_approve(self, actor: object) -> Verdict:
        """State and role; the approver's four-eyes check and limit, the
        amount, eligibility, measure limits and the budget are judged by
        `rebate_approve` under the program's lock."""
        verdict = self._may(
            actor, {RebateStatus.IN_REVIEW, RebateStatus.INSPECTED}, "approved"
        )
        if verdict and self.status == RebateStatus.INSPECTED:
            if self.inspection_passed is False:
                return refuse(INSPECTION_FAILED)
        return verdict

    def can_deny(self, actor: object) -> Verdict:
        return self._may(actor, DENIABLE, "denied")

    def can_cancel(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.APPROVED}, "cancelled")

    def can_pay_by_check(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.APPROVED}, "paid")

    def can_pay_by_bill_credit(self, actor: object) -> Verdict:
        return self._may(actor, {RebateStatus.APPROVED}, "credited")

    def can_answer_information(self, actor: object) -> Verdict:
        """The customer's own step (on the public site): the log-in linked to
        the applicant answers the staff's request while it is open."""
        return customer_may_answer(
            self, actor, RebateStatus.NEEDS_INFORMATION, self.reference
        )


DENIABLE: set[str] = {
    RebateStatus.SUBMITTED,
    RebateStatus.IN_REVIEW,
    RebateStatus.NEEDS_INFORMATION,
    RebateStatus.INSPECTION_SCHEDULED,
    RebateStatus.INSPECTED,
}


class RebateLine(models.Model):
    """One measure on an application, with its computed incentive."""

    application = models.ForeignKey(
        RebateApplication, on_delete=models.CASCADE, related_name="lines"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="lines")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    invoiced_cost = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    incentive = models.DecimalField(max_digits=14, decimal_places=2)

    history = audited_history()

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="line_quantity_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(incentive__gte=0), name="line_incentive_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} × {self.quantity}: {self.incentive}"


class RebateCheckBatch(models.Model):
    """Checks printed together, with their payment register."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField()

    history = audited_history()

    def __str__(self) -> str:
        return f"Check batch {self.pk} ({self.paid_on})"


class RebateBillCreditFile(models.Model):
    """Bill credits sent to the billing system together: the CSV exactly as
    it was made, who made it and when. Kept so the office can download the
    same file again (Programs › Bill-credit files); its credits are its
    payments."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_date = models.DateField()
    file_name = models.CharField(max_length=100)
    content = models.TextField(help_text="The CSV as the billing system gets it.")

    history = audited_history()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Bill-credit file {self.pk} ({self.file_name})"


class RebatePayment(models.Model):
    """A rebate paid by check or credited on the bill; reversed only by a
    recorded void."""

    application = models.ForeignKey(
        RebateApplication, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(max_length=15, choices=RebatePaymentMethod.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_on = models.DateField()
    check_number = models.CharField(max_length=20, blank=True)
    batch = models.ForeignKey(
        RebateCheckBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    credit_file = models.ForeignKey(
        RebateBillCreditFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    status = models.CharField(
        max_length=10,
        choices=RebatePaymentStatus.choices,
        default=RebatePaymentStatus.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_on = models.DateField(null=True, blank=True)
    void_reason = models.CharField(max_length=255, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="rebate_payment_gt_0"
            ),
            models.UniqueConstraint(
                fields=["check_number"],
                condition=~Q(check_number=""),
                name="rebate_check_number_unique",
            ),
        ]

    def __str__(self) -> str:
        number = f" {self.check_number}" if self.check_number else ""
        return (
            f"{self.get_method_display()}{number} of {format_money(self.amount)} "
            f"for {self.application.reference}"
        )

    def can_void(self, actor: object) -> Verdict:
        """Open while the payment stands and its application is paid; the
        void puts the application back to approved (reserved)."""
        allowed = has_perm(actor, VOID_PAYMENTS, doing="void rebate payments")
        if not allowed:
            return allowed
        if self.status == RebatePaymentStatus.VOID:
            return refuse("This payment is already void.")
        application = self.application
        if application.status != RebateStatus.PAID:
            return refuse(
                f"Application {application.reference} is "
                f"{application.get_status_display().lower()}, not paid; "
                "its payment can't be voided from there."
            )
        return ALLOWED
