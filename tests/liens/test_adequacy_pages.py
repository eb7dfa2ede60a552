"""Back-office pages of reviews and deposit decisions render with people's
words and amounts, and their buttons follow the predicates."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest

from liens.models import AdequacyPolicy, AdequacyReview, DepositDecision
from liens.services.adequacy import adequacy_review_run
from liens.services.decisions import deposit_decision_propose
from tests.factories.liens_adequacy import account, bills, instrument

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 31)


@pytest.fixture
def review(staff_alice):
    a, b = account("100001"), account("100002")
    bills(a, ["1200.00"] * 12, AS_OF)
    instrument({a: "1000.00", b: "150.00"}, expires_on=date(2026, 4, 30), number="S-7")
    return adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")


def test_review_page_lists_under_secured_first_with_dollar_amounts(
    client, supervisor_bob, review
):
    client.force_login(supervisor_bob)
    page = client.get(reverse("liens_adequacy_review", args=[review.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "March 31, 2026" in text
    assert text.index("100001") < text.index("100002")
    assert "$2,400.00" in text and "$1,400.00 short" in text
    assert "Under-secured" in text and "Over-secured" in text
    assert "Surety bond DP-" in text and "April 30, 2026" in text
    assert "Collect additional deposit" in text and "Mark done" in text


def test_review_list_xlsx_and_run_form(client, staff_alice, review):
    client.force_login(staff_alice)
    listing = client.get(reverse("liens_adequacy_reviews"))
    assert listing.status_code == 200
    assert review.reference in listing.content.decode()
    xlsx = client.get(reverse("liens_adequacy_review_xlsx", args=[review.pk]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.post(
        reverse("liens_adequacy_review_run"),
        {"as_of": "2999-01-01", "customer_class": "all"},
    )
    assert bad.status_code == 200
    assert "The review date can&#x27;t be in the future." in bad.content.decode()
    ran = client.post(
        reverse("liens_adequacy_review_run"),
        {"as_of": "2026-03-31", "customer_class": "residential"},
    )
    assert ran.status_code == 302
    assert AdequacyReview.objects.count() == 2


def test_follow_up_done_from_its_button(client, staff_alice, review):
    client.force_login(staff_alice)
    follow_up = review.follow_ups.get(kind="collect")
    url = reverse("liens_adequacy_follow_up", args=[follow_up.pk, "done"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "Paid in person"}).status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.note) == ("done", "Paid in person")


def test_policy_page_saves_for_a_supervisor_only(client, staff_alice, supervisor_bob):
    url = reverse("liens_adequacy_policy")
    client.force_login(staff_alice)
    refused = client.get(url)  # Wagtail sends a refusal back to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    client.force_login(supervisor_bob)
    assert client.get(url).status_code == 200
    saved = client.post(
        url,
        {
            "multiple": "2.5",
            "months": "12",
            "expiring_window_days": "90",
            "residential_minimum": "150.00",
            "commercial_minimum": "750.00",
        },
    )
    assert saved.status_code == 302
    policy = AdequacyPolicy.current()
    assert (policy.multiple, policy.expiring_window_days) == (Decimal("2.50"), 90)
    assert policy.residential_minimum.amount == Decimal("150.00")
    assert policy.history.order_by("-history_id").first().history_user == supervisor_bob


def test_decision_pages_and_approval_by_a_second_person(
    client, staff_alice, supervisor_bob
):
    acct = account("300001", delinquent_balance=Decimal("412.37"))
    decision = deposit_decision_propose(
        actor=staff_alice,
        account=acct,
        deposit_required="250.00",
        instrument_type="cash",
    )
    client.force_login(staff_alice)
    page = client.get(reverse("liens_deposit_decision", args=[decision.pk]))
    text = page.content.decode()
    assert "$412.37" in text and "$250.00" in text and "Cash deposit" in text
    url = reverse("liens_deposit_decision_decide", args=[decision.pk, "approve"])
    assert url not in text  # staff see no approve button
    client.force_login(supervisor_bob)
    assert (
        url
        in client.get(
            reverse("liens_deposit_decision", args=[decision.pk])
        ).content.decode()
    )
    listing = client.get(reverse("liens_deposit_decisions"))
    assert decision.reference in listing.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "$250.00 cash deposit" in confirm.content.decode()
    assert client.post(url).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "approved"


def test_propose_form_names_an_unknown_account(client, staff_alice):
    client.force_login(staff_alice)
    page = client.post(
        reverse("liens_deposit_decision_propose"),
        {"account": "999999", "deposit_required": "10.00", "instrument_type": "cash"},
    )
    assert page.status_code == 200
    assert "No account has that number." in page.content.decode()
    assert DepositDecision.objects.count() == 0


def test_open_follow_ups_page_lists_the_work_of_every_review(
    client, staff_alice, review
):
    client.force_login(staff_alice)
    page = client.get(reverse("liens_adequacy_follow_ups"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "account 100001" in text and "$1,400.00" in text
    assert "Renew expiring instrument" in text and review.reference in text
