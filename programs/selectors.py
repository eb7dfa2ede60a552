"""Reads for programs: budget position, eligibility inputs, reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from portal.db.precompiled import PrecompiledAbout
from portal.models import Customer, Property, UtilityAccount
from portal.money import cents as to_cents
from portal.money import format_money
from portal.selectors import WorkflowStep, by_workflow_step
from programs import rules
from programs.choices import RebatePaymentStatus, RebateStatus
from programs.models import (
    Measure,
    PovertyGuideline,
    Program,
    RebateApplication,
    RebateLine,
    RebatePayment,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetPosition:
    budget: Decimal
    committed: Decimal  # approved, reserved, not yet paid
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.paid


def budget_position(program: Program) -> BudgetPosition:
    committed = RebateApplication.objects.filter(
        program=program, status=RebateStatus.APPROVED
    ).aggregate(total=Sum("approved_amount"))["total"]
    paid = RebatePayment.objects.filter(
        application__program=program, status=RebatePaymentStatus.ISSUED
    ).aggregate(total=Sum("amount"))["total"]
    # SQLite sums money as floats: round every aggregate to the cent.
    return BudgetPosition(
        program.budget.amount, to_cents(committed or 0), to_cents(paid or 0)
    )


def budget_positions(programs: list[Program]) -> dict[int, BudgetPosition]:
    """Budget position of many programs in two queries."""
    ids = [p.pk for p in programs]
    committed = dict(
        RebateApplication.objects.filter(
            program_id__in=ids, status=RebateStatus.APPROVED
        )
        .values("program_id")
        .annotate(total=Sum("approved_amount"))
        .values_list("program_id", "total")
    )
    paid = dict(
        RebatePayment.objects.filter(
            application__program_id__in=ids, status=RebatePaymentStatus.ISSUED
        )
        .values("application__program_id")
        .annotate(total=Sum("amount"))
        .values_list("application__program_id", "total")
    )
    return {
        p.pk: BudgetPosition(
            p.budget.amount,
            to_cents(committed.get(p.pk) or 0),
            to_cents(paid.get(p.pk) or 0),
        )
        for p in programs
    }


def criteria_for(program: Program) -> rules.ProgramCriteria:
    return rules.ProgramCriteria(
        customer_classes=frozenset(program.customer_classes),
        required_services=frozenset(program.required_services),
        requires_good_standing=program.requires_good_standing,
        minimum_age=program.minimum_age,
        requires_disability=program.requires_disability,
        income_limit_percent=program.income_limit_percent,
        senior_or_disabled=program.senior_or_disabled,
    )


def guideline_table(year: int) -> rules.PovertyGuideline | None:
    guideline = (
        PovertyGuideline.objects.filter(year__lte=year)
        .prefetch_related("rows")
        .order_by("-year")
        .first()
    )
    if guideline is None:
        return None
    return rules.PovertyGuideline(
        year=guideline.year,
        base_amounts={r.household_size: r.amount.amount for r in guideline.rows.all()},
        additional_per_person=guideline.additional_per_person.amount,
    )


def incentive_rule(measure: Measure) -> rules.IncentiveRule:
    """The measure's rule for programs.rules; ValueError for a stored kind
    the rules don't know."""
    amount = measure.amount
    if measure.incentive_kind == "fixed" and amount is not None:
        amount = to_cents(amount)
    return rules.IncentiveRule(
        kind=rules.incentive_kind(measure.incentive_kind),
        amount=amount,
        percent=measure.percent,
        cap=measure.cap,
    )


def previous_quantity(
    measure: Measure,
    account: UtilityAccount,
    *,
    exclude: RebateApplication | None = None,
) -> Decimal:
    """Units of this measure already approved or paid at the premise: on
    the account itself, and on any account serving the same property when
    the account's property is known. Applications still pending, denied or
    cancelled do not count, nor `exclude` (the application being judged).

    Whole units come back without decimals (1, not 1.00) so that the limit's
    reasons read naturally."""
    premise = Q(application__account=account)
    if account.service_property_id:
        premise |= Q(
            application__account__service_property_id=account.service_property_id
        )
    lines = RebateLine.objects.filter(
        premise,
        measure=measure,
        application__status__in=[RebateStatus.APPROVED, RebateStatus.PAID],
    )
    if exclude is not None and exclude.pk is not None:
        lines = lines.exclude(application_id=exclude.pk)
    return plain_quantity(lines.aggregate(total=Sum("quantity"))["total"] or 0)


def plain_quantity(value: Decimal | float | int) -> Decimal:
    """A quantity (two decimals at most) without trailing zeros: 1, 1500, 2.5.
    SQLite may sum decimals as floats; round that to the hundredth first."""
    quantity = to_cents(Decimal(str(value)) if isinstance(value, float) else value)
    if quantity == quantity.to_integral_value():
        return quantity.quantize(Decimal(1))
    return quantity.normalize()


def programs_in_period(start: date, end: date) -> list[Program]:
    """The programs running at some time in the period (first and last day),
    by code."""
    return list(
        Program.objects.filter(starts_on__lte=end, ends_on__gte=start).order_by("code")
    )


