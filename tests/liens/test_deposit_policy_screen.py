"""The refund-interest rule is data a supervisor edits in the back office
(with its history); staff cannot, and a rate out of bounds is refused on its
field."""

from decimal import Decimal

from django.urls import reverse

import pytest

from liens.models import DepositPolicy

pytestmark = pytest.mark.django_db


def edit_url():
    return reverse("deposit_policy:edit", args=[DepositPolicy.current().pk])


def test_a_supervisor_changes_the_refund_interest_rate_with_history(
    client, supervisor_bob
):
    client.force_login(supervisor_bob)
    url = edit_url()
    assert client.get(url).status_code == 200
    response = client.post(url, {"pays_interest": "on", "annual_rate": "1.250"})
    assert response.status_code == 302
    policy = DepositPolicy.current()
    assert policy.annual_rate == Decimal("1.250")
    assert policy.history.order_by("-history_id").first().history_user == supervisor_bob


def test_a_negative_rate_is_refused_on_its_field(client, supervisor_bob):
    client.force_login(supervisor_bob)
    response = client.post(edit_url(), {"pays_interest": "on", "annual_rate": "-1"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    assert DepositPolicy.current().annual_rate == Decimal("2.000")


def test_staff_cannot_edit_the_policy(client, staff_alice):
    client.force_login(staff_alice)
    response = client.post(edit_url(), {"pays_interest": "", "annual_rate": "9"})
    assert response.status_code in (302, 403)
    assert DepositPolicy.current().annual_rate == Decimal("2.000")
