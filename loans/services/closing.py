"""Closing an approved application: the loan, its agreement, its checks.

The loan becomes active (schedule fixed, principal on the ledger) when its
first disbursement check is issued, and only after the agreement is signed.
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
from loans.choices import ApplicationStatus, DisbursementStatus, LoanStatus
from loans.models import Disbursement, Loan, LoanApplication
from portal.audit import audit_context
from portal.choices import DocumentType
from portal.models import Document

NOT_APPROVED = "Application {ref} is {state}; only an approved application closes."
ALREADY_CLOSED = "Application {ref} already has loan {number}."
NOT_SIGNED = "Record the signed agreement before issuing a disbursement."
NOT_CLOSING = (
    "Loan {number} is {state}; checks are issued only while closing or active."
)
OVER_PRINCIPAL = "Checks would total {total}, more than the loan's {principal}."
ALREADY_VOID = "Check {number} is already void."
FIRST_DUE_TOO_SOON = "The first due date must be after the disbursement date."


@transaction.atomic
def loan_create_from_application(
    *,
    actor: Any,
    application: LoanApplication,
    first_due_date: date,
    number: str | None = None,
) -> Loan:
    application = (
        LoanApplication.objects.select_for_update()
        .select_related("product")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.APPROVED:
        raise ValidationError(
            NOT_APPROVED.format(
                ref=application.reference,
                state=application.get_status_display().lower(),
            )
        )
    if existing := Loan.objects.filter(application=application).first():
        raise ValidationError(
            ALREADY_CLOSED.format(ref=application.reference, number=existing.number)
        )
    product = application.product
    principal = application.approved_amount.amount
    term = application.approved_term_months
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

    pdf = agreement_pdf(loan)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
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
        loan.agreement_document = document
        loan.save(update_fields=["agreement_document"])
    return document


@transaction.atomic
def agreement_record_signed(*, actor: Any, loan: Loan, signed_on: date) -> Loan:
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.agreement_document_id is None:
        raise ValidationError("Generate the agreement before recording it as signed.")
    with audit_context(user=actor, reason=f"Agreement signed on {signed_on}"):
        loan.agreement_signed_on = signed_on
        loan.save(update_fields=["agreement_signed_on"])
    return loan


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
    loan = Loan.objects.select_for_update().select_related("product").get(pk=loan.pk)
    if loan.agreement_signed_on is None:
        raise ValidationError(NOT_SIGNED)
    if loan.status not in (LoanStatus.CLOSING, LoanStatus.ACTIVE):
        raise ValidationError(
            NOT_CLOSING.format(
                number=loan.number, state=loan.get_status_display().lower()
            )
        )
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
        engine.loan_activate(actor=actor, loan=loan, disbursed_on=issued_on)
    return check


@transaction.atomic
def disbursement_void(
    *, actor: Any, disbursement: Disbursement, reason: str, voided_on: date
) -> Disbursement:
    """Void a check; the record stays (with why and when)."""
    check = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if check.status == DisbursementStatus.VOID:
        raise ValidationError(ALREADY_VOID.format(number=check.check_number))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the check is void."})
    with audit_context(user=actor, reason=f"Check {check.check_number} voided"):
        check.status = DisbursementStatus.VOID
        check.voided_on = voided_on
        check.void_reason = reason.strip()
        check.save()
    return check


@transaction.atomic
def disbursement_reissue(
    *, actor: Any, disbursement: Disbursement, new_check_number: str, issued_on: date
) -> Disbursement:
    """Void the check (if not yet) and issue a new one that points to it."""
    check = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
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
