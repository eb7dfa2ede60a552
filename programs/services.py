"""Program use cases: eligibility, applications and their workflow, budget
reservation, payments by check or bill credit, voids, budget changes.

Every workflow service follows portal/transitions.py: `locked()` locks the
row and asks the model's `can_<action>` predicate (state and role), then the
service checks what came with the action and saves with `save_transition`
(the action's own date and a history reason).

Money is committed at approval, so approval judges everything again under
the program's row lock: the customer's eligibility (the account or the
customer may have changed since entry), the measure limits (another
application for the same premise may have been approved since) and the
budget. Entry judges eligibility and limits too, so that a clerk hears at
once that an application can't go anywhere.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from djmoney.money import Money

from portal.audit import audit_context
from portal.choices import DocumentType
from portal.controls import four_eyes_check
from portal.models import Customer, UtilityAccount
from portal.money import MoneyError, format_money, parse_money
from portal.transitions import locked, save_transition
from programs import rules, selectors
from programs.choices import RebatePaymentMethod, RebatePaymentStatus
from programs.choices import RebateStatus as S
from programs.models import (
    Measure,
    Program,
    RebateApplication,
    RebateBillCreditFile,
    RebateCheckBatch,
    RebateLine,
    RebatePayment,
)

OVER_BUDGET = (
    "Approving {amount} would over-commit {program}: only {remaining} of its "
    "budget remains."
)
NO_LINES = "Add at least one measure."
WRONG_PROGRAM = "Measure {measure} belongs to another program."
LIMIT_REACHED = "{measure}: {reason}"
MISSING_DOCUMENTS = "Attach the required documents: {missing}."
BAD_RULES = "{program}'s eligibility rules are not valid: {error}"
BAD_LIMIT = "{measure}: the measure's limit is not set up correctly: {error}"
AMOUNT_RANGE = (
    "The approved amount must be more than $0.00 and at most the {requested} requested."
)
CHECK_NUMBER = "Enter the check number as a positive whole number, such as 7001."
CHECK_NUMBER_TOO_LONG = "Check numbers have at most 20 digits."
CHECK_NUMBER_USED = "Check number {number} is already used ({payment})."
NO_APPROVED_AMOUNT = "Application {ref} has no approved amount; it can't be paid."
VOID_BEFORE_PAYMENT = "The void date can't be before the payment date, {paid_on}."
IN_THE_FUTURE = "The {what} can't be in the future."
BUDGET_BELOW_COMMITTED = (
    "{program}'s budget can't be {budget}: {committed} of it is already "
    "committed (approved or paid)."
)
BUDGET_UNCHANGED = "The budget is already {budget}."


def day_text(day: date) -> str:
    """April 1, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class LineRequest:
    measure: Measure
    quantity: Decimal
    invoiced_cost: Decimal | None = None


