"""POST /api/v1/deposits and GET /api/v1/deposits?account=: the exact contract."""

from __future__ import annotations

import pytest

from liens.models import DepositInstrument
from tests.factories import UtilityAccountFactory
from tests.factories.liens_deposits import make_deposit

pytestmark = pytest.mark.django_db

URL = "/api/v1/deposits"


def _body(**overrides):
    body = {
        "type": "blanket_bond",
        "issuer": "Hudson Surety Co.",
        "instrument_number": "BB-2002",
        "face_amount": "1000.00",
        "effective_on": "2025-01-01",
        "expires_on": "2026-12-31",
        "allocations": [
            {"account": "740001", "amount": "750.00"},
            {"account": "740002", "amount": "250.00"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def accounts(db):
    return UtilityAccountFactory(number="740001"), UtilityAccountFactory(
        number="740002"
    )


def test_post_creates_the_instrument_with_its_allocations(
    api_client_for, staff_alice, accounts
):
    response = api_client_for(staff_alice).post(
        URL, _body(), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    instrument = DepositInstrument.objects.get()
    assert body == {
        "id": instrument.pk,
        "type": "blanket_bond",
        "issuer": "Hudson Surety Co.",
        "instrument_number": "BB-2002",
        "face_amount": "1000.00",
        "effective_on": "2025-01-01",
        "expires_on": "2026-12-31",
        "status": "held",
        "allocations": [
            {"account": "740001", "amount": "750.00"},
            {"account": "740002", "amount": "250.00"},
        ],
    }


def test_cash_with_a_null_expiry(api_client_for, staff_alice, accounts):
    response = api_client_for(staff_alice).post(
        URL,
        _body(
            type="cash",
            issuer=None,
            instrument_number="",
            face_amount="300",
            expires_on=None,
            allocations=[{"account": "740001", "amount": "300.00"}],
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["expires_on"] is None
    assert response.json()["issuer"] == ""
    assert response.json()["face_amount"] == "300.00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "allocations": [
                    {"account": "740001", "amount": "750.00"},
                    {"account": "740002", "amount": "250.01"},
                ]
            },
            "allocations",
            "The allocations add up to $1,000.01, more than the face amount of $1,000.00.",
        ),
        (
            {"allocations": [{"account": "999999", "amount": "10.00"}]},
            "allocations.0.account",
            "There is no account 999999.",
        ),
        (
            {"expires_on": "2024-12-31"},
            "expires_on",
            "The expiry date (December 31, 2024) is before the effective date "
            "(January 1, 2025).",
        ),
    ],
)
def test_refusals_name_their_field_and_store_nothing(
    api_client_for, staff_alice, accounts, overrides, field, message
):
    response = api_client_for(staff_alice).post(
        URL, _body(**overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not DepositInstrument.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"face_amount": "12.345"}, "face_amount"),
        ({"face_amount": 1000}, "face_amount"),
        ({"type": "gift_card"}, "type"),
        (
            {"allocations": [{"account": "740001", "amount": "1e2"}]},
            "allocations.0.amount",
        ),
        ({"effective_on": "2025-02-30"}, "effective_on"),
    ],
)
def test_bad_input_is_a_400_on_the_field(
    api_client_for, staff_alice, accounts, overrides, field
):
    response = api_client_for(staff_alice).post(
        URL, _body(**overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not DepositInstrument.objects.exists()


def test_post_needs_the_manage_deposit_permission(
    api_client_for, cashier_casey, accounts
):
    response = api_client_for(cashier_casey).post(
        URL, _body(), content_type="application/json"
    )
    assert response.status_code == 403
    assert not DepositInstrument.objects.exists()


def test_get_lists_what_secures_the_account_with_its_share(
    api_client_for, cashier_casey
):
    one, two = (
        UtilityAccountFactory(number="750001"),
        UtilityAccountFactory(number="750002"),
    )
    bond = make_deposit(
        instrument_type="blanket_bond",
        face="1000.00",
        issuer="Hudson Surety Co.",
        number="BB-1",
        allocations=[(one, "600.00"), (two, "400.00")],
    )
    cash = make_deposit(face="125.50", allocations=[(two, "125.50")])
    make_deposit(face="80.00")  # another account's deposit
    response = api_client_for(cashier_casey).get(URL, {"account": "750002"})
    assert response.status_code == 200
    rows = response.json()
    assert [(r["id"], r["type"], r["allocated"], r["amount"]) for r in rows] == [
        (bond.pk, "blanket_bond", "400.00", "400.00"),
        (cash.pk, "cash", "125.50", "125.50"),
    ]
    assert rows[0]["allocations"] == [
        {"account": "750001", "amount": "600.00"},
        {"account": "750002", "amount": "400.00"},
    ]
    assert rows[0]["face_amount"] == "1000.00"


def test_get_an_unknown_account_is_404(api_client_for, cashier_casey):
    response = api_client_for(cashier_casey).get(URL, {"account": "000404"})
    assert response.status_code == 404


def test_get_needs_the_view_permission(api_client_for, outsider_dave):
    UtilityAccountFactory(number="760001")
    response = api_client_for(outsider_dave).get(URL, {"account": "760001"})
    assert response.status_code == 403


def test_get_one_by_id(api_client_for, cashier_casey):
    cash = make_deposit(face="90.00")
    response = api_client_for(cashier_casey).get(f"{URL}/{cash.pk}")
    assert response.status_code == 200
    assert response.json()["face_amount"] == "90.00"
    assert api_client_for(cashier_casey).get(f"{URL}/{cash.pk + 99}").status_code == 404
