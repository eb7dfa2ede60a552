"""Every back-office list (and each record's inspect page where there is one)
renders with the demo data, for a supervisor."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

import pytest

NAMESPACES = [
    "customers",
    "accounts",
    "properties",
    "customer_documents",
    "correspondence",
    "notes",
    "approval_limits",
    "approval_limit_changes",
    "loans",
    "loan_applications",
    "loan_payments",
    "payment_batches",
    "loan_products",
    "programs",
    "measures",
    "rebate_applications",
    "rebate_payments",
    "poverty_guidelines",
]


@pytest.mark.django_db
def test_every_back_office_list_renders_with_demo_data(client):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="bob"))
    for namespace in NAMESPACES:
        response = client.get(reverse(f"{namespace}:index"))
        assert response.status_code == 200, namespace
    from loans.models import Loan, LoanApplication, Payment
    from portal.models import Customer, UtilityAccount
    from programs.models import Program

    for name, obj in [
        ("loans", Loan.objects.first()),
        ("loan_applications", LoanApplication.objects.first()),
        ("loan_payments", Payment.objects.first()),
        ("customers", Customer.objects.first()),
        ("accounts", UtilityAccount.objects.first()),
        ("programs", Program.objects.first()),
    ]:
        assert obj is not None, f"the demo data has no {name}"
        url = reverse(f"{name}:inspect", args=[obj.pk])
        response = client.get(url, follow=True)  # a payment's page is its receipt
        assert response.status_code == 200, name
    assert client.get(reverse("loan_bad_check_ledger")).status_code == 200
    assert client.get("/admin/").status_code == 200
