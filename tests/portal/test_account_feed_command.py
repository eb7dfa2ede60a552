"""manage.py load_account_feed: the same feed from CSV files, each file one
transaction, a bad line named with its column and nothing stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from portal.models import BillingPeriod, Customer, UtilityAccount

pytestmark = pytest.mark.django_db

ACCOUNTS_HEADER = (
    "number,customer_name,customer_email,line1,city,state,zip,customer_class,"
    "services,status,delinquent_balance,bad_debt,transfer\n"
)
GOOD_ACCOUNTS = (
    ACCOUNTS_HEADER
    + "100200,Maria Lopez,maria@example.org,12 Elm St,Riverton,NY,12180,"
    "residential,electric;water,active,0.00,false,\n"
    + '100201,"Acme Widgets, LLC",,1 Mill Rd,Riverton,NY,12180-1234,'
    'commercial,gas,inactive,"1,250.75",true,false\n'
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_accounts_and_bills_load_as_the_system_user(tmp_path, capsys):
    accounts = write(tmp_path, "accounts.csv", GOOD_ACCOUNTS)
    bills = write(
        tmp_path,
        "bills.csv",
        "account,period,amount\n100200,2026-01,123.45\n100200,2026-02,98.10\n"
        "100201,2026-01,2000.00\n",
    )
    call_command("load_account_feed", accounts=accounts, bills=bills)
    out = capsys.readouterr().out
    assert "Accounts: 2 created, 0 checked or updated." in out
    assert "Bills: 3 received for 2 account(s)." in out
    acme = UtilityAccount.objects.get(number="100201")
    assert acme.customer.kind == "business"
    assert acme.customer.business_name == "Acme Widgets, LLC"
    assert acme.status == "inactive"
    assert acme.delinquent_balance.amount == Decimal("1250.75")
    assert acme.turned_to_bad_debt is True
    assert acme.services == {"gas"}
    assert acme.postal_code == "12180-1234"
    assert acme.history.first().history_user.username == "system"
    maria = UtilityAccount.objects.get(number="100200")
    row = BillingPeriod.objects.get(account=maria, period_start=date(2026, 2, 1))
    assert row.billed_amount.amount == Decimal("98.10")
    assert row.history.first().history_user.username == "system"
    # loading the same files again changes nothing
    history = UtilityAccount.history.count() + BillingPeriod.history.count()
    call_command("load_account_feed", accounts=accounts, bills=bills)
    assert UtilityAccount.history.count() + BillingPeriod.history.count() == history
    assert Customer.objects.count() == 2


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "100202,Sam Ortiz,,3 Oak St,Riverton,NY,12180,residential,electric,"
            "active,-4.00,false,\n",
            "line 4, column delinquent_balance: The amount can't be negative.",
        ),
        (
            "100202,Sam Ortiz,,3 Oak St,Riverton,NY,12180,residential,steam,"
            "active,0.00,false,\n",
            "line 4, column services: Unknown service 'steam'; use electric, gas, "
            "water or sewer.",
        ),
        (
            "100202,Sam Ortiz,,3 Oak St,Riverton,New York,12180,residential,"
            "electric,active,0.00,false,\n",
            "line 4, column state: Use the state's two-letter code, such as NY.",
        ),
        (
            "100202,Sam Ortiz,,3 Oak St,Riverton,NY,12180,residential,electric,"
            "active,0.00,maybe,\n",
            "line 4, column bad_debt: 'maybe' is not true or false.",
        ),
        (
            "100200,Sam Ortiz,sam@example.org,12 Elm St,Riverton,NY,12180,"
            "residential,electric,active,0.00,false,false\n",
            "line 4, column customer_name: Account 100200 belongs to Maria Lopez; "
            'send "transfer": true to move it to Sam Ortiz.',
        ),
    ],
)
def test_a_bad_account_line_stops_the_file_and_stores_nothing(
    tmp_path, bad_line, message
):
    path = write(tmp_path, "accounts.csv", GOOD_ACCOUNTS + bad_line)
    with pytest.raises(CommandError) as refused:
        call_command("load_account_feed", accounts=path)
    assert str(refused.value) == message
    assert not UtilityAccount.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "100200,2026-13,5.00\n",
            "line 4, column period: '2026-13' is not a month; write it as YYYY-MM, "
            "for example 2026-03.",
        ),
        (
            "100200,2026-03,5.005\n",
            "line 4, column amount: Amounts are in dollars and cents: '5.005' has "
            "more than two decimal places.",
        ),
        (
            "100200,2026-01,5.00\n",
            "line 4, column period: 2026-01 appears more than once; send each month once.",
        ),
        ("999999,2026-01,5.00\n", "line 4, column account: No account 999999."),
    ],
)
def test_a_bad_bill_line_stops_the_file_and_stores_nothing(tmp_path, bad_line, message):
    call_command("load_account_feed", accounts=write(tmp_path, "a.csv", GOOD_ACCOUNTS))
    path = write(
        tmp_path,
        "bills.csv",
        "account,period,amount\n100200,2026-01,1.00\n100201,2026-01,2.00\n" + bad_line,
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_account_feed", bills=path)
    assert str(refused.value) == message
    assert not BillingPeriod.objects.exists()


def test_a_file_with_an_unknown_column_is_refused(tmp_path):
    path = write(tmp_path, "bills.csv", "account,period,amount,paid\n")
    with pytest.raises(CommandError, match=r"unknown column\(s\) paid"):
        call_command("load_account_feed", bills=path)


def test_create_api_token_can_grant_the_sync_permission(client, capsys):
    from tests.factories.portal import UserFactory

    UserFactory(username="cis")
    call_command(
        "create_api_token",
        "cis",
        grant=["portal.sync_accounts", "portal.view_utilityaccount"],
    )
    token = capsys.readouterr().out.strip()
    response = client.put(
        "/api/v1/accounts/100200/bills",
        data="[]",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404  # allowed in; the account is unknown


def test_create_api_token_refuses_an_unknown_permission(db):
    from tests.factories.portal import UserFactory

    UserFactory(username="cis")
    with pytest.raises(CommandError, match="No permission 'portal.fly'"):
        call_command("create_api_token", "cis", grant=["portal.fly"])
