from decimal import Decimal

from django.urls import reverse

import pytest

from programs.models import RebateApplication
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_staff_enter_an_application_through_the_service(client, staff_alice, measure):
    account = UtilityAccountFactory()
    client.force_login(staff_alice)
    url = reverse("rebate_applications:add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "program": measure.program.pk,
            "account": account.pk,
            "measure": measure.pk,
            "quantity": "1",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    app = RebateApplication.objects.get()
    assert app.prepared_by == staff_alice
    assert app.lines.get().incentive == Decimal("300.00")


def test_programs_list_renders_with_budget_and_remaining_budget(
    client, apply, staff_alice, supervisor_bob
):
    from programs import services as svc

    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    svc.rebate_approve(actor=supervisor_bob, application=app)
    client.force_login(staff_alice)
    html = client.get(reverse("programs:index")).content.decode()
    assert "$1,000.00" in html  # the budget
    assert "$700.00" in html  # what remains after $300.00 approved


def test_the_workflow_runs_from_the_application_page(
    client, staff_alice, supervisor_bob, apply
):
    app = apply()
    client.force_login(staff_alice)
    page = reverse("rebate_applications:inspect", args=[app.pk])
    assert ">Start review</button>" in client.get(page).content.decode()
    response = client.post(
        reverse("rebate_action", args=[app.pk, "start_review"]), follow=True
    )
    assert f"RA-{app.pk:06d}: review started." in response.content.decode()
    response = client.post(
        reverse("rebate_action", args=[app.pk, "approve"]), follow=True
    )
    assert "different person" in response.content.decode()
    client.force_login(supervisor_bob)
    client.post(reverse("rebate_action", args=[app.pk, "approve"]))
    response = client.post(
        reverse("rebate_action", args=[app.pk, "pay_by_bill_credit"]),
        {"paid_on": "2026-04-01"},
    )
    # The credit's file is kept: the answer is its page, which downloads it.
    assert response["Location"].startswith("/admin/programs-actions/bill-credit-files/")
    assert client.get(response["Location"] + "file.csv")["Content-Type"] == "text/csv"
    app.refresh_from_db()
    assert app.status == "paid"
    assert client.get(reverse("programs_report_download")).status_code == 200


def test_an_ineligible_account_is_refused_on_the_account_field(
    client, staff_alice, measure
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_applications:add"),
        {
            "program": measure.program.pk,
            "account": UtilityAccountFactory(customer_class="commercial").pk,
            "measure": measure.pk,
            "quantity": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "account": [
            "Customer class commercial is not served by this program "
            "(serves: residential)."
        ]
    }
    assert not RebateApplication.objects.exists()
