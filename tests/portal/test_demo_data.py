import io

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page

import pytest

from portal.models import BillingPeriod, Customer, Property, UtilityAccount

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_demo_data", "--allow-without-debug", stdout=out)
    return out.getvalue()


def counts():
    from liens.models import DepositInstrument, Lien, SubordinationRequest
    from loans.models import LedgerEntry, Loan, LoanApplication, Payment

    models = (
        Customer,
        UtilityAccount,
        Property,
        BillingPeriod,
        Page,
        Loan,
        Payment,
        LedgerEntry,
        LoanApplication,
        Lien,
        SubordinationRequest,
        DepositInstrument,
    )
    return [m.objects.count() for m in models]


def test_running_the_demo_command_twice_duplicates_nothing():
    load()
    first = counts()
    load()
    assert counts() == first
    assert first[0] == 8 and first[1] == 8 and first[3] == 8 * 12
    # Three demo loans, and one the liens demo pays off at a property sale.
    assert first[5] == 4 and first[6] > 0 and first[8] == 3
    assert first[9] == 3 and first[10] >= 1 and first[11] >= 4


def test_the_printed_logins_work_for_staff_supervisor_and_customer():
    output = load()
    for role, username in [
        ("staff", "alice"),
        ("supervisor", "bob"),
        ("customer", "carol"),
    ]:
        line = next(
            line for line in output.splitlines() if line.strip().startswith(role)
        )
        password = line.split("password:")[1].strip()
        assert authenticate(username=username, password=password) is not None


def test_demo_data_refuses_to_load_without_debug():
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo_data")


def test_staff_log_in_to_the_back_office_and_customers_to_their_account(client):
    load()
    # One log-in for both (allauth's form: "login" is a username or e-mail).
    response = client.post(
        "/account/login/?next=/admin/",
        {"login": "alice", "password": "alice-demo-2026"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    response = client.post(
        "/account/login/", {"login": "carol", "password": "carol-demo-2026"}
    )
    assert response.status_code == 302
    assert "100001" in client.get("/account/").content.decode()
