"""A rebate from entry to check in a real browser, as the personas: staff
enter a rebate application on the back office's form and start its review;
the supervisor finds it (and two more) on his dashboard's queue of rebates
ready for approval and approves each from the queue's row; staff then pay
the three in one batch from "Pay approved rebates" (review, then confirm)
and download the batch's payment register."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from djmoney.money import Money
from openpyxl import load_workbook

from programs import services as svc
from programs.models import RebateApplication, RebateCheckBatch
from programs.services import LineRequest
from tests.factories import MeasureFactory, ProgramFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def two_in_review(staff_alice):
    program = ProgramFactory(code="REE", budget=Money("1000.00", "USD"))
    measure = MeasureFactory(program=program, code="TANKLESS", amount=Decimal("300"))
    apps = []
    for _ in range(2):
        app = svc.rebate_application_create(
            actor=staff_alice,
            program=program,
            account=UtilityAccountFactory(),
            lines=[LineRequest(measure, Decimal("1"))],
            install_date=date(2026, 3, 1),
        )
        apps.append(svc.rebate_start_review(actor=staff_alice, application=app))
    return apps


def test_staff_enter_a_rebate_the_supervisor_approves_from_the_queue_and_staff_pay_three(
    page_for, staff_alice, supervisor_bob, two_in_review
):
    program = two_in_review[0].program
    measure = program.measures.get()
    account = UtilityAccountFactory(number="400123")

    # Staff enter the application on the back office's form ...
    alice = page_for(staff_alice)
    alice.goto("/admin/rebate_applications/new/")
    form = alice.page.locator("#main form")
    form.get_by_label("Program").select_option(value=str(program.pk))
    form.get_by_label("Account").select_option(value=str(account.pk))
    form.get_by_label("Measure").select_option(value=str(measure.pk))
    form.get_by_label("Quantity").fill("1")
    form.get_by_label("Install date").fill("2026-03-01")
    with alice.page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    entered = RebateApplication.objects.get(account=account)
    assert entered.prepared_by == staff_alice
    assert entered.requested_amount.amount == Decimal("300.00")

    # ... and start its review from its page.
    alice.goto(f"/admin/rebate_applications/inspect/{entered.pk}/")
    alice.page.get_by_role("button", name="Start review", exact=True).click()
    alice.page.wait_for_load_state("networkidle")
    assert alice.page.get_by_text(f"{entered.reference}: review started.").is_visible()

    # The supervisor approves each from his dashboard's queue (the amount
    # requested), the one staff entered first.
    apps = [entered, *two_in_review]
    refs = [app.reference for app in apps]
    bob = page_for(supervisor_bob)
    for app, ref in zip(apps, refs, strict=True):
        bob.goto("/admin/")
        row = bob.page.locator("#rebate-approvals-section tr", has_text=ref)
        assert "$300.00" in row.inner_text()
        with bob.page.expect_navigation():
            row.get_by_role("link", name=ref).click()
        assert bob.page.url.endswith(f"/admin/rebate_applications/inspect/{app.pk}/")
        bob.page.get_by_role("button", name="Approve", exact=True).click()
        bob.page.wait_for_load_state("networkidle")
        assert bob.page.get_by_text(
            f"{ref}: approved; $300.00 reserved from REE's budget."
        ).is_visible()
    bob.goto("/admin/")
    assert "No rebate application is ready for your approval." in (
        bob.page.inner_text("#rebate-approvals-section")
    )
    assert set(RebateApplication.objects.values_list("status", flat=True)) == {
        "approved"
    }
    assert bob.problems == [], "\n".join(bob.problems)
    refs = sorted(refs)

    # Staff find the page in the Programs menu.
    alice.goto("/admin/")
    alice.page.get_by_role("button", name="Programs").click()
    alice.page.get_by_role("link", name="Pay approved rebates").click()
    alice.page.wait_for_load_state("networkidle")
    assert alice.page.url.endswith("/admin/programs-actions/pay-by-check/")

    for ref in refs:
        alice.page.get_by_label(f"Pay {ref}").check()
    alice.page.get_by_label("First check number").fill("7001")
    alice.page.get_by_label("Paid on").fill("2026-04-02")
    alice.page.get_by_role("button", name="Review the checks").click()
    alice.page.wait_for_load_state("networkidle")

    # The review says what will happen; nothing is paid yet.
    review = alice.page.locator("main")
    assert "3 checks, $900.00 in total, dated April 2, 2026." in review.inner_text()
    assert "Check numbers 7001 to 7003" in review.inner_text()
    assert not RebateCheckBatch.objects.exists()

    alice.page.get_by_role("button", name="Issue 3 checks").click()
    alice.page.wait_for_load_state("networkidle")
    batch = RebateCheckBatch.objects.get()
    assert sorted(batch.payments.values_list("check_number", flat=True)) == [
        "7001",
        "7002",
        "7003",
    ]
    assert alice.page.get_by_text(
        f"Check batch {batch.pk}: 3 checks issued, $900.00 in total."
    ).is_visible()

    # The register: the link downloads it, and it answers as XLSX.
    link = alice.page.get_by_role("link", name="Download the payment register (XLSX)")
    with alice.page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == f"payment-register-{batch.pk}.xlsx"
    saved = Path(download.path()).read_bytes()  # saved without a suffix
    rows = list(load_workbook(io.BytesIO(saved)).active.values)
    header = rows.index(next(r for r in rows if r[0] == "Check number"))
    assert [row[0] for row in rows[header + 1 : -1]] == ["7001", "7002", "7003"]

    answer = alice.page.context.request.get(alice.base_url + link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == XLSX
    assert len(list(load_workbook(io.BytesIO(answer.body())).active.values)) == len(
        rows
    )
    assert alice.problems == [], "\n".join(alice.problems)