# --------------------------------------------------------------------------
# Eligibility
# --------------------------------------------------------------------------


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
    guideline table for its fiscal year. A program whose rules can't be
    applied is refused with a ValidationError on "program" (not a 500)."""
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
    try:
        result = rules.evaluate_eligibility(
            selectors.criteria_for(program), applicant, guideline
        )
    except ValueError as error:
        raise ValidationError(
            {"program": BAD_RULES.format(program=program.code, error=error)}
        ) from None
    if program.account_manager_required and account.account_manager_id is None:
        reason = "Key account initiatives need an assigned account manager."
        return rules.EligibilityResult(
            False, [*result.reasons, reason], [*result.failures, reason]
        )
    return result


def customer_eligibility(
    *, program: Program, account: UtilityAccount, customer: Customer, on: date
) -> rules.EligibilityResult:
    """Eligibility from the records: the account (class, services, standing)
    and the customer (household size and income, age on `on` from the date
    of birth, verified disability)."""
    income = customer.household_income
    return program_eligibility(
        program=program,
        account=account,
        household_size=customer.household_size,
        household_income=None if income is None else income.amount,
        age=customer.age_on(on),
        disability_verified=customer.disability_verified,
    )


def _eligibility_failures(
    program: Program, account: UtilityAccount, customer: Customer, on: date
) -> dict[str, list[str]]:
    result = customer_eligibility(
        program=program, account=account, customer=customer, on=on
    )
    return {} if result.eligible else {"account": list(result.failures)}


def _limit_errors(
    measure: Measure,
    account: UtilityAccount,
    quantity: Decimal,
    exclude: RebateApplication | None = None,
) -> list[str]:
    if not measure.limit_kind:
        return []
    try:
        ok, reason = rules.check_measure_limit(
            rules.measure_limit_kind(measure.limit_kind),
            selectors.previous_quantity(measure, account, exclude=exclude),
            selectors.plain_quantity(quantity),
            None
            if measure.lifetime_max is None
            else selectors.plain_quantity(measure.lifetime_max),
        )
    except ValueError as error:
        return [BAD_LIMIT.format(measure=measure.code, error=error)]
    return [] if ok else [LIMIT_REACHED.format(measure=measure.code, reason=reason)]


# --------------------------------------------------------------------------
# Entry
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LineJudgement:
    """One line as entry judges it: its incentive (None when it can't be
    computed) and every problem with it, in the words entry refuses with."""

    line: LineRequest
    incentive: Decimal | None
    problems: list[str]


def _document_names(types: list[str]) -> str:
    labels = dict(DocumentType.choices)
    return ", ".join(str(labels.get(t, t)).lower() for t in types)


def rebate_lines_judge(
    *,
    program: Program,
    account: UtilityAccount,
    lines: list[LineRequest],
    document_types: set[str],
) -> list[LineJudgement]:
    """Judge each line as entry does: the measure is the program's, its
    incentive by the measure's rule, the measure's limit at the premise, the
    documents it requires among `document_types`. A read: entry and the
    online application's estimate both ask it, so they never disagree."""
    judged: list[LineJudgement] = []
    for line in lines:
        measure = line.measure
        if measure.program_id != program.pk:
            problem = WRONG_PROGRAM.format(measure=measure.code)
            judged.append(LineJudgement(line, None, [problem]))
            continue
        try:
            incentive = rules.incentive_for(
                selectors.incentive_rule(measure), line.quantity, line.invoiced_cost
            )
        except ValueError as error:
            judged.append(LineJudgement(line, None, [f"{measure.code}: {error}"]))
            continue
        problems = _limit_errors(measure, account, line.quantity)
        missing = [t for t in measure.required_documents if t not in document_types]
        if missing:
            problems.append(MISSING_DOCUMENTS.format(missing=_document_names(missing)))
        judged.append(LineJudgement(line, incentive, problems))
    return judged


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
    """Enter an application: the customer must be eligible for the program
    (refused on "account" with every failed rule), incentives computed per
    measure's rule, measure limits (one per premise, lifetime) checked
    against approved and paid applications, required documents present."""
    if not lines:
        raise ValidationError({"lines": NO_LINES})
    refusals = _eligibility_failures(
        program, account, account.customer, timezone.localdate()
    )
    documents = documents or []
    judged = rebate_lines_judge(
        program=program,
        account=account,
        lines=lines,
        document_types={d.document_type for d in documents},
    )
    errors = [problem for line in judged for problem in line.problems]
    if errors:
        refusals["lines"] = errors
    if refusals:
        raise ValidationError(refusals)
    computed = [(j.line, j.incentive) for j in judged if j.incentive is not None]
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


# --------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: IN_THE_FUTURE.format(what=what)})


@transaction.atomic
def rebate_start_review(
    *, actor: Any, application: RebateApplication
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "start_review", actor)
    return save_transition(
        app,
        actor=actor,
        reason="Review started",
        status=S.IN_REVIEW,
        stamp="review_started_at",
    )


@transaction.atomic
def rebate_request_information(
    *, actor: Any, application: RebateApplication, question: str
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "request_information", actor)
    question = question.strip()
    if not question:
        raise ValidationError({"question": "Say what information is needed."})
    return save_transition(
        app,
        actor=actor,
        reason=f"Information requested: {question[:200]}",
        status=S.NEEDS_INFORMATION,
        stamp="information_requested_at",
        information_request=question,
    )


@transaction.atomic
def rebate_provide_information(
    *, actor: Any, application: RebateApplication
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "provide_information", actor)
    return save_transition(
        app,
        actor=actor,
        reason="Information provided; review resumed",
        status=S.IN_REVIEW,
        stamp="information_provided_at",
    )


