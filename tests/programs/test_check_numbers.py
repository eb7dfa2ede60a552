"""A check number is a positive whole number, and a number already used (even
by a check since voided) is refused with a clear message before anything is
written, never as a database error."""

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from programs import services as svc
from programs.models import RebateCheckBatch, RebatePayment
from tests.factories import RebatePaymentFactory

pytestmark = pytest.mark.django_db

NOT_A_CHECK_NUMBER = (
    "Check number: Enter the check number as a positive whole number, such as 7001."
)


@pytest.fixture
def approved(apply, staff_alice, supervisor_bob):
    def make():
        app = svc.rebate_start_review(actor=staff_alice, application=apply())
        return svc.rebate_approve(actor=supervisor_bob, application=app)

    return make


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Check number: Enter the check number."),
        ("abc", NOT_A_CHECK_NUMBER),
        ("0", NOT_A_CHECK_NUMBER),
        ("-7001", NOT_A_CHECK_NUMBER),
        ("7001.5", NOT_A_CHECK_NUMBER),
        ("7e3", NOT_A_CHECK_NUMBER),
        ("1" * 21, "Check number: Check numbers have at most 20 digits."),
    ],
)
def test_a_check_number_that_is_not_a_positive_whole_number_is_refused(
    client, post_for_messages, approved, staff_alice, typed, message
):
    app = approved()
    client.force_login(staff_alice)
    _, shown = post_for_messages(
        reverse("rebate_action", args=[app.pk, "pay_by_check"]),
        {"check_number": typed, "paid_on": "2026-04-01"},
    )
    assert shown == [message]
    app.refresh_from_db()
    assert app.status == "approved"
    assert not RebatePayment.objects.exists()


def test_a_check_number_already_used_is_refused_on_the_page(
    client, post_for_messages, approved, staff_alice
):
    first = approved()
    svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[first],
        first_check_number=7001,
        paid_on=date(2026, 4, 1),
    )
    second = approved()
    client.force_login(staff_alice)
    response, shown = post_for_messages(
        reverse("rebate_action", args=[second.pk, "pay_by_check"]),
        {"check_number": "7001", "paid_on": "2026-04-02"},
    )
    assert response.status_code == 302
    assert shown == [
        f"Check number 7001 is already used (RA-{first.pk:06d}, paid on April 1, 2026)."
    ]
    second.refresh_from_db()
    assert second.status == "approved"
    assert RebatePayment.objects.count() == 1


def test_a_batch_running_into_a_used_number_writes_nothing(approved, staff_alice):
    used = RebatePaymentFactory(check_number="7002", status="void")
    apps = [approved(), approved()]
    with pytest.raises(ValidationError) as caught:
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=apps,
            first_check_number=7001,
            paid_on=date(2026, 4, 1),
        )
    assert caught.value.message_dict == {
        "check_number": [
            f"Check number 7002 is already used (RA-{used.application.pk:06d}, "
            "paid on April 1, 2026, since void)."
        ]
    }
    assert not RebateCheckBatch.objects.exists()
    assert RebatePayment.objects.count() == 1
    for app in apps:
        app.refresh_from_db()
        assert app.status == "approved"


@pytest.mark.parametrize("first", [0, -1, True, "7001"])
def test_the_service_takes_only_a_positive_whole_number(approved, staff_alice, first):
    with pytest.raises(ValidationError) as caught:
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[approved()],
            first_check_number=first,
            paid_on=date(2026, 4, 1),
        )
    assert caught.value.message_dict == {
        "check_number": [
            "Enter the check number as a positive whole number, such as 7001."
        ]
    }


def test_a_number_taken_by_someone_else_after_the_check_is_still_refused_plainly(
    approved, staff_alice, monkeypatch
):
    taken = RebatePaymentFactory(check_number="7001")
    real = svc._used_check_number
    calls = []

    def not_yet_taken(number):  # the other batch commits just after our check
        calls.append(number)
        return None if len(calls) == 1 else real(number)

    monkeypatch.setattr(svc, "_used_check_number", not_yet_taken)
    app = approved()
    with pytest.raises(ValidationError) as caught:
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[app],
            first_check_number=7001,
            paid_on=date(2026, 4, 1),
        )
    assert caught.value.message_dict == {
        "check_number": [
            f"Check number 7001 is already used (RA-{taken.application.pk:06d}, "
            "paid on April 1, 2026)."
        ]
    }
    app.refresh_from_db()
    assert app.status == "approved"
