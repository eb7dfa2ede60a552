"""One write path in the programs back office: payments, check batches and
application lines are facts once posted and read-only in the admin; an
application is never edited through a generic form (its page's actions move
it); a payment is reversed only by the Void action (rebate_payment_void)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest
import time_machine

from programs.models import (
    RebateApplication,
    RebateCheckBatch,
    RebateLine,
    RebatePayment,
)
from tests.factories import RebateApplicationFactory, RebatePaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.mark.parametrize("model", [RebatePayment, RebateCheckBatch, RebateLine])
def test_no_generic_admin_view_may_add_change_or_delete_posted_facts(model, superuser):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(model)
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action), action
    assert policy.user_has_permission(superuser, "view")


def test_an_applications_edit_view_goes_back_to_its_page(
    client, post_for_messages, supervisor_bob
):
    app = RebateApplicationFactory(status="in_review", contractor_name="Acme")
    client.force_login(supervisor_bob)
    url = reverse("rebate_applications:edit", args=[app.pk])
    page = reverse("rebate_applications:inspect", args=[app.pk])
    assert client.get(url, follow=True).redirect_chain == [(page, 302)]
    response, shown = post_for_messages(url, {"contractor_name": "Other"})
    assert response["Location"] == page
    assert shown == [
        f"RA-{app.pk:06d} can't be edited: an application changes only through "
        "the actions on its page."
    ]
    app.refresh_from_db()
    assert (app.contractor_name, app.status) == ("Acme", "in_review")


def test_the_application_list_links_each_row_to_its_page_and_never_to_an_edit_form(
    client, supervisor_bob
):
    app = RebateApplicationFactory()
    client.force_login(supervisor_bob)
    html = client.get(reverse("rebate_applications:index")).content.decode()
    assert reverse("rebate_applications:inspect", args=[app.pk]) in html
    assert reverse("rebate_applications:edit", args=[app.pk]) not in html


def test_a_payments_edit_view_changes_nothing(
    client, post_for_messages, supervisor_bob
):
    payment = RebatePaymentFactory()
    client.force_login(supervisor_bob)
    response, shown = post_for_messages(
        reverse("rebate_payments:edit", args=[payment.pk]),
        {"void_reason": "typo", "status": "void"},
    )
    assert response["Location"] == reverse("rebate_payments:inspect", args=[payment.pk])
    assert shown == [
        "Payments can't be edited: a payment stands as issued until it is voided "
        "with the Void action on its page."
    ]
    payment.refresh_from_db()
    assert (payment.status, payment.void_reason) == ("issued", "")


def test_payments_are_not_added_in_the_payments_list(
    client, post_for_messages, supervisor_bob
):
    client.force_login(supervisor_bob)
    response, shown = post_for_messages(
        reverse("rebate_payments:add"), {"amount": "300.00"}
    )
    assert response["Location"] == reverse("rebate_payments:index")
    assert shown == [
        "Payments are made from an approved application's page (Pay by check, "
        "Pay by bill credit)."
    ]
    assert not RebatePayment.objects.exists()


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_a_payment_is_voided_from_its_page(client, post_for_messages, supervisor_bob):
    payment = RebatePaymentFactory()
    client.force_login(supervisor_bob)
    page = client.get(reverse("rebate_payments:inspect", args=[payment.pk]))
    assert ">Void payment</button>" in page.content.decode()
    _, shown = post_for_messages(
        reverse("rebate_payment_void", args=[payment.pk]),
        {"reason": "Check lost in the mail.", "voided_on": "2026-04-09"},
    )
    assert shown == [
        f"RA-{payment.application.pk:06d}: payment of $300.00 voided; the approval "
        "is reserved again."
    ]
    payment.refresh_from_db()
    assert (payment.status, payment.voided_on) == ("void", date(2026, 4, 9))
    assert RebateApplication.objects.get().status == "approved"


def test_a_void_is_refused_with_the_predicates_reason(
    client, post_for_messages, staff_alice
):
    payment = RebatePaymentFactory()
    client.force_login(staff_alice)
    page = client.get(reverse("rebate_payments:inspect", args=[payment.pk]))
    assert "Void payment" not in page.content.decode()
    _, shown = post_for_messages(
        reverse("rebate_payment_void", args=[payment.pk]), {"reason": "Lost."}
    )
    assert shown == ["You don't have permission to void rebate payments."]
    payment.refresh_from_db()
    assert payment.status == "issued"
