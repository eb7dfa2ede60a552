"""Demo loans: applications in several states and a few active loans with
payment histories, all made through the services (idempotent by key), then
the day's scheduled work (the nightly aging run as of today, as the system
user), so a loan in arrears carries the fees the job would have charged it
and its status (delinquent, defaulted) agrees with its days past due."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from loans import schedule
from loans.models import AgingRun, AgingTrigger, Loan, LoanApplication, LoanProduct
from loans.services import applications as workflow
from loans.services.aging import aging_run
from loans.services.booking import loan_book
from loans.services.payments import payment_post, payment_reverse
from portal.audit import get_system_user
from portal.models import UtilityAccount


def _months_ago(months: int):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return today.replace(year=index // 12, month=index % 12 + 1, day=1)


def load_demo(users: dict[str, Any]) -> None:
    alice, bob = users["alice"], users["bob"]
    _applications(alice, bob)
    _loans(bob)
    _scheduled_work()


def _applications(alice: Any, bob: Any) -> None:
    specs = [
        (
            "100001",
            "EE",
            "4500.00",
            48,
            "Attic insulation to R-30 and air sealing",
            ["submit", "start_review"],
        ),
        (
            "100003",
            "EE-SOLAR",
            "15000.00",
            120,
            "6 kW rooftop solar PV system",
            ["submit"],
        ),
        ("100004", "WS", "3200.00", 36, "Sewer lateral connection", []),
    ]
    for number, code, amount, term, purpose, steps in specs:
        account = UtilityAccount.objects.get(number=number)
        if LoanApplication.objects.filter(account=account, purpose=purpose).exists():
            continue
        application = workflow.application_create(
            actor=alice,
            customer=account.customer,
            account=account,
            product=LoanProduct.objects.get(code=code),
            requested_amount=amount,
            requested_term_months=term,
            purpose=purpose,
            parcel=account.service_property,
            contractor_name="Riverton Home Energy",
        )
        for step in steps:
            application = getattr(workflow, f"application_{step}")(
                actor=alice, application=application
            )


def _scheduled_work() -> None:
    """What the nightly job would have done by today: late fees, statuses,
    the run's record. Once a day: a re-run the same day would change
    nothing (loans/services/aging.py), so it is not recorded again."""
    today = timezone.localdate()
    if not AgingRun.objects.filter(as_of=today).exists():
        aging_run(as_of=today, actor=get_system_user(), trigger=AgingTrigger.DEMO)


def _loans(actor: Any) -> None:
    specs = [
        ("EE-DEMO-0001", "100002", "EE", "6000.00", "5.00", 60, 14, "on_time"),
        ("WS-DEMO-0001", "100005", "WS", "3000.00", "3.00", 36, 8, "late"),
        ("ZI-DEMO-0001", "100006", "ZI", "2400.00", "0.00", 24, 6, "nsf"),
    ]
    for number, account_no, code, principal, rate, term, age, pattern in specs:
        if Loan.objects.filter(number=number).exists():
            continue
        account = UtilityAccount.objects.get(number=account_no)
        disbursed = _months_ago(age) + timedelta(days=9)
        loan = loan_book(
            actor=actor,
            number=number,
            product_code=code,
            customer_name=account.customer.display_name,
            customer_email=account.customer.email,
            account_number=account_no,
            principal=Decimal(principal),
            annual_rate=Decimal(rate),
            term_months=term,
            first_due_date=_months_ago(age - 1) + timedelta(days=9),
            disbursed_on=disbursed,
        )
        paid_months = age - 1 if pattern != "late" else age - 4
        for k in range(1, paid_months + 1):
            due = schedule.due_date(loan.first_due_date, k)
            if due > timezone.localdate():
                break
            posted = payment_post(
                actor=actor,
                loan=loan,
                amount=loan.installment_amount,
                received_on=due,
                method="check",
                reference=f"{number}-{k:03d}",
            )
            if pattern == "nsf" and k == 3:
                payment_reverse(
                    actor=actor,
                    payment=posted.payment,
                    reason="nsf",
                    note="Returned by the bank (demo)",
                    reversed_on=due + timedelta(days=5),
                )
