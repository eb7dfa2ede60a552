"""Closing an approved application: the loan, its agreement, its checks.

The loan becomes active (schedule fixed, principal on the ledger) when its
first disbursement check is issued, and only after the agreement is signed.
Each step is a named transition: lock, ask the model's `can_<action>`
predicate, change, save with a history reason (portal.transitions).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from loans import engine, schedule
from loans.choices import (
    DisbursementStatus,
    EntryKind,
    FeeKind,
    LoanStatus,
)
from loans.models import (
    Disbursement,
    LedgerEntry,
    Loan,
    LoanApplication,
    LoanProduct,
)
from loans.signals import loan_activated
from portal.audit import audit_context, bulk_create_audited
from portal.choices import DocumentType
from portal.models import Document
from portal.money import parse_money
from portal.transitions import locked, save_transition

OVER_PRINCIPAL = "Checks would total {total}, more than the loan's {principal}."
FIRST_DUE_TOO_SOON = "The first due date must be after the disbursement date."
NO_APPROVED_TERMS = (
    "Application {ref} has no approved amount and term; it can't become a loan."
)


@transaction.atomic
def loan_create_from_application(
    *,
    actor: Any,
    application: LoanApplication,
    first_due_date: date,
    number: str | None = None,
) -> Loan:
    application = locked(LoanApplication, application.pk, "open_loan", actor)
    product = application.product
    approved, term = application.approved_amount, application.approved_term_months
    if approved is None or term is None:  # approval sets both
        raise ValidationError(NO_APPROVED_TERMS.format(ref=application.reference))
    principal = approved.amount
    number = number or f"{product.code}-{timezone.localdate():%Y}-{application.pk:05d}"
    loan = Loan(
        number=number,
        application=application,
        customer=application.customer,
        account=application.account,
        parcel=application.parcel,
        product=product,
        principal=principal,
        annual_rate=product.annual_rate,
        term_months=term,
        installment_amount=schedule.installment_amount(
            principal, product.annual_rate, term
        ),
        first_due_date=first_due_date,
        status=LoanStatus.CLOSING,
        officer=application.officer,
        lien_required=bool(
            product.lien_required_above
            and principal > product.lien_required_above.amount
        ),
    )
    loan.full_clean()
    with audit_context(user=actor, reason=f"Loan {number} opened for closing"):
        loan.save()
    return loan


@transaction.atomic
def agreement_generate(*, actor: Any, loan: Loan) -> Document:
    """Render the loan agreement / promissory note PDF from the loan's terms."""
    from loans.documents.agreement import agreement_pdf

    loan = locked(Loan, loan.pk, "generate_agreement", actor)
    pdf = agreement_pdf(loan)
    with audit_context(user=actor, reason=f"Agreement generated for {loan.number}"):
        document = Document(
            document_type=DocumentType.OTHER,
            original_name=f"agreement-{loan.number}.pdf",
            content_type="application/pdf",
            size_bytes=len(pdf),
            customer=loan.customer,
            uploaded_by=actor,
            description=f"Loan agreement for {loan.number} (unsigned)",
        )
        document.file.save(document.original_name, ContentFile(pdf), save=False)
        document.save()
    save_transition(
        loan,
        actor=actor,
        reason=f"Agreement generated for {loan.number}",
        agreement_document=document,
    )
    return document


@transaction.atomic
def agreement_record_signed(*, actor: Any, loan: Loan, signed_on: date) -> Loan:
    loan = locked(Loan, loan.pk, "record_signature", actor)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The signing date can't be in the future."})
    return save_transition(
        loan,
        actor=actor,
        reason=f"Agreement signed on {signed_on}",
        agreement_signed_on=signed_on,
    )


