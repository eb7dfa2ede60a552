"""Program use cases: eligibility, applications and their workflow, budget
reservation, payments by check or bill credit, voids."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from djmoney.money import Money

from portal.audit import audit_context
from portal.controls import four_eyes_check
from portal.models import UtilityAccount
from programs import rules, selectors
from programs.choices import RebatePaymentMethod, RebatePaymentStatus
from programs.choices import RebateStatus as S
from programs.models import (
    Measure,
    Program,
    RebateApplication,
    RebateCheckBatch,
    RebateLine,
    RebatePayment,
)

WRONG_STATE = "Application {ref} is {state}; it can't be {action} from there."
OVER_BUDGET = (
    "Approving {amount} would over-commit {program}: only {remaining} of its "
    "budget remains."
)
INSPECTION_FAILED = "The inspection failed; the application can only be denied."
NO_LINES = "Add at least one measure."
WRONG_PROGRAM = "Measure {measure} belongs to another program."
LIMIT_REACHED = "{measure}: {reason}"
MISSING_DOCUMENTS = "Attach the required documents: {missing}."


@dataclass(frozen=True)
class LineRequest:
    measure: Measure
    quantity: Decimal
    invoiced_cost: Decimal | None = None


def program_eligibility(
    *,
    program: Program,
    account: UtilityAccount,
    household_size: int | None,
    household_income: Decimal | None,
    age: int | None,
    disability_verified: bool,
) -> rules.EligibilityResult:
    """Judge eligibility with every reason, from the program's rules and the
    guideline table for its fiscal year."""
    applicant = rules.Applicant(
        customer_class=account.customer_class,
        services=frozenset(account.services),
        in_good_standing=account.is_in_good_standing(),
        age=age,
        disability_verified=disability_verified,
        household_size=household_size,
        household_income=household_income,
    )
    guideline = (
        selectors.guideline_table(program.fiscal_year)
        if program.income_limit_percent is not None
        else None
    )
    if program.income_limit_percent is not None and guideline is None:
        return rules.EligibilityResult(
            eligible=False,
            reasons=[f"No poverty guideline table for {program.fiscal_year}."],
            failures=[f"No poverty guideline table for {program.fiscal_year}."],
        )
    result = rules.evaluate_eligibility(
        selectors.criteria_for(program), applicant, guideline
    )
    if program.account_manager_required and account.account_manager_id is None:
        reason = "Key account initiatives need an assigned account manager."
        return rules.EligibilityResult(
            False, [*result.reasons, reason], [*result.failures, reason]
        )
    return result


@transaction.atomic
def rebate_application_create(
    *,
    actor: Any,
    program: Program,
    account: UtilityAccount,
    lines: list[LineRequest],
    install_date: date | None = None,
    contractor_name: str = "",
    documents: list[Any] | None = None,
) -> RebateApplication:
    """Enter an application: incentives computed per measure's rule, measure
    limits (one per premise, lifetime) checked, required documents present."""
    if not lines:
        raise ValidationError({"lines": NO_LINES})
    errors: list[str] = []
    computed: list[tuple[LineRequest, Decimal]] = []
    documents = documents or []
    doc_types = {d.document_type for d in documents}
    for line in lines:
        measure = line.measure
        if measure.program_id != program.pk:
            errors.append(WRONG_PROGRAM.format(measure=measure.code))
            continue
        try:
            incentive = rules.incentive_for(
                selectors.incentive_rule(measure), line.quantity, line.invoiced_cost
            )
        except ValueError as error:
            errors.append(f"{measure.code}: {error}")
            continue
        if measure.limit_kind:
            ok, reason = rules.check_measure_limit(
                measure.limit_kind,
                selectors.previous_quantity(measure, account),
                line.quantity,
                measure.lifetime_max,
            )
            if not ok:
                errors.append(LIMIT_REACHED.format(measure=measure.code, reason=reason))
        missing = [t for t in measure.required_documents if t not in doc_types]
        if missing:
            errors.append(MISSING_DOCUMENTS.format(missing=", ".join(missing)))
        computed.append((line, incentive))
    if errors:
        raise ValidationError({"lines": errors})
    total = sum((incentive for _, incentive in computed), Decimal("0.00"))
    with audit_context(user=actor, reason="Rebate application entered"):
        application = RebateApplication.objects.create(
            program=program,
            customer=account.customer,
            account=account,
            install_date=install_date,
            contractor_name=contractor_name,
            requested_amount=Money(total, "USD"),
            prepared_by=actor,
        )
        application.documents.set(documents)
        for line, incentive in computed:
            RebateLine.objects.create(
                application=application,
                measure=line.measure,
                quantity=line.quantity,
                invoiced_cost=line.invoiced_cost,
                incentive=incentive,
            )
    return application


def _lock(
    application: RebateApplication, sources: set[str], action: str
) -> RebateApplication:
    # Lock first: two staff acting on one application must not both succeed.
    application = RebateApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in sources:
        raise ValidationError(
            WRONG_STATE.format(
                ref=application.reference,
                state=application.get_status_display().lower(),
                action=action,
            )
        )
    return application


def _save(
    actor: Any, application: RebateApplication, reason: str, **changes: Any
) -> RebateApplication:
    for name, value in changes.items():
        setattr(application, name, value)
    with audit_context(user=actor, reason=reason):
        application.save()
    return application


@transaction.atomic
def rebate_start_review(
    *, actor: Any, application: RebateApplication
) -> RebateApplication:
    app = _lock(application, {S.SUBMITTED}, "reviewed")
    return _save(
        actor,
        app,
        "Review started",
        status=S.IN_REVIEW,
        review_started_at=timezone.now(),
    )


@transaction.atomic
def rebate_request_information(
    *, actor: Any, application: RebateApplication, question: str
) -> RebateApplication:
    if not question.strip():
        raise ValidationError({"question": "Say what information is needed."})
    app = _lock(application, {S.IN_REVIEW}, "sent back for information")
    return _save(
        actor,
        app,
        f"Information requested: {question.strip()[:200]}",
        status=S.NEEDS_INFORMATION,
        information_request=question.strip(),
        information_requested_at=timezone.now(),
    )


@transaction.atomic
def rebate_provide_information(
    *, actor: Any, application: RebateApplication
) -> RebateApplication:
    app = _lock(application, {S.NEEDS_INFORMATION}, "resumed")
    return _save(actor, app, "Information provided; review resumed", status=S.IN_REVIEW)


@transaction.atomic
def rebate_schedule_inspection(
    *, actor: Any, application: RebateApplication, inspect_on: date
) -> RebateApplication:
    app = _lock(application, {S.IN_REVIEW}, "scheduled for inspection")
    return _save(
        actor,
        app,
        f"Inspection scheduled for {inspect_on}",
        status=S.INSPECTION_SCHEDULED,
        inspection_scheduled_for=inspect_on,
    )


@transaction.atomic
def rebate_record_inspection(
    *,
    actor: Any,
    application: RebateApplication,
    passed: bool,
    notes: str,
    inspected_on: date,
) -> RebateApplication:
    if not passed and not notes.strip():
        raise ValidationError({"notes": "Say why the inspection failed."})
    app = _lock(application, {S.INSPECTION_SCHEDULED}, "recorded as inspected")
    result = "passed" if passed else "failed"
    return _save(
        actor,
        app,
        f"Inspection {result}",
        status=S.INSPECTED,
        inspection_passed=passed,
        inspection_notes=notes.strip(),
        inspected_on=inspected_on,
    )


@transaction.atomic
def rebate_approve(
    *,
    actor: Any,
    application: RebateApplication,
    amount: Decimal | None = None,
    reasons: str = "",
) -> RebateApplication:
    """Approve and reserve the amount against the program's remaining budget.

    The program row is locked first, so concurrent approvals are judged one
    after another and the budget can never be over-committed."""
    app = _lock(application, {S.IN_REVIEW, S.INSPECTED}, "approved")
    if app.status == S.INSPECTED and app.inspection_passed is False:
        raise ValidationError(INSPECTION_FAILED)
    amount = app.requested_amount.amount if amount is None else amount
    if amount <= 0 or amount > app.requested_amount.amount:
        raise ValidationError(
            {
                "amount": "The approved amount must be more than 0 "
                f"and at most the {app.requested_amount} requested."
            }
        )
    four_eyes_check(
        action="rebate", preparer=app.prepared_by, approver=actor, amount=amount
    )
    program = Program.objects.select_for_update().get(pk=app.program_id)
    position = selectors.budget_position(program)
    if amount > position.remaining:
        raise ValidationError(
            OVER_BUDGET.format(
                amount=rules.format_money(amount),
                program=program.code,
                remaining=rules.format_money(position.remaining),
            )
        )
    return _save(
        actor,
        app,
        f"Approved; {rules.format_money(amount)} reserved",
        status=S.APPROVED,
        approved_amount=Money(amount, "USD"),
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reasons=reasons.strip(),
    )


@transaction.atomic
def rebate_deny(
    *, actor: Any, application: RebateApplication, reasons: str
) -> RebateApplication:
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the denial."})
    app = _lock(
        application,
        {
            S.SUBMITTED,
            S.IN_REVIEW,
            S.NEEDS_INFORMATION,
            S.INSPECTION_SCHEDULED,
            S.INSPECTED,
        },
        "denied",
    )
    return _save(
        actor,
        app,
        "Denied",
        status=S.DENIED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reasons=reasons.strip(),
    )


@transaction.atomic
def rebate_cancel(
    *, actor: Any, application: RebateApplication, reason: str
) -> RebateApplication:
    """Cancel an approved, unpaid application: its reservation is released."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the approval is cancelled."})
    app = _lock(application, {S.APPROVED}, "cancelled")
    return _save(
        actor,
        app,
        f"Cancelled: {reason.strip()[:200]}; reservation released",
        status=S.CANCELLED,
        cancelled_at=timezone.now(),
    )


