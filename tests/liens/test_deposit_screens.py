"""The deposits back office: lists and pages render in words, buttons follow
the predicates, irreversible steps go through a confirmation page."""

from __future__ import annotations

import html
from datetime import date

from django.urls import reverse

import pytest
import time_machine

from liens.choices import ClaimStatus, InstrumentStatus, InstrumentType
from liens.models import DepositClaim, DepositInstrument, DepositPolicy
from liens.services.claims import claim_file
from tests.factories import CustomerFactory, UtilityAccountFactory
from tests.factories.liens_deposits import make_deposit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 10), tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_instrument_page_shows_words_links_and_its_buttons(client, staff_alice):
    customer = CustomerFactory(first_name="Maple", last_name="Properties")
    one = UtilityAccountFactory(number="780001", customer=customer)
    bond = make_deposit(
        instrument_type=InstrumentType.SURETY_BOND,
        issuer="Hudson Surety Co.",
        number="SB-77",
        face="2500.00",
        effective_on=date(2025, 3, 4),
        expires_on=date(2027, 3, 4),
        allocations=[(one, "2500.00")],
    )
    client.force_login(staff_alice)
    page = text(client.get(reverse("deposit_instruments:inspect", args=[bond.pk])))
    assert "Hudson Surety Co." in page and "SB-77" in page
    assert "$2,500.00" in page and "March 4, 2025" in page and "March 4, 2027" in page
    assert reverse("accounts:inspect", args=[one.pk]) in page
    assert reverse("customers:inspect", args=[customer.pk]) in page

    def url(action):
        return reverse("deposit_instrument_action", args=[bond.pk, action])

    # A surety bond is renewed, released or claimed on; never refunded or redeemed.
    for offered in ("renew", "release", "file_claim", "allocate"):
        assert url(offered) in page
    for refused in ("refund", "redeem", "apply_to_final_bill"):
        assert url(refused) not in page
    followed = client.get(url("redeem"), follow=True)
    assert "Only a certificate of deposit or a utility bond is redeemed" in text(
        followed
    )


def test_a_cashier_sees_the_page_but_no_buttons(client, cashier_casey):
    cash = make_deposit(face="100.00")
    client.force_login(cashier_casey)
    page = text(client.get(reverse("deposit_instruments:inspect", args=[cash.pk])))
    assert "$100.00" in page
    assert reverse("deposit_instrument_action", args=[cash.pk, "refund"]) not in page


def test_the_list_filters_expiring_soon(client, staff_alice):
    soon = make_deposit(
        instrument_type=InstrumentType.LETTER_OF_CREDIT,
        issuer="First Riverton Bank",
        expires_on=date(2026, 4, 30),
    )
    later = make_deposit(
        instrument_type=InstrumentType.LETTER_OF_CREDIT,
        issuer="Second Bank",
        expires_on=date(2027, 4, 30),
    )
    client.force_login(staff_alice)
    listing = client.get(
        reverse("deposit_instruments:index"), {"expiring_soon": "true"}
    )
    assert listing.status_code == 200
    body = text(listing)
    assert soon.reference in body and later.reference not in body


def test_refund_goes_through_a_confirmation_with_the_interest(client, staff_alice):
    DepositPolicy.objects.update_or_create(
        pk=1, defaults={"pays_interest": True, "annual_rate": "2.000"}
    )
    cash = make_deposit(face="750.00", effective_on=date(2025, 1, 1))
    client.force_login(staff_alice)
    url = reverse("deposit_instrument_action", args=[cash.pk, "refund"])
    assert client.get(url).status_code == 200
    confirm = client.post(url, {"refunded_on": "2025-07-15"})
    assert confirm.status_code == 200
    assert "Refund $750.00 with $8.01 interest: $758.01 in all." in text(confirm)
    cash.refresh_from_db()
    assert cash.status == InstrumentStatus.HELD
    done = client.post(url, {"refunded_on": "2025-07-15", "confirmed": "on"})
    assert done.status_code == 302
    cash.refresh_from_db()
    assert cash.status == InstrumentStatus.REFUNDED