@transaction.atomic
def disbursement_issue(
    *,
    actor: Any,
    loan: Loan,
    check_number: str,
    payee: str,
    amount: Decimal,
    issued_on: date,
    replaces: Disbursement | None = None,
) -> Disbursement:
    """Issue a check; the first check activates the loan (schedule fixed)."""
    loan = locked(Loan, loan.pk, "issue_disbursement", actor)
    amount = parse_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "The check amount must be more than $0.00."})
    issued = sum(
        (d.amount for d in loan.disbursements.filter(status=DisbursementStatus.ISSUED)),
        Decimal("0.00"),
    )
    if issued + amount > loan.principal:
        raise ValidationError(
            {
                "amount": OVER_PRINCIPAL.format(
                    total=f"${issued + amount:,.2f}",
                    principal=f"${loan.principal:,.2f}",
                )
            }
        )
    if loan.status == LoanStatus.CLOSING and loan.first_due_date <= issued_on:
        raise ValidationError({"issued_on": FIRST_DUE_TOO_SOON})
    check = Disbursement(
        loan=loan,
        check_number=check_number.strip(),
        payee=payee,
        amount=amount,
        issued_on=issued_on,
        issued_by=actor,
        replaces=replaces,
    )
    check.full_clean()
    with audit_context(user=actor, reason=f"Check {check.check_number} issued"):
        check.save()
    if loan.status == LoanStatus.CLOSING:
        loan_activate(actor=actor, loan=loan, disbursed_on=issued_on)
    return check


@transaction.atomic
def disbursement_void(
    *, actor: Any, disbursement: Disbursement, reason: str, voided_on: date
) -> Disbursement:
    """Void a check; the record stays (with why and when)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the check is void."})
    check = locked(Disbursement, disbursement.pk, "void", actor)
    return save_transition(
        check,
        actor=actor,
        reason=f"Check {check.check_number} voided",
        status=DisbursementStatus.VOID,
        voided_on=voided_on,
        void_reason=reason.strip(),
    )


@transaction.atomic
def disbursement_reissue(
    *, actor: Any, disbursement: Disbursement, new_check_number: str, issued_on: date
) -> Disbursement:
    """Void the check (if not yet) and issue a new one that points to it."""
    check = locked(Disbursement, disbursement.pk, "reissue", actor)
    if check.status != DisbursementStatus.VOID:
        check = disbursement_void(
            actor=actor,
            disbursement=check,
            reason=f"Reissued as {new_check_number}",
            voided_on=issued_on,
        )
    return disbursement_issue(
        actor=actor,
        loan=check.loan,
        check_number=new_check_number,
        payee=check.payee,
        amount=check.amount,
        issued_on=issued_on,
        replaces=check,
    )


@transaction.atomic
def loan_activate(
    *, actor: Any, loan: Loan, disbursed_on: date, assess_origination_fee: bool = True
) -> Loan:
    """Fix the schedule and post the disbursement: the loan becomes active.

    Called by the first disbursement check, and by booking a migrated loan
    (which carries no new origination fee: it was settled at its origin)."""
    loan = locked(Loan, loan.pk, "activate", actor)
    product = LoanProduct.objects.get(pk=loan.product_id)
    reason = "Loan disbursed and activated"
    save_transition(
        loan,
        actor=actor,
        reason=reason,
        status=LoanStatus.ACTIVE,
        disbursed_on=disbursed_on,
    )
    entries = [
        LedgerEntry(
            loan=loan,
            kind=EntryKind.DISBURSEMENT,
            amount=loan.principal,
            effective_on=disbursed_on,
            posted_by=actor,
            memo="Principal disbursed",
        )
    ]
    fee = product.origination_fee.amount
    if assess_origination_fee and fee > 0:
        entries.append(
            LedgerEntry(
                loan=loan,
                kind=EntryKind.FEE_ASSESSED,
                fee_kind=FeeKind.ORIGINATION,
                amount=fee,
                effective_on=disbursed_on,
                posted_by=actor,
                memo="Origination fee",
            )
        )
    with audit_context(user=actor, reason=reason):
        bulk_create_audited(LedgerEntry, entries)
    # The schedule rows and the loan's delinquency facts, through the engine.
    writer = engine.LedgerWriter(actor=actor, reason=reason)
    writer.schedule(
        loan, [], schedule.installment_states(engine.original_schedule(loan))
    )
    writer.flush()
    transaction.on_commit(
        lambda: loan_activated.send(sender=Loan, loan=loan, actor=actor)
    )
    return loan


@transaction.atomic
def loan_assign_officer(*, actor: Any, loan: Loan, officer: Any) -> Loan:
    """Reassign the loan officer (the only thing about a loan staff edit)."""
    if not actor.has_perm("loans.change_loan"):
        raise ValidationError("You don't have permission to reassign loans.")
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    name = officer.get_full_name() or officer.get_username() if officer else "nobody"
    return save_transition(
        loan, actor=actor, reason=f"Officer reassigned to {name}", officer=officer
    )
