"""What happens to a loan that collections could not bring back: referral to
the City Attorney and the judgment that follows, placement with a collection
agency, the write-off that takes its balance off the books, money recovered
after it, and the claim on the State's guarantee.

Services in loans.services.legal, .writeoffs and .claims are the only
writers; each transition is a `can_<action>` predicate here. In the back
office: a loan's page › Recovery (loans/views_recovery.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from loans.choices import (
    ClaimStatus,
    LoanStatus,
    PaymentStatus,
    RecoverySource,
    WriteOffStatus,
)
from loans.models.book import Loan, Payment, amount_field
from portal.audit import audited_history
from portal.transitions import (
    ALLOWED,
    SAME_PERSON,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)

# A loan is referred, placed or written off once collections have failed.
LEGAL_STATUSES = (
    LoanStatus.DELINQUENT,
    LoanStatus.DEFAULTED,
    LoanStatus.MATURED,
    LoanStatus.WRITTEN_OFF,
)
WRITE_OFF_STATUSES = (LoanStatus.DEFAULTED, LoanStatus.MATURED)
CLAIM_STATUSES = (LoanStatus.DEFAULTED, LoanStatus.WRITTEN_OFF)


def _status_words(loan: Loan) -> str:
    return loan.get_status_display().lower()


def _loan_in(loan: Loan, states: tuple[str, ...], doing: str) -> Verdict:
    if loan.status in states:
        return ALLOWED
    allowed = " or ".join(LoanStatus(s).label.lower() for s in states)
    return refuse(
        f"Loan {loan.number} is {_status_words(loan)}; {doing} only for a loan "
        f"that is {allowed}."
    )


# --- predicates on the loan (Loan lives in book.py; these are this module's) ---


def can_refer_to_attorney(loan: Loan, actor: Any) -> Verdict:
    return first_refusal(
        has_perm(actor, "loans.record_legal_action", doing="record legal actions"),
        _loan_in(loan, LEGAL_STATUSES, "a referral is made"),
    )


def can_place_with_agency(loan: Loan, actor: Any) -> Verdict:
    verdict = first_refusal(
        has_perm(actor, "loans.record_legal_action", doing="record legal actions"),
        _loan_in(loan, LEGAL_STATUSES, "a placement is made"),
    )
    if verdict and loan.agency_placements.filter(recalled_on__isnull=True).exists():
        return refuse(
            f"Loan {loan.number} is already placed with an agency; recall it "
            "before placing it again."
        )
    return verdict


def can_record_judgment(loan: Loan, actor: Any) -> Verdict:
    verdict = has_perm(actor, "loans.record_legal_action", doing="record legal actions")
    if verdict and not loan.attorney_referrals.exists():
        return refuse(
            f"Loan {loan.number} has not been referred to the City Attorney; "
            "record the referral before the judgment."
        )
    return verdict


def can_propose_write_off(loan: Loan, actor: Any) -> Verdict:
    verdict = first_refusal(
        has_perm(actor, "loans.propose_write_off", doing="propose write-offs"),
        _loan_in(loan, WRITE_OFF_STATUSES, "a write-off is proposed"),
    )
    if verdict and loan.write_offs.filter(status=WriteOffStatus.PROPOSED).exists():
        return refuse(
            f"Loan {loan.number} already has a write-off waiting for approval."
        )
    return verdict


def can_post_recovery(loan: Loan, actor: Any) -> Verdict:
    return first_refusal(
        has_perm(actor, "loans.post_payment", doing="post recoveries"),
        _loan_in(loan, (LoanStatus.WRITTEN_OFF,), "a recovery is posted"),
    )


def can_prepare_claim(loan: Loan, actor: Any) -> Verdict:
    verdict = first_refusal(
        has_perm(
            actor, "loans.manage_guarantee_claim", doing="manage guarantee claims"
        ),
        _loan_in(loan, CLAIM_STATUSES, "a State guarantee claim is made"),
    )
    if verdict and not loan.product.state_guaranteed:
        return refuse(
            f"Loan {loan.number}'s product, {loan.product.name}, is not "
            "guaranteed by the State."
        )
    if verdict and loan.guarantee_claims.exclude(status=ClaimStatus.DENIED).exists():
        return refuse(f"Loan {loan.number} already has a State guarantee claim.")
    return verdict


class AttorneyReferral(models.Model):
    """A loan sent to the City Attorney for collection (judgments follow)."""

    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="attorney_referrals"
    )
    referred_on = models.DateField("referral date")
    attorney = models.CharField(max_length=120)
    office = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        permissions = [
            (
                "record_legal_action",
                "Can record attorney referrals, judgments and agency placements",
            )
        ]

    def __str__(self) -> str:
        return f"Referral of loan {self.loan.number} to {self.attorney}"


class Judgment(models.Model):
    """A court's judgment for the utility on a loan, and its satisfaction."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="judgments")
    referral = models.ForeignKey(
        AttorneyReferral, on_delete=models.PROTECT, related_name="judgments"
    )
    case_number = models.CharField(max_length=60)
    court = models.CharField(max_length=120)
    amount = amount_field(verbose_name="judgment amount")
    judgment_on = models.DateField("judgment date")
    satisfied_on = models.DateField("satisfaction date", null=True, blank=True)
    satisfied_amount = amount_field(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["-judgment_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_number"], name="judgment_case_once_per_court"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="judgment_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(satisfied_on__isnull=True, satisfied_amount__isnull=True)
                    | Q(satisfied_on__isnull=False, satisfied_amount__gt=0)
                ),
                name="judgment_satisfaction_date_and_amount_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Judgment {self.case_number} ({self.court})"

    def is_satisfied(self) -> bool:
        return self.satisfied_on is not None

    def can_satisfy(self, actor: Any) -> Verdict:
        verdict = has_perm(
            actor, "loans.record_legal_action", doing="record legal actions"
        )
        if verdict and (day := self.satisfied_on) is not None:
            return refuse(
                f"Judgment {self.case_number} was already satisfied on "
                f"{day:%B} {day.day}, {day.year}."
            )
        return verdict