def test_a_renewal_refusal_is_the_service_message_on_the_field(client, staff_alice):
    loc = make_deposit(
        instrument_type=InstrumentType.LETTER_OF_CREDIT, expires_on=date(2026, 6, 30)
    )
    client.force_login(staff_alice)
    url = reverse("deposit_instrument_action", args=[loc.pk, "renew"])
    response = client.post(url, {"new_expires_on": "2026-01-01"})
    assert response.status_code == 200
    assert "The new expiry date must be after the current one, June 30, 2026." in text(
        response
    )


def test_new_instrument_form_with_allocations(client, staff_alice):
    UtilityAccountFactory(number="790001")
    client.force_login(staff_alice)
    url = reverse("deposit_instrument_new")
    assert client.get(url).status_code == 200
    form = {
        "instrument_type": "cash",
        "face_amount": "300.00",
        "effective_on": "2026-03-01",
        "expires_on": "",
        "allocations-TOTAL_FORMS": "2",
        "allocations-INITIAL_FORMS": "0",
        "allocations-0-account": "790001",
        "allocations-0-amount": "200.00",
        "allocations-1-account": "790404",
        "allocations-1-amount": "100.00",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "There is no account 790404." in text(refused)
    assert not DepositInstrument.objects.exists()
    form["allocations-1-account"] = ""
    form["allocations-1-amount"] = ""
    done = client.post(url, form)
    assert done.status_code == 302
    assert DepositInstrument.objects.get().allocations.count() == 1


def test_claim_page_and_its_steps(client, staff_alice):
    bond = make_deposit(
        instrument_type=InstrumentType.BLANKET_BOND,
        issuer="Acme Indemnity",
        face="900.00",
        allocations=[(UtilityAccountFactory(number="781001"), "900.00")],
    )
    claim = claim_file(
        actor=staff_alice, instrument=bond, account="781001", amount_claimed="450.00"
    )
    client.force_login(staff_alice)
    page = text(client.get(reverse("deposit_claims:inspect", args=[claim.pk])))
    assert "$450.00" in page and "Acme Indemnity" in page
    assert reverse("deposit_claim_action", args=[claim.pk, "negotiate"]) in page
    assert reverse("deposit_claim_action", args=[claim.pk, "close"]) not in page
    settle = reverse("deposit_claim_action", args=[claim.pk, "settle"])
    assert (
        client.post(
            settle, {"on": "2026-03-01", "settlement_amount": "400.00"}
        ).status_code
        == 302
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SETTLED
    assert client.get(reverse("deposit_claims:index")).status_code == 200
    assert DepositClaim.objects.count() == 1


def test_the_instrument_as_received_is_kept_with_it_and_a_disguised_file_is_refused(
    client, staff_alice
):
    from tests.factories.files import POLYGLOT, pdf_bytes, upload

    UtilityAccountFactory(number="790002")
    client.force_login(staff_alice)
    url = reverse("deposit_instrument_new")
    form = {
        "instrument_type": "surety_bond",
        "issuer": "Hudson Surety Co.",
        "instrument_number": "SB-77",
        "face_amount": "500.00",
        "effective_on": "2026-03-01",
        "expires_on": "2027-02-28",
        "allocations-TOTAL_FORMS": "1",
        "allocations-INITIAL_FORMS": "0",
        "allocations-0-account": "790002",
        "allocations-0-amount": "500.00",
    }
    disguised = upload("bond.pdf", POLYGLOT, "application/pdf")
    refused = client.post(url, {**form, "document": disguised})
    assert refused.status_code == 200
    assert "bond.pdf" in text(refused)  # the upload's refusal, named
    assert not DepositInstrument.objects.exists()

    scan = upload("bond.pdf", pdf_bytes(), "application/pdf")
    done = client.post(url, {**form, "document": scan})
    assert done.status_code == 302
    bond = DepositInstrument.objects.get()
    assert [d.original_name for d in bond.documents.all()] == ["bond.pdf"]
    page = client.get(reverse("deposit_instruments:inspect", args=[bond.pk]))
    assert "bond.pdf" in text(page)
