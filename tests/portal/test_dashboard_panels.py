"""The back office's home page shows each role its own panels (each app
contributes its panels through its wagtail_hooks.py): the supervisor what
waits for their approval, program staff their applications by step, the
information that came back and the inspections due, the cashier today's
payments and batches, and every staff role the delinquent loans by DPD
bucket and the program budgets. Rows are the literal words, amounts and
links a person reads; it is June 15, 2026, 2 p.m. (UTC) throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup
from djmoney.money import Money

from loans.services.batch import payment_batch_post
from loans.services.booking import loan_book
from loans.services.payments import payment_post, payment_reverse
from portal import roles
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    ProgramFactory,
    RebateApplicationFactory,
    RebatePaymentFactory,
    UserFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)

SUPERVISOR_PANELS = ["loan-approvals", "rebate-approvals"]
STAFF_PANELS = [
    "my-loan-applications",
    "my-rebate-applications",
    "loan-information-received",
    "rebate-information-received",
    "inspections-due",
]
CASHIER_PANELS = ["payments-today"]
EVERY_STAFF_ROLE = ["delinquency", "program-budgets"]


@pytest.fixture(autouse=True)
def june_15():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int = 10, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel(page, name):
    return page.find(id=f"{name}-section")


def words(cell) -> str:
    return " ".join(cell.get_text(" ", strip=True).split())


def rows(section, part="tbody"):
    return [
        [words(cell) for cell in tr.find_all(["th", "td"])]
        for body in section.find_all(part)
        for tr in body.find_all("tr")
    ]


def links(section) -> dict[str, str]:
    return {words(a): a["href"] for a in section.find_all("a", href=True)}


def panels_shown(page) -> set[str]:
    every = SUPERVISOR_PANELS + STAFF_PANELS + CASHIER_PANELS + EVERY_STAFF_ROLE
    return {name for name in every if panel(page, name) is not None}


def person(first, last, **kwargs):
    customer = CustomerFactory(first_name=first, last_name=last)
    return customer, UtilityAccountFactory(customer=customer, **kwargs)


def loan_application(first, last, amount, status, prepared_by, submitted, **extra):
    customer, account = person(first, last)
    return LoanApplicationFactory(
        customer=customer,
        account=account,
        requested_amount=Money(amount, "USD"),
        status=status,
        prepared_by=prepared_by,
        submitted_at=submitted,
        **extra,
    )


def rebate(first, last, program, amount, status, prepared_by, submitted, **extra):
    customer, account = person(first, last, line1=f"{len(last)} {last} Way")
    return RebateApplicationFactory(
        program=program,
        customer=customer,
        account=account,
        requested_amount=Money(amount, "USD"),
        status=status,
        prepared_by=prepared_by,
        submitted_at=submitted,
        **extra,
    )


# --------------------------------------------------------------------------
# Who sees which panels
# --------------------------------------------------------------------------


def test_each_role_sees_the_panels_that_concern_it(
    client, staff_alice, supervisor_bob, cashier_casey, auditor_audrey
):
    assert panels_shown(dashboard(client, supervisor_bob)) == set(
        SUPERVISOR_PANELS + EVERY_STAFF_ROLE
    )
    assert panels_shown(dashboard(client, staff_alice)) == set(
        STAFF_PANELS + EVERY_STAFF_ROLE
    )
    assert panels_shown(dashboard(client, cashier_casey)) == set(
        CASHIER_PANELS + EVERY_STAFF_ROLE
    )
    assert panels_shown(dashboard(client, auditor_audrey)) == set(EVERY_STAFF_ROLE)


def test_a_superuser_sees_every_panel(client, admin_user):
    assert panels_shown(dashboard(client, admin_user)) == set(
        SUPERVISOR_PANELS + STAFF_PANELS + CASHIER_PANELS + EVERY_STAFF_ROLE
    )


def test_a_content_editor_sees_none_of_the_office_panels(client):
    eddie = UserFactory(username="eddie")
    eddie.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    assert panels_shown(dashboard(client, eddie)) == set()


# --------------------------------------------------------------------------
# Supervisor: waiting for my approval
# --------------------------------------------------------------------------


def test_the_supervisor_sees_loan_applications_waiting_for_approval(
    client, staff_alice, supervisor_bob
):
    first = loan_application(
        "Ruth", "Abernathy", "4000.00", "in_review", staff_alice, at(5)
    )
    second = loan_application(
        "Henry", "Liu", "8500.00", "in_review", staff_alice, at(14)
    )
    loan_application("Maria", "Delgado", "3000.00", "in_review", supervisor_bob, at(1))
    loan_application("Walter", "Okafor", "2000.00", "submitted", staff_alice, at(2))

    section = panel(dashboard(client, supervisor_bob), "loan-approvals")

    assert "Loan applications waiting for your approval" in words(section)
    assert rows(section) == [
        [
            first.reference,
            "Ruth Abernathy",
            "Energy-efficiency loan",
            "$4,000.00",
            "10 days",
        ],
        [second.reference, "Henry Liu", "Energy-efficiency loan", "$8,500.00", "1 day"],
    ]
    assert rows(section, "tfoot") == [["2 waiting", "", "", "$12,500.00", ""]]
    found = links(section)
    assert found[first.reference] == reverse(
        "loan_applications:inspect", args=[first.pk]
    )
    assert found["Ruth Abernathy"] == reverse(
        "customers:inspect", args=[first.customer_id]
    )


def test_the_supervisor_sees_rebates_ready_for_approval_not_their_own(
    client, staff_alice, supervisor_bob
):
    program = ProgramFactory(code="REE", name="Residential Energy Efficiency")
    in_review = rebate(
        "Ruth", "Abernathy", program, "300.00", "in_review", staff_alice, at(1)
    )
    inspected = rebate(
        "Henry",
        "Liu",
        program,
        "450.00",
        "inspected",
        staff_alice,
        at(10),
        inspection_passed=True,
    )
    rebate(
        "Failed",
        "Inspection",
        program,
        "999.00",
        "inspected",
        staff_alice,
        at(2),
        inspection_passed=False,
    )
    rebate("Bobs", "Own", program, "100.00", "in_review", supervisor_bob, at(3))
    rebate("Just", "Submitted", program, "200.00", "submitted", staff_alice, at(4))

    section = panel(dashboard(client, supervisor_bob), "rebate-approvals")

    assert rows(section) == [
        [
            in_review.reference,
            "Ruth Abernathy",
            "Residential Energy Efficiency",
            "$300.00",
            "In review",
            "14 days",
        ],
        [
            inspected.reference,
            "Henry Liu",
            "Residential Energy Efficiency",
            "$450.00",
            "Inspected",
            "5 days",
        ],
    ]
    assert rows(section, "tfoot") == [["2 ready", "", "", "$750.00", "", ""]]
    assert links(section)[in_review.reference] == reverse(
        "rebate_applications:inspect", args=[in_review.pk]
    )


def test_nothing_waiting_says_so(client, supervisor_bob):
    page = dashboard(client, supervisor_bob)
    assert "No loan application is waiting for your approval." in words(
        panel(page, "loan-approvals")
    )
    assert "No rebate application is ready for your approval." in words(
        panel(page, "rebate-approvals")
    )


# --------------------------------------------------------------------------
# Program staff: my applications by step, information received, inspections
# --------------------------------------------------------------------------


def test_staff_see_their_open_loan_applications_by_step(
    client, staff_alice, supervisor_bob
):
    draft = loan_application(
        "Dana", "Draft", "1000.00", "draft", staff_alice, None, created_at=at(13)
    )
    submitted = loan_application(
        "Sam", "Submitted", "2000.00", "submitted", staff_alice, at(10)
    )
    # Prepared by bob, but alice is its officer: hers too.
    reviewed = loan_application(
        "Rita",
        "Review",
        "3000.00",
        "in_review",
        supervisor_bob,
        at(1),
        officer=staff_alice,
    )
    waiting = loan_application(
        "Nina", "Needs", "4000.00", "needs_information", staff_alice, at(16, month=5)
    )
    loan_application("Al", "Approved", "5000.00", "approved", staff_alice, at(2))
    loan_application("Bo", "Bobs", "6000.00", "in_review", supervisor_bob, at(3))

    section = panel(dashboard(client, staff_alice), "my-loan-applications")

    assert rows(section) == [
        ["Draft (1)"],
        [draft.reference, "Dana Draft", "$1,000.00", "2 days"],
        ["Submitted (1)"],
        [submitted.reference, "Sam Submitted", "$2,000.00", "5 days"],
        ["In review (1)"],
        [reviewed.reference, "Rita Review", "$3,000.00", "14 days"],
        ["Needs information (1)"],
        [waiting.reference, "Nina Needs", "$4,000.00", "30 days"],
    ]
    assert links(section)[waiting.reference] == reverse(
        "loan_applications:inspect", args=[waiting.pk]
    )


def test_staff_see_their_open_rebate_applications_by_step(
    client, staff_alice, supervisor_bob
):
    program = ProgramFactory(code="GIP", name="Gas Incentive Program")
    submitted = rebate(
        "Sam", "Sub", program, "300.00", "submitted", staff_alice, at(12)
    )
    scheduled = rebate(
        "Ivy", "Insp", program, "500.00", "inspection_scheduled", staff_alice, at(1)
    )
    approved = rebate(
        "Abe",
        "Appr",
        program,
        "800.00",
        "approved",
        staff_alice,
        at(5),
        approved_amount=Money("750.00", "USD"),
    )
    rebate("Pat", "Paid", program, "300.00", "paid", staff_alice, at(1))
    rebate("Bo", "Bobs", program, "300.00", "submitted", supervisor_bob, at(1))

    section = panel(dashboard(client, staff_alice), "my-rebate-applications")

    assert rows(section) == [
        ["Submitted (1)"],
        [submitted.reference, "Sam Sub", "Gas Incentive Program", "$300.00", "3 days"],
        ["Inspection scheduled (1)"],
        [
            scheduled.reference,
            "Ivy Insp",
            "Gas Incentive Program",
            "$500.00",
            "14 days",
        ],
        ["Approved (budget reserved) (1)"],
        [approved.reference, "Abe Appr", "Gas Incentive Program", "$750.00", "10 days"],
    ]


def test_staff_see_applications_back_in_review_after_information(
    client, staff_alice, supervisor_bob
):
    back = loan_application(
        "Ben",
        "Back",
        "2500.00",
        "in_review",
        supervisor_bob,
        at(1),
        information_requested_at=at(2),
        officer=supervisor_bob,
    )
    loan_application("Never", "Asked", "2500.00", "in_review", staff_alice, at(1))
    loan_application(
        "Still",
        "Waiting",
        "2500.00",
        "needs_information",
        staff_alice,
        at(1),
        information_requested_at=at(3),
    )
    program = ProgramFactory(code="REE", name="Residential Energy Efficiency")
    came_back = rebate(
        "Cam",
        "Back",
        program,
        "300.00",
        "in_review",
        supervisor_bob,
        at(1),
        information_requested_at=at(3),
        information_provided_at=at(12),
    )
    rebate("Not", "Yet", program, "300.00", "needs_information", staff_alice, at(1))

    page = dashboard(client, staff_alice)

    loans = panel(page, "loan-information-received")
    assert rows(loans) == [
        [back.reference, "Ben Back", "$2,500.00", "June 2, 2026", "Bob"]
    ]
    assert links(loans)[back.reference] == reverse(
        "loan_applications:inspect", args=[back.pk]
    )
    rebates = panel(page, "rebate-information-received")
    assert rows(rebates) == [
        [
            came_back.reference,
            "Cam Back",
            "Residential Energy Efficiency",
            "$300.00",
            "June 12, 2026",
        ]
    ]


def test_staff_see_inspections_due_this_week_and_overdue(client, staff_alice):
    program = ProgramFactory(code="GIP", name="Gas Incentive Program")

    def scheduled(last, day, status="inspection_scheduled"):
        return rebate(
            "Ann",
            last,
            program,
            "300.00",
            status,
            staff_alice,
            at(1),
            inspection_scheduled_for=date(2026, 6, day),
        )

    overdue = scheduled("Overdue", 12)
    today = scheduled("Today", 15)
    soon = scheduled("Soon", 20)
    scheduled("Later", 30)
    scheduled("Done", 10, status="inspected")

    section = panel(dashboard(client, staff_alice), "inspections-due")

    assert rows(section) == [
        [
            overdue.reference,
            "Ann Overdue",
            "7 Overdue Way",
            "June 12, 2026",
            "3 days overdue",
        ],
        [today.reference, "Ann Today", "5 Today Way", "June 15, 2026", "today"],
        [soon.reference, "Ann Soon", "4 Soon Way", "June 20, 2026", "in 5 days"],
    ]
    assert links(section)["7 Overdue Way"] == reverse(
        "accounts:inspect", args=[overdue.account_id]
    )


# --------------------------------------------------------------------------
# Cashier: today's payments and batches
# --------------------------------------------------------------------------


@pytest.fixture
def booked(db, supervisor_bob):
    """Zero-interest loans of $100.00 a month (ZI), booked by bob."""

    accounts = iter(range(800001, 800100))

    def book(number, *, principal="2400.00", months=24, first_due, disbursed, email):
        return loan_book(
            actor=supervisor_bob,
            number=number,
            product_code="ZI",
            customer_name=f"Borrower {number}",
            customer_email=email,
            account_number=str(next(accounts)),
            principal=Decimal(principal),
            annual_rate=Decimal("0.00"),
            term_months=months,
            first_due_date=first_due,
            disbursed_on=disbursed,
        )

    return book


def test_the_cashier_sees_todays_payments_by_method_and_batches(
    client, cashier_casey, supervisor_bob, booked
):
    cashier_casey.first_name, cashier_casey.last_name = "Casey", "Cashier"
    cashier_casey.save()
    loan = booked(
        "ZI-0001",
        first_due=date(2026, 2, 1),
        disbursed=date(2026, 1, 1),
        email="one@example.org",
    )

    def post(amount, method, reference, day=date(2026, 6, 15)):
        return payment_post(
            actor=cashier_casey,
            loan=loan,
            amount=Decimal(amount),
            received_on=day,
            method=method,
            reference=reference,
        ).payment

    with time_machine.travel(at(14, 16), tick=False):
        post("100.00", "card", "YESTERDAY-1", date(2026, 6, 14))
    with time_machine.travel(at(15, 9), tick=False):
        post("100.00", "check", "CHK-1")
        post("100.00", "ach", "ACH-1")
        cash = post("50.00", "cash", "CASH-1")
        bounced = post("25.00", "check", "CHK-2")
        payment_reverse(actor=cashier_casey, payment=bounced, reason="nsf")
    with time_machine.travel(at(15, 11), tick=False):
        result = payment_batch_post(
            actor=cashier_casey,
            file_name="lockbox-0615.csv",
            content=(
                b"loan_number,amount,received_on,method,reference\n"
                b"ZI-0001,100.00,2026-06-15,check,LBX-1\n"
                b"ZI-0001,200.00,2026-06-15,ach,LBX-2\n"
            ),
        )

    section = panel(dashboard(client, cashier_casey), "payments-today")
    text = words(section)

    assert (
        "Posted on June 15, 2026: 5 payments totalling $550.00 "
        "(reversed payments are left out of the totals)." in text
    )
    by_method, latest, batches = section.find_all("table")
    assert rows(by_method) == [
        ["Cash", "1", "$50.00"],
        ["Check", "2", "$200.00"],
        ["ACH", "2", "$300.00"],
    ]
    assert rows(by_method, "tfoot") == [["All methods", "5", "$550.00"]]
    assert [row[0] for row in rows(latest)] == [
        "LBX-2",
        "LBX-1",
        "CHK-2",
        "CASH-1",
        "ACH-1",
        "CHK-1",
    ]
    assert rows(latest)[2] == [
        "CHK-2",
        "ZI-0001",
        "Borrower ZI-0001",
        "Check",
        "$25.00",
        "Reversed",
    ]
    assert rows(batches) == [
        [
            "lockbox-0615.csv",
            "2",
            "$300.00",
            "Casey Cashier",
            "June 15, 2026, 11:00 a.m.",
        ]
    ]
    found = links(section)
    assert found["CASH-1"] == reverse("loan_payments:inspect", args=[cash.pk])
    assert found["lockbox-0615.csv"] == reverse(
        "payment_batches:inspect", args=[result.batch.pk]
    )
    assert found["ZI-0001"] == reverse("loans:inspect", args=[loan.pk])


def test_a_quiet_day_for_the_cashier(client, cashier_casey):
    section = panel(dashboard(client, cashier_casey), "payments-today")
    text = words(section)
    assert "Posted on June 15, 2026: 0 payments totalling $0.00" in text
    assert "No payments posted today." in text
    assert "No batch file posted today." in text


# --------------------------------------------------------------------------
# Every staff role: delinquency and program budgets
# --------------------------------------------------------------------------


def test_every_staff_role_sees_delinquent_loans_by_bucket(
    client, staff_alice, cashier_casey, supervisor_bob, booked
):
    def book(number, first_due, **kwargs):
        month_before = date(first_due.year, first_due.month - 1, first_due.day)
        return booked(
            number,
            first_due=first_due,
            disbursed=month_before,
            email=f"{number.lower()}@example.org",
            **kwargs,
        )

    book("ZI-0031", date(2026, 5, 1), principal="1200.00", months=12)  # 45 days
    book("ZI-0014", date(2026, 6, 1))  # 14 days, $2,400.00
    partly = book("ZI-0015", date(2026, 5, 1), principal="1200.00", months=12)
    payment_post(  # the first installment paid: 14 days past due on June 1
        actor=supervisor_bob,
        loan=partly,
        amount=Decimal("100.00"),
        received_on=date(2026, 5, 1),
        method="check",
        reference="PARTLY-1",
    )
    book("ZI-0165", date(2026, 2, 1), principal="1200.00", months=12)  # 134 days
    book("ZI-CUR", date(2026, 7, 1), principal="600.00", months=6)  # current

    for user in (staff_alice, cashier_casey, supervisor_bob):
        section = panel(dashboard(client, user), "delinquency")
        assert rows(section) == [
            ["1-30 days", "2", "$3,500.00"],
            ["31-60 days", "1", "$1,200.00"],
            ["61-90 days", "0", "$0.00"],
            ["91-120 days", "0", "$0.00"],
            ["121+ days", "1", "$1,200.00"],
        ]
        assert rows(section, "tfoot") == [["Past due", "4", "$5,900.00"]]
        assert "Active and defaulted loans, as of June 15, 2026." in words(section)
        assert links(section)["31-60 days"] == reverse("loans:index") + (
            "?dpd_bucket=31-60"
        )


def test_the_dpd_links_list_the_loans_counted(client, staff_alice, booked):
    booked(
        "ZI-0031",
        first_due=date(2026, 5, 1),
        disbursed=date(2026, 4, 1),
        email="a@example.org",
    )
    booked(
        "ZI-0014",
        first_due=date(2026, 6, 1),
        disbursed=date(2026, 5, 1),
        email="b@example.org",
    )
    section = panel(dashboard(client, staff_alice), "delinquency")
    listed = client.get(links(section)["31-60 days"]).content.decode()
    assert "ZI-0031" in listed and "ZI-0014" not in listed


def test_every_staff_role_sees_the_program_budgets(
    client, staff_alice, cashier_casey, auditor_audrey
):
    ree = ProgramFactory(
        code="REE",
        name="Residential Energy Efficiency",
        budget=Money("10000.00", "USD"),
    )
    gip = ProgramFactory(
        code="GIP", name="Gas Incentive Program", budget=Money("5000.00", "USD")
    )
    ProgramFactory(code="OLD", name="Retired Program", is_active=False)
    RebateApplicationFactory(
        program=ree, status="approved", approved_amount=Money("1500.00", "USD")
    )
    RebatePaymentFactory(
        application__program=ree, amount=Decimal("300.00"), status="issued"
    )
    RebatePaymentFactory(
        application__program=ree, amount=Decimal("999.00"), status="void"
    )

    for user in (staff_alice, cashier_casey, auditor_audrey):
        section = panel(dashboard(client, user), "program-budgets")
        assert rows(section) == [
            [
                "Gas Incentive Program (FY2026)",
                "$5,000.00",
                "$0.00",
                "$0.00",
                "$5,000.00",
            ],
            [
                "Residential Energy Efficiency (FY2026)",
                "$10,000.00",
                "$1,500.00",
                "$300.00",
                "$8,200.00",
            ],
        ]
        assert rows(section, "tfoot") == [
            [
                "All active programs",
                "$15,000.00",
                "$1,500.00",
                "$300.00",
                "$13,200.00",
            ]
        ]
        assert links(section)["Gas Incentive Program (FY2026)"] == reverse(
            "programs:inspect", args=[gip.pk]
        )