def _pay(
    actor: Any,
    app: RebateApplication,
    method: str,
    paid_on: date,
    check_number: str = "",
    batch: RebateCheckBatch | None = None,
) -> RebatePayment:
    payment = RebatePayment.objects.create(
        application=app,
        method=method,
        amount=app.approved_amount.amount,
        paid_on=paid_on,
        check_number=check_number,
        batch=batch,
        issued_by=actor,
    )
    _save(
        actor,
        app,
        f"Paid by {payment.get_method_display().lower()}",
        status=S.PAID,
        paid_at=timezone.now(),
    )
    return payment


@transaction.atomic
def rebate_checks_issue(
    *,
    actor: Any,
    applications: list[RebateApplication],
    first_check_number: int,
    paid_on: date,
) -> RebateCheckBatch:
    """Pay approved applications by check, numbered from first_check_number."""
    with audit_context(user=actor, reason="Rebate check batch"):
        batch = RebateCheckBatch.objects.create(created_by=actor, paid_on=paid_on)
        for offset, application in enumerate(sorted(applications, key=lambda a: a.pk)):
            app = _lock(application, {S.APPROVED}, "paid")
            _pay(
                actor,
                app,
                RebatePaymentMethod.CHECK,
                paid_on,
                str(first_check_number + offset),
                batch,
            )
    return batch