class AgencyPlacement(models.Model):
    """A loan placed with a collection agency, until it is recalled."""

    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="agency_placements"
    )
    agency = models.CharField(max_length=120)
    placed_on = models.DateField("placement date")
    balance_placed = amount_field(help_text="The loan's balance on the placement date.")
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recalled_on = models.DateField("recall date", null=True, blank=True)
    recall_reason = models.CharField(max_length=255, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["-placed_on", "-pk"]
        constraints = [
            # One agency at a time: two placements at once would both collect.
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(recalled_on__isnull=True),
                name="one_open_agency_placement_per_loan",
            ),
            models.CheckConstraint(
                condition=Q(balance_placed__gte=0),
                name="placement_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Placement of loan {self.loan.number} with {self.agency}"

    def is_recalled(self) -> bool:
        return self.recalled_on is not None

    def can_recall(self, actor: Any) -> Verdict:
        verdict = has_perm(
            actor, "loans.record_legal_action", doing="record legal actions"
        )
        if verdict and (day := self.recalled_on) is not None:
            return refuse(
                f"The placement with {self.agency} was already recalled on "
                f"{day:%B} {day.day}, {day.year}."
            )
        return verdict


class WriteOff(models.Model):
    """The whole balance of a loan on a date taken off the books: proposed by
    staff, approved by someone else within their limit (four-eyes), then
    posted as WRITE_OFF ledger entries, one per part."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="write_offs")
    status = models.CharField(
        max_length=10, choices=WriteOffStatus.choices, default=WriteOffStatus.PROPOSED
    )
    as_of = models.DateField(
        "write-off date", help_text="The balance is as of this day."
    )
    principal = amount_field()
    interest = amount_field()
    fees = amount_field()
    total = amount_field()
    reason = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gte=0, interest__gte=0, fees__gte=0),
                name="write_off_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total=F("principal") + F("interest") + F("fees")),
                name="write_off_total_is_its_parts",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0), name="write_off_total_positive"
            ),
            # A loan is written off once; a rejected proposal may be followed
            # by another.
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(status__in=["proposed", "approved"]),
                name="one_live_write_off_per_loan",
            ),
        ]
        permissions = [
            ("propose_write_off", "Can propose loan write-offs"),
            ("approve_write_off", "Can approve loan write-offs (within limit)"),
        ]

    def __str__(self) -> str:
        return f"Write-off of loan {self.loan.number}"

    def is_approved(self) -> bool:
        return self.status == WriteOffStatus.APPROVED

    def _decide(self, actor: Any, verb: str) -> Verdict:
        verdict = first_refusal(
            has_perm(actor, "loans.approve_write_off", doing=f"{verb} write-offs"),
            in_state(self, [WriteOffStatus.PROPOSED], verb=f"{verb}d"),
        )
        if verdict and actor.pk == self.proposed_by_id:
            return refuse(SAME_PERSON)
        return verdict

    def can_approve(self, actor: Any) -> Verdict:
        # The amount against the approver's limit is four_eyes_check's, in
        # the service (portal.controls).
        return self._decide(actor, "approve")

    def can_reject(self, actor: Any) -> Verdict:
        return self._decide(actor, "reject")


class Recovery(models.Model):
    """Money received on a written-off loan. It is a Payment (the cashier
    sees it with the loan's payments) whose ledger line is a RECOVERY entry,
    never an allocation to the schedule."""

    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="recovery"
    )
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="recoveries")
    write_off = models.ForeignKey(
        WriteOff, on_delete=models.PROTECT, related_name="recoveries"
    )
    source = models.CharField(max_length=20, choices=RecoverySource.choices)
    note = models.CharField(max_length=255, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-payment__received_on", "-pk"]
        verbose_name_plural = "recoveries"

    def __str__(self) -> str:
        return f"Recovery {self.payment.reference} on loan {self.loan.number}"

    def is_reversed(self) -> bool:
        return self.payment.status == PaymentStatus.REVERSED


class GuaranteeClaim(models.Model):
    """A claim on the State's guarantee for a defaulted loan of a guaranteed
    product: prepared → submitted → paid or denied. The State's payment is
    posted to the loan as a recovery against its write-off, so the loan must
    be written off before the payment is recorded (see loans.services.claims).
    """

    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="guarantee_claims"
    )
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PREPARED
    )
    principal_claimed = amount_field(help_text="Outstanding principal claimed.")
    prepared_on = models.DateField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(null=True, blank=True)
    amount_received = amount_field(null=True, blank=True)
    recovery = models.OneToOneField(
        Recovery,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim",
    )
    denied_on = models.DateField(null=True, blank=True)
    denial_reason = models.CharField(max_length=255, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audited_history()

    class Meta:
        ordering = ["-prepared_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_claimed__gt=0), name="claim_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_received__isnull=True) | Q(amount_received__gt=0),
                name="claim_received_positive",
            ),
            models.UniqueConstraint(
                fields=["loan"],
                condition=~Q(status="denied"),
                name="one_live_guarantee_claim_per_loan",
            ),
        ]
        permissions = [
            ("manage_guarantee_claim", "Can prepare and follow State guarantee claims")
        ]

    def __str__(self) -> str:
        return f"State guarantee claim on loan {self.loan.number}"

    def _claim_perm(self, actor: Any) -> Verdict:
        return has_perm(
            actor, "loans.manage_guarantee_claim", doing="manage guarantee claims"
        )

    def can_submit(self, actor: Any) -> Verdict:
        return first_refusal(
            self._claim_perm(actor),
            in_state(self, [ClaimStatus.PREPARED], verb="submitted", what="The claim"),
        )

    def can_record_payment(self, actor: Any) -> Verdict:
        verdict = first_refusal(
            self._claim_perm(actor),
            # The State's payment is posted to the loan, a cashier's act.
            has_perm(actor, "loans.post_payment", doing="post recoveries"),
            in_state(
                self, [ClaimStatus.SUBMITTED], verb="marked paid", what="The claim"
            ),
        )
        if verdict and self.loan.status != LoanStatus.WRITTEN_OFF:
            return refuse(
                f"Loan {self.loan.number} is {_status_words(self.loan)}; the "
                "State's payment is posted as a recovery against the write-off, "
                "so write the loan off first."
            )
        return verdict

    def can_deny(self, actor: Any) -> Verdict:
        return first_refusal(
            self._claim_perm(actor),
            in_state(self, [ClaimStatus.SUBMITTED], verb="denied", what="The claim"),
        )
