"""Approval commits money, so it judges eligibility again, on the records as
they are at approval (under the program's lock): an application that was
eligible when entered is refused if the account or customer no longer
qualifies. Age is judged on the day the application was submitted."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from djmoney.money import Money

from portal.services import customer_update, utility_account_update
from programs import services as svc
from programs.selectors import budget_position
from tests.factories import (
    CustomerFactory,
    MeasureFactory,
    ProgramFactory,
    UtilityAccountFactory,
    guideline_2026,
)

pytestmark = pytest.mark.django_db


def refused_approval(app, approver) -> dict:
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(actor=approver, application=app)
    app.refresh_from_db()
    assert (app.status, app.approved_amount) == ("in_review", None)
    return caught.value.message_dict


def test_an_account_changed_to_commercial_after_entry_is_refused_at_approval(
    apply, program, staff_alice, supervisor_bob
):
    account = UtilityAccountFactory()
    app = svc.rebate_start_review(actor=staff_alice, application=apply(account=account))
    utility_account_update(
        actor=staff_alice,
        account=account,
        reason="Reclassified: the premises are a shop",
        customer_class="commercial",
    )
    assert refused_approval(app, supervisor_bob) == {
        "account": [
            "Customer class commercial is not served by this program "
            "(serves: residential)."
        ]
    }
    assert budget_position(program).committed == Decimal("0.00")


def test_an_account_closed_after_entry_is_refused_at_approval(
    apply, staff_alice, supervisor_bob
):
    account = UtilityAccountFactory()
    app = svc.rebate_start_review(actor=staff_alice, application=apply(account=account))
    utility_account_update(
        actor=staff_alice, account=account, reason="Moved out", status="closed"
    )
    assert refused_approval(app, supervisor_bob) == {
        "account": [
            "Account is not in good standing (it has a delinquent balance or "
            "was written off as bad debt)."
        ]
    }


def test_a_household_income_raised_after_entry_is_refused_at_approval(
    staff_alice, supervisor_bob
):
    guideline_2026()
    program = ProgramFactory(code="FA", income_limit_percent=Decimal("200.00"))
    measure = MeasureFactory(program=program, code="WEATHERIZE")
    customer = CustomerFactory(
        household_size=3, household_income=Money("40000.00", "USD")
    )
    app = svc.rebate_application_create(
        actor=staff_alice,
        program=program,
        account=UtilityAccountFactory(customer=customer),
        lines=[svc.LineRequest(measure, Decimal("1"))],
    )
    app = svc.rebate_start_review(actor=staff_alice, application=app)
    customer_update(
        actor=staff_alice,
        customer=customer,
        reason="Income verified from the tax return",
        household_income=Decimal("61000.00"),
    )
    assert refused_approval(app, supervisor_bob) == {
        "account": [
            "Household income $61,000.00 is above the limit of $50,000.00 "
            "(200% of the 2026 guideline for a household of 3)."
        ]
    }


def test_age_is_judged_on_the_day_the_application_was_submitted(
    staff_alice, supervisor_bob
):
    program = ProgramFactory(code="SEN", minimum_age=60)
    measure = MeasureFactory(program=program, code="WEATHERIZE")
    customer = CustomerFactory(date_of_birth=date(1966, 3, 1))
    with time_machine.travel(date(2026, 3, 2), tick=False):
        app = svc.rebate_application_create(
            actor=staff_alice,
            program=program,
            account=UtilityAccountFactory(customer=customer),
            lines=[svc.LineRequest(measure, Decimal("1"))],
        )
        app = svc.rebate_start_review(actor=staff_alice, application=app)
        # The birth date is corrected: the customer was 59 when they applied.
        customer_update(
            actor=staff_alice,
            customer=customer,
            reason="Birth date corrected from the ID",
            date_of_birth=date(1966, 6, 1),
        )
    with time_machine.travel(date(2026, 7, 1), tick=False):  # 60 by now
        assert refused_approval(app, supervisor_bob) == {
            "account": ["Applicant age 59 is below the minimum age of 60."]
        }