class ProgramReportRow(TypedDict):
    program: str
    measure: str
    measure_name: str
    month: date
    applications: int
    committed: Decimal
    paid: Decimal
    kwh_savings: Decimal
    therms_savings: Decimal


def program_report(
    *,
    program: Program | None = None,
    submitted: tuple[date, date] | None = None,
) -> list[ProgramReportRow]:
    """Participation, dollars committed and paid, and estimated savings by
    program, measure and month (month of submission), of the applications
    submitted in `submitted` (first and last day) when given. One grouped
    query for lines and one for payments, whatever the number of
    applications."""
    lines = RebateLine.objects.all()
    if program is not None:
        lines = lines.filter(application__program=program)
    if submitted is not None:
        lines = lines.filter(application__submitted_at__date__range=submitted)
    grouped = (
        lines.annotate(month=TruncMonth("application__submitted_at"))
        .values("application__program__code", "measure__code", "measure__name", "month")
        .annotate(
            applications=Count("application", distinct=True),
            committed=Sum(
                "incentive", filter=Q(application__status=RebateStatus.APPROVED)
            ),
            paid=Sum("incentive", filter=Q(application__status=RebateStatus.PAID)),
            quantity=Sum(
                "quantity",
                filter=Q(
                    application__status__in=[RebateStatus.APPROVED, RebateStatus.PAID]
                ),
            ),
        )
        .order_by("application__program__code", "measure__code", "month")
    )
    savings = {
        m.pk: (m.kwh_savings_per_unit, m.therms_savings_per_unit)
        for m in Measure.objects.all()
    }
    codes = {
        (m.program.code, m.code): m.pk
        for m in Measure.objects.select_related("program")
    }
    rows: list[ProgramReportRow] = []
    for g in grouped:
        kwh, therms = savings[
            codes[(g["application__program__code"], g["measure__code"])]
        ]
        quantity = Decimal(str(g["quantity"] or 0))
        rows.append(
            {
                "program": g["application__program__code"],
                "measure": g["measure__code"],
                "measure_name": g["measure__name"],
                "month": g["month"].date()
                if hasattr(g["month"], "date")
                else g["month"],
                "applications": g["applications"],
                "committed": to_cents(g["committed"] or 0),
                "paid": to_cents(g["paid"] or 0),
                "kwh_savings": to_cents(quantity * kwh),
                "therms_savings": to_cents(quantity * therms),
            }
        )
    return rows


# --- the back office's dashboard and record pages ---
# (A fixed number of queries each, however many applications there are.)


# One step of the rebate workflow (portal.selectors.by_workflow_step).
RebateStep = WorkflowStep


@dataclass(frozen=True)
class RebateQueue:
    count: int
    total: Decimal  # of the requested amounts
    applications: list[RebateApplication]


def open_rebate_statuses() -> list[str]:
    """Steps where an application still needs someone (approved: to be paid)."""
    S = RebateStatus
    return [
        S.SUBMITTED,
        S.IN_REVIEW,
        S.NEEDS_INFORMATION,
        S.INSPECTION_SCHEDULED,
        S.INSPECTED,
        S.APPROVED,
    ]


def my_open_rebate_applications(
    user: object, *, per_step: int = 10
) -> list[WorkflowStep[RebateApplication]]:
    """The open applications a user prepared, by step (workflow order,
    empty steps left out), the oldest first. Two queries."""
    mine = RebateApplication.objects.filter(
        Q(prepared_by=user), status__in=open_rebate_statuses()
    )
    return by_workflow_step(
        mine.select_related("customer", "program"),
        statuses=open_rebate_statuses(),
        labels=dict(RebateStatus.choices),
        order_by=["submitted_at", "pk"],
        limit=per_step,
    )


def _rebate_queue(where: Q, *, order_by: list[str], limit: int) -> RebateQueue:
    applications = RebateApplication.objects.filter(where)
    totals = applications.order_by().aggregate(
        n=Count("pk"), total=Sum("requested_amount")
    )
    total = totals["total"] or 0
    return RebateQueue(
        count=totals["n"],
        total=to_cents(Decimal(str(total)) if isinstance(total, float) else total),
        applications=list(
            applications.select_related("customer", "program", "account").order_by(
                *order_by
            )[:limit]
        ),
    )


def rebates_awaiting_approval(user: object, *, limit: int = 25) -> RebateQueue:
    """Applications ready to approve (in review, or inspected and not
    failed: RebateApplication.can_approve's states) that the user did not
    prepare (four-eyes). The longest waiting first. Two queries."""
    ready = (
        Q(status__in=[RebateStatus.IN_REVIEW, RebateStatus.INSPECTED])
        & ~Q(inspection_passed=False)
        & ~Q(prepared_by=user)
    )
    return _rebate_queue(ready, order_by=["submitted_at", "pk"], limit=limit)


def rebates_back_in_review(*, limit: int = 25) -> RebateQueue:
    """Applications whose missing information came in (in review again),
    the longest waiting first."""
    back = Q(status=RebateStatus.IN_REVIEW, information_provided_at__isnull=False)
    return _rebate_queue(back, order_by=["information_provided_at", "pk"], limit=limit)


