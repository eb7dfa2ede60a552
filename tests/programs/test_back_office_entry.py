from decimal import Decimal

import pytest
from django.urls import reverse

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


def test_programs_list_renders_with_remaining_budget(client, staff_alice, program):
    client.force_login(staff_alice)
    response = client.get(reverse("programs:index"))
    assert "$1,000.00" in response.content.decode()
