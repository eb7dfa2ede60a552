"""Reports › GL accounts: supervisors change an account's code (with its
history), auditors only read, cashiers don't see it; the Generate form
offers the journal kinds with no change to it."""

from django.urls import reverse

import pytest

from regulatory_reports.models import GLAccount

pytestmark = pytest.mark.django_db


def test_a_supervisor_changes_an_account_code_and_its_history_keeps_it(
    client, supervisor_bob
):
    cash = GLAccount.objects.get(role="cash")
    client.force_login(supervisor_bob)
    listing = client.get(reverse("gl_accounts:index"))
    assert listing.status_code == 200
    assert "Cash — loan fund" in listing.content.decode()
    saved = client.post(
        reverse("gl_accounts:edit", args=[cash.pk]),
        {
            "role": "cash",
            "code": "100-1010-00",
            "name": "Cash — operating",
            "active": "on",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    cash.refresh_from_db()
    assert (cash.code, cash.name) == ("100-1010-00", "Cash — operating")
    last = cash.history.first()
    assert (last.code, last.history_user) == ("100-1010-00", supervisor_bob)


def test_a_code_with_spaces_or_a_leading_sign_is_refused_with_a_message(
    client, supervisor_bob
):
    cash = GLAccount.objects.get(role="cash")
    client.force_login(supervisor_bob)
    refused = client.post(
        reverse("gl_accounts:edit", args=[cash.pk]),
        {"role": "cash", "code": "-10 10", "name": "Cash", "active": "on"},
    )
    assert refused.status_code == 200
    assert "An account code is digits and letters" in refused.content.decode()
    cash.refresh_from_db()
    assert cash.code == "1010"


def test_an_auditor_reads_the_accounts_but_cannot_edit_them(client, auditor_audrey):
    cash = GLAccount.objects.get(role="cash")
    client.force_login(auditor_audrey)
    assert client.get(reverse("gl_accounts:index")).status_code == 200
    edit = client.get(reverse("gl_accounts:edit", args=[cash.pk]))
    assert edit.status_code in (302, 403)


def test_a_cashier_does_not_see_the_accounts(client, cashier_casey):
    client.force_login(cashier_casey)
    assert client.get(reverse("gl_accounts:index")).status_code in (302, 403)


def test_the_generate_form_offers_the_journal_kinds(client, supervisor_bob):
    client.force_login(supervisor_bob)
    page = client.get(reverse("report_generate")).content.decode()
    assert '<option value="cash_receipts">Cash receipts journal</option>' in page
    assert '<option value="gl_journal">General-ledger journal export</option>' in page