def inspections_due(*, days_ahead: int = 7, limit: int = 25) -> RebateQueue:
    """Inspections not yet recorded that are scheduled up to `days_ahead`
    days from today (and any overdue), the earliest first."""
    from datetime import timedelta

    from django.utils import timezone

    through = timezone.localdate() + timedelta(days=days_ahead)
    due = Q(
        status=RebateStatus.INSPECTION_SCHEDULED,
        inspection_scheduled_for__lte=through,
    )
    return _rebate_queue(due, order_by=["inspection_scheduled_for", "pk"], limit=limit)


def active_program_budgets() -> list[tuple[Program, BudgetPosition]]:
    """Active programs with their budget position. Three queries."""
    programs = list(Program.objects.filter(is_active=True).order_by("code"))
    positions = budget_positions(programs)
    return [(program, positions[program.pk]) for program in programs]


def rebate_applications_about(record: object) -> list[RebateApplication]:
    """A customer's, an account's or a property's rebate applications (a
    property's: those of the accounts serving it), newest first. One query,
    compiled once per process (portal.db.precompiled)."""
    read = _REBATE_APPLICATIONS_ABOUT
    return read(record) if read.applies_to(record) else []


_REBATE_APPLICATIONS_ABOUT = PrecompiledAbout(
    {
        Customer: "customer_id",
        UtilityAccount: "account_id",
        Property: "account__service_property_id",
    },
    lambda path, key: (
        RebateApplication.objects.select_related("program", "account")
        .filter(**{path: key})
        .order_by("-submitted_at", "-pk")
    ),
)


# --- The public site's words for a program (portal ProgramPage) ------------

_CLASS_WORDS = {"residential": "homes", "commercial": "businesses"}


def _and_list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def eligibility_summary(program: Program) -> list[str]:
    """Who the program is for, in plain sentences, read from the program's own
    criteria (the same ProgramCriteria the eligibility check evaluates)."""
    criteria = criteria_for(program)
    classes = sorted(criteria.customer_classes)
    lines = [
        "Open to "
        + _and_list([_CLASS_WORDS.get(c, c) for c in classes] or ["customers"])
        + " served by the utility."
    ]
    if criteria.required_services:
        lines.append(
            "Your account must have "
            + _and_list(sorted(criteria.required_services))
            + " service."
        )
    if criteria.senior_or_disabled and criteria.minimum_age:
        lines.append(
            f"You must be {criteria.minimum_age} or older, or have a verified "
            "disability."
        )
    else:
        if criteria.minimum_age:
            lines.append(f"You must be {criteria.minimum_age} or older.")
        if criteria.requires_disability:
            lines.append("You must have a verified disability.")
    if criteria.income_limit_percent is not None:
        percent = f"{criteria.income_limit_percent.normalize():f}"
        lines.append(
            f"Household income at or below {percent}% of the federal poverty "
            "guideline for your household size."
        )
    if criteria.requires_good_standing:
        lines.append(
            "Your utility account must be in good standing (no past-due balance)."
        )
    if program.account_manager_required:
        lines.append("For key accounts that have an account manager at the utility.")
    return lines


@dataclass(frozen=True)
class MeasureTerms:
    """One row of a program's public incentive table."""

    name: str
    pays: str
    limit: str


def _quantity_text(value: Decimal) -> str:
    return f"{plain_quantity(value):,f}"


def measure_terms(measure: Measure) -> MeasureTerms:
    """What the measure pays and how often, in words: "$50.00 per window",
    "30% of the invoiced cost, up to $1,500.00", "One per premise"."""
    rule = incentive_rule(measure)
    if rule.kind == rules.FIXED and rule.amount is not None:
        pays = f"{format_money(rule.amount)} per {measure.unit}"
    elif rule.kind == rules.PER_UNIT and rule.amount is not None:
        amount = rule.amount
        # A fractional-cent rate ($0.125) shows all its digits.
        rate = (
            format_money(amount)
            if amount == to_cents(amount)
            else f"${amount.normalize():f}"
        )
        pays = f"{rate} per {measure.unit}"
    else:
        percent = f"{(rule.percent or Decimal(0)).normalize():f}"
        pays = f"{percent}% of the invoiced cost"
        if rule.cap is not None:
            pays += f", up to {format_money(rule.cap)}"
    if measure.limit_kind == rules.ONE_PER_PREMISE:
        limit = "One per premise"
    elif measure.limit_kind == rules.LIFETIME_LIMIT and measure.lifetime_max:
        limit = (
            f"Up to {_quantity_text(measure.lifetime_max)} {measure.unit} "
            "per premise in total"
        )
    else:
        limit = "No limit"
    return MeasureTerms(name=measure.name, pays=pays, limit=limit)


def incentive_table(program: Program) -> list[MeasureTerms]:
    """The program's measures as its public page shows them, in code order;
    a measure whose stored rule is unreadable is left out rather than guessed."""
    rows = []
    for measure in program.measures.order_by("code"):
        try:
            rows.append(measure_terms(measure))
        except ValueError:
            continue
    return rows