# Bill-credit export for the billing system: CSV, one row per credit, header:
# account_number,amount,credit_date,reference,description
# amount in dollars and cents ("125.00"), credit_date YYYY-MM-DD, reference
# RA-000123 (the application), description "<program code> rebate".
BILL_CREDIT_COLUMNS = [
    "account_number",
    "amount",
    "credit_date",
    "reference",
    "description",
]


@transaction.atomic
def rebate_bill_credits_export(
    *, actor: Any, applications: list[RebateApplication], credit_date: date
) -> str:
    """Pay approved applications as bill credits; return the billing file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BILL_CREDIT_COLUMNS)
    for application in sorted(applications, key=lambda a: a.pk):
        app = _lock(application, {S.APPROVED}, "credited")
        payment = _pay(actor, app, RebatePaymentMethod.BILL_CREDIT, credit_date)
        writer.writerow(
            [
                app.account.number,
                f"{payment.amount:.2f}",
                credit_date.isoformat(),
                app.reference,
                f"{app.program.code} rebate",
            ]
        )
    return out.getvalue()


@transaction.atomic
def rebate_payment_void(
    *, actor: Any, payment: RebatePayment, reason: str, voided_on: date
) -> RebatePayment:
    """Void a check or credit; the application is approved (reserved) again."""
    payment = RebatePayment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == RebatePaymentStatus.VOID:
        raise ValidationError("This payment is already void.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the payment is void."})
    with audit_context(user=actor, reason=f"Payment voided: {reason.strip()[:200]}"):
        payment.status = RebatePaymentStatus.VOID
        payment.voided_on = voided_on
        payment.void_reason = reason.strip()
        payment.save()
        app = RebateApplication.objects.select_for_update().get(
            pk=payment.application_id
        )
        app.status = S.APPROVED
        app.paid_at = None
        app.save()
    return payment