@transaction.atomic
def rebate_schedule_inspection(
    *, actor: Any, application: RebateApplication, inspect_on: date
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "schedule_inspection", actor)
    return save_transition(
        app,
        actor=actor,
        reason=f"Inspection scheduled for {inspect_on.isoformat()}",
        status=S.INSPECTION_SCHEDULED,
        stamp="inspection_scheduled_at",
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
    """Record the result; the inspection's own date is `inspected_on` (the
    day of the visit, which may be before the day it is recorded)."""
    app = locked(RebateApplication, application.pk, "record_inspection", actor)
    notes = notes.strip()
    if not passed and not notes:
        raise ValidationError({"notes": "Say why the inspection failed."})
    _not_in_future(inspected_on, "inspected_on", "inspection date")
    result = "passed" if passed else "failed"
    return save_transition(
        app,
        actor=actor,
        reason=f"Inspection {result} on {inspected_on.isoformat()}",
        status=S.INSPECTED,
        inspection_passed=passed,
        inspection_notes=notes,
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

    The program row is locked before anything is judged, so approvals in the
    same program are judged one after another: the budget can never be
    over-committed, and a one-per-premise measure is never approved twice
    for the same premise. Under that lock the customer's eligibility and the
    measure limits are judged again on today's records."""
    app = locked(RebateApplication, application.pk, "approve", actor)
    requested = app.requested_amount.amount
    if amount is None:
        amount = requested
    if amount <= 0 or amount > requested:
        raise ValidationError(
            {"amount": AMOUNT_RANGE.format(requested=format_money(requested))}
        )
    four_eyes_check(
        action="rebate", preparer=app.prepared_by, approver=actor, amount=amount
    )
    program = Program.objects.select_for_update().get(pk=app.program_id)
    account = UtilityAccount.objects.get(pk=app.account_id)
    customer = Customer.objects.get(pk=app.customer_id)
    refusals = _eligibility_failures(
        program, account, customer, timezone.localdate(app.submitted_at)
    )
    errors: list[str] = []
    for line in app.lines.select_related("measure"):
        errors.extend(_limit_errors(line.measure, account, line.quantity, app))
    if errors:
        refusals["lines"] = errors
    if refusals:
        raise ValidationError(refusals)
    position = selectors.budget_position(program)
    if amount > position.remaining:
        raise ValidationError(
            OVER_BUDGET.format(
                amount=format_money(amount),
                program=program.code,
                remaining=format_money(position.remaining),
            )
        )
    return save_transition(
        app,
        actor=actor,
        reason=f"Approved; {format_money(amount)} reserved",
        status=S.APPROVED,
        stamp="decided_at",
        approved_amount=Money(amount, "USD"),
        decided_by=actor,
        decision_reasons=reasons.strip(),
    )


@transaction.atomic
def rebate_deny(
    *, actor: Any, application: RebateApplication, reasons: str
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "deny", actor)
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": "Give the reasons for the denial."})
    return save_transition(
        app,
        actor=actor,
        reason=f"Denied: {reasons[:200]}",
        status=S.DENIED,
        stamp="decided_at",
        decided_by=actor,
        decision_reasons=reasons,
    )


@transaction.atomic
def rebate_cancel(
    *, actor: Any, application: RebateApplication, reason: str
) -> RebateApplication:
    """Cancel an approved, unpaid application: its reservation is released."""
    app = locked(RebateApplication, application.pk, "cancel", actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the approval is cancelled."})
    return save_transition(
        app,
        actor=actor,
        reason=f"Cancelled: {reason[:200]}; reservation released",
        status=S.CANCELLED,
        stamp="cancelled_at",
    )


# --------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------


def _used_check_number(number: str) -> str | None:
    payment = (
        RebatePayment.objects.filter(check_number=number)
        .select_related("application")
        .first()
    )
    if payment is None:
        return None
    what = f"{payment.application.reference}, paid on {day_text(payment.paid_on)}"
    if payment.status == RebatePaymentStatus.VOID:
        what += ", since void"
    return CHECK_NUMBER_USED.format(number=number, payment=what)


def _check_numbers(first: object, count: int) -> list[str]:
    """The batch's check numbers, each unused; refused on "check_number"."""
    if isinstance(first, bool) or not isinstance(first, int) or first <= 0:
        raise ValidationError({"check_number": CHECK_NUMBER})
    numbers = [str(first + offset) for offset in range(count)]
    if any(len(number) > 20 for number in numbers):
        raise ValidationError({"check_number": CHECK_NUMBER_TOO_LONG})
    used = [message for n in numbers if (message := _used_check_number(n))]
    if used:
        raise ValidationError({"check_number": used})
    return numbers


def _pay(
    actor: Any,
    app: RebateApplication,
    method: str,
    paid_on: date,
    check_number: str = "",
    batch: RebateCheckBatch | None = None,
    credit_file: RebateBillCreditFile | None = None,
) -> RebatePayment:
    approved = app.approved_amount
    if approved is None:  # approval sets it
        raise ValidationError(NO_APPROVED_AMOUNT.format(ref=app.reference))
    try:
        # A savepoint: a check number taken by a concurrent batch since it
        # was checked is refused with its message, not a database error.
        with transaction.atomic(), audit_context(user=actor, reason="Rebate paid"):
            payment = RebatePayment.objects.create(
                application=app,
                method=method,
                amount=approved.amount,
                paid_on=paid_on,
                check_number=check_number,
                batch=batch,
                credit_file=credit_file,
                issued_by=actor,
            )
    except IntegrityError:
        used = check_number and _used_check_number(check_number)
        if used:
            raise ValidationError({"check_number": used}) from None
        raise
    number = f" {check_number}" if check_number else ""
    save_transition(
        app,
        actor=actor,
        reason=f"Paid {format_money(payment.amount)} by "
        f"{payment.get_method_display().lower()}{number}",
        status=S.PAID,
        stamp="paid_at",
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
    """Pay approved applications by check, numbered from first_check_number
    (a positive whole number; every number in the batch must be unused)."""
    ordered = sorted(applications, key=lambda a: a.pk)
    numbers = _check_numbers(first_check_number, len(ordered))
    apps = [
        locked(RebateApplication, application.pk, "pay_by_check", actor)
        for application in ordered
    ]
    with audit_context(user=actor, reason="Rebate check batch"):
        batch = RebateCheckBatch.objects.create(created_by=actor, paid_on=paid_on)
    for app, number in zip(apps, numbers, strict=True):
        _pay(actor, app, RebatePaymentMethod.CHECK, paid_on, number, batch)
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
def rebate_bill_credits_issue(
    *, actor: Any, applications: list[RebateApplication], credit_date: date
) -> RebateBillCreditFile:
    """Pay approved applications as bill credits and keep the billing file
    made for them (who made it, when, its CSV) as a record its credits link
    to, so the same file can be downloaded again."""
    apps = [
        locked(RebateApplication, application.pk, "pay_by_bill_credit", actor)
        for application in sorted(applications, key=lambda a: a.pk)
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BILL_CREDIT_COLUMNS)
    for app in apps:
        if app.approved_amount is None:  # approval sets it
            raise ValidationError(NO_APPROVED_AMOUNT.format(ref=app.reference))
        writer.writerow(
            [
                app.account.number,
                f"{app.approved_amount.amount:.2f}",
                credit_date.isoformat(),
                app.reference,
                f"{app.program.code} rebate",
            ]
        )
    with audit_context(user=actor, reason="Rebate bill-credit file"):
        credit_file = RebateBillCreditFile.objects.create(
            created_by=actor,
            credit_date=credit_date,
            file_name=f"bill-credits-{credit_date.isoformat()}.csv",
            content=out.getvalue(),
        )
    for app in apps:
        _pay(
            actor,
            app,
            RebatePaymentMethod.BILL_CREDIT,
            credit_date,
            credit_file=credit_file,
        )
    return credit_file


def rebate_bill_credits_export(
    *, actor: Any, applications: list[RebateApplication], credit_date: date
) -> str:
    """Pay approved applications as bill credits; return the billing file
    (kept as a RebateBillCreditFile by rebate_bill_credits_issue)."""
    return rebate_bill_credits_issue(
        actor=actor, applications=applications, credit_date=credit_date
    ).content


@transaction.atomic
def rebate_payment_void(
    *, actor: Any, payment: RebatePayment, reason: str, voided_on: date
) -> RebatePayment:
    """Void a check or credit of a paid application; the application is
    approved (reserved) again. The application is locked first (the order
    every payment service locks in), then the payment."""
    application_id = RebatePayment.objects.values_list("application_id", flat=True).get(
        pk=payment.pk
    )
    app = RebateApplication.objects.select_for_update().get(pk=application_id)
    payment = locked(RebatePayment, payment.pk, "void", actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the payment is void."})
    if voided_on < payment.paid_on:
        raise ValidationError(
            {"voided_on": VOID_BEFORE_PAYMENT.format(paid_on=day_text(payment.paid_on))}
        )
    _not_in_future(voided_on, "voided_on", "void date")
    what = f"{payment.get_method_display().lower()} of {format_money(payment.amount)}"
    save_transition(
        payment,
        actor=actor,
        reason=f"Payment voided: {reason[:200]}",
        status=RebatePaymentStatus.VOID,
        voided_on=voided_on,
        void_reason=reason,
    )
    save_transition(
        app,
        actor=actor,
        reason=f"Payment ({what}) voided; approved amount reserved again",
        status=S.APPROVED,
        paid_at=None,
    )
    return payment


# --------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------


@transaction.atomic
def program_budget_change(
    *, actor: Any, program: Program, budget: Decimal, reason: str
) -> Program:
    """Set a program's budget. Locks the program (the lock approvals take),
    so the budget is never set below what is committed: approved (reserved)
    and paid."""
    program = locked(Program, program.pk, "change_budget", actor)
    try:
        budget = parse_money(budget)
    except MoneyError as error:
        raise ValidationError({"budget": str(error)}) from None
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the budget changes."})
    old = program.budget.amount
    if budget == old:
        raise ValidationError(
            {"budget": BUDGET_UNCHANGED.format(budget=format_money(old))}
        )
    position = selectors.budget_position(program)
    committed = position.committed + position.paid
    if budget < committed:
        raise ValidationError(
            {
                "budget": BUDGET_BELOW_COMMITTED.format(
                    program=program.code,
                    budget=format_money(budget),
                    committed=format_money(committed),
                )
            }
        )
    return save_transition(
        program,
        actor=actor,
        reason=f"Budget changed from {format_money(old)} to "
        f"{format_money(budget)}: {reason[:200]}",
        budget=Money(budget, "USD"),
    )
