"""Approved rebates are paid by numbered checks (with a payment register) or
as bill credits (with an export for the billing system)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from programs import services as svc
from programs.exports import payment_register_xlsx, safe_text
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def approved(app, staff, supervisor):
    app = svc.rebate_start_review(actor=staff, application=app)
    return svc.rebate_approve(actor=supervisor, application=app)


def test_a_check_batch_numbers_checks_and_writes_the_register(
    apply, staff_alice, supervisor_bob
):
    evil = UtilityAccountFactory(
        customer=CustomerFactory(first_name="=HYPERLINK(1)", last_name="X")
    )
    apps = [
        approved(apply(), staff_alice, supervisor_bob),
        approved(apply(account=evil), staff_alice, supervisor_bob),
    ]
    batch = svc.rebate_checks_issue(
        actor=staff_alice,
        applications=apps,
        first_check_number=7001,
        paid_on=date(2026, 4, 1),
    )
    assert sorted(p.check_number for p in batch.payments.all()) == ["7001", "7002"]
    for app in apps:
        app.refresh_from_db()
        assert app.status == "paid"
    sheet = load_workbook(io.BytesIO(payment_register_xlsx(batch))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [r[0] for r in rows].index("Check number")
    checks = rows[header + 1 : -1]  # the last row is the totals row
    assert [r[0] for r in checks] == ["7001", "7002"]
    assert checks[1][2] == "'=HYPERLINK(1) X"  # customer text is never a formula
    assert sum(r[8] for r in checks) == 600


def test_bill_credits_export_one_row_per_credit(apply, staff_alice, supervisor_bob):
    app = approved(apply(), staff_alice, supervisor_bob)
    content = svc.rebate_bill_credits_export(
        actor=staff_alice, applications=[app], credit_date=date(2026, 4, 1)
    )
    assert content.splitlines() == [
        "account_number,amount,credit_date,reference,description",
        f"{app.account.number},300.00,2026-04-01,RA-{app.pk:06d},REE rebate",
    ]
    app.refresh_from_db()
    assert app.status == "paid"
    assert app.payments.get().method == "bill_credit"


def test_only_approved_applications_are_paid(apply, staff_alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="can't be paid"):
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[apply()],
            first_check_number=1,
            paid_on=date(2026, 4, 1),
        )


def test_formula_escaping_covers_each_leading_character():
    assert [safe_text(v) for v in ["=1", "+1", "-1", "@x", "ok", 5]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@x",
        "ok",
        5,
    ]
