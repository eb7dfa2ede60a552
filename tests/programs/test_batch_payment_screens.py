"""Approved rebates are paid many at once from the Programs menu: by check
("Pay approved rebates") or as bill credits ("Credit rebates on bills").
Choose on the list, review (count, total, check numbers), confirm: only the
confirmation calls the service, once for all the chosen applications, and
then the payment register (XLSX) or the billing file (CSV) is offered."""

import html
import io
import re
from datetime import date
from unittest import mock

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
import time_machine
from openpyxl import load_workbook

from portal import roles
from programs import services as svc
from programs.models import RebateApplication, RebateCheckBatch, RebatePayment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAY = "rebate_checks_pay"
CREDIT = "rebate_bill_credits_pay"


@pytest.fixture
def approved(apply, staff_alice, supervisor_bob):
    def make():
        app = svc.rebate_start_review(actor=staff_alice, application=apply())
        return svc.rebate_approve(actor=supervisor_bob, application=app)

    return make


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def squeezed(response) -> str:
    return " ".join(text(response).split())


def ref(app) -> str:
    return f"RA-{app.pk:06d}"


def test_the_list_shows_approved_unpaid_applications(
    client, apply, approved, staff_alice, supervisor_bob
):
    with time_machine.travel(date(2026, 4, 1), tick=False):
        waiting = approved()
        paid = approved()
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[paid],
            first_check_number=100,
            paid_on=date(2026, 4, 1),
        )
    submitted = apply()
    client.force_login(staff_alice)
    with time_machine.travel(date(2026, 4, 13), tick=False):
        response = client.get(reverse(PAY))
    assert response.status_code == 200
    content = response.content.decode()
    boxes = re.findall(
        r'<input type="checkbox" name="applications" value="(\d+)"', content
    )
    assert boxes == [str(waiting.pk)]
    row = squeezed(response)
    customer = waiting.customer.display_name
    assert f"{ref(waiting)} {customer} REE $300.00 12 days" in row
    assert ref(paid) not in row and ref(submitted) not in row
    assert 'name="first_check_number"' in content
    assert 'name="paid_on" value="2026-04-13"' in content  # today, to start with


def test_the_menu_offers_the_pay_screens_to_who_may_pay(
    client, staff_alice, cashier_casey
):
    client.force_login(staff_alice)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Pay approved rebates" in home and "Credit rebates on bills" in home
    assert reverse(PAY) in home and reverse(CREDIT) in home
    client.force_login(cashier_casey)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Pay approved rebates" not in home


def test_someone_who_may_only_read_is_sent_back_with_the_reason(
    client, post_for_messages, cashier_casey, approved
):
    app = approved()
    client.force_login(cashier_casey)
    for name in (PAY, CREDIT):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("rebate_applications:index")
        client.get(response["Location"])  # shows (and so clears) the message
    response, shown = post_for_messages(
        reverse(PAY),
        {
            "applications": [app.pk],
            "first_check_number": "7001",
            "paid_on": "2026-04-01",
            "confirmed": "yes",
        },
    )
    assert shown == ["You don't have permission to pay rebates."]
    assert not RebatePayment.objects.exists()


def test_review_shows_count_total_and_check_numbers_and_changes_nothing(
    client, approved, staff_alice
):
    first, second, third = approved(), approved(), approved()
    client.force_login(staff_alice)
    response = client.post(
        reverse(PAY),
        {
            # chosen out of order: the checks follow the references
            "applications": [third.pk, first.pk],
            "first_check_number": "7001",
            "paid_on": "2026-04-02",
        },
    )
    assert response.status_code == 200
    page = squeezed(response)
    assert "2 checks, $600.00 in total, dated April 2, 2026." in page
    assert "Check numbers 7001 to 7002, in the order of the references." in page
    assert f"7001 {ref(first)} {first.customer.display_name} REE $300.00" in page
    assert f"7002 {ref(third)} {third.customer.display_name} REE $300.00" in page
    assert ref(second) not in page
    assert "Issue 2 checks" in page
    assert not RebatePayment.objects.exists()
    assert not RebateCheckBatch.objects.exists()


def test_confirming_pays_the_chosen_applications_in_one_batch(
    client, approved, staff_alice
):
    first, second, third = approved(), approved(), approved()
    client.force_login(staff_alice)
    data = {
        "applications": [first.pk, third.pk],
        "first_check_number": "7001",
        "paid_on": "2026-04-02",
        "confirmed": "yes",
    }
    with mock.patch(
        "programs.views.svc.rebate_checks_issue", wraps=svc.rebate_checks_issue
    ) as issue:
        response = client.post(reverse(PAY), data)
    assert issue.call_count == 1
    assert [a.pk for a in issue.call_args.kwargs["applications"]] == [
        first.pk,
        third.pk,
    ]
    batch = RebateCheckBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rebate_check_batch", args=[batch.pk])
    assert batch.created_by == staff_alice
    assert batch.paid_on == date(2026, 4, 2)
    assert sorted(
        batch.payments.values_list("application_id", "check_number", "amount")
    ) == [(first.pk, "7001", 300), (third.pk, "7002", 300)]
    statuses = dict(RebateApplication.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "paid", second.pk: "approved", third.pk: "paid"}

    page = client.get(response["Location"])
    shown = squeezed(page)
    assert f"Check batch {batch.pk}: 2 checks issued, $600.00 in total." in shown
    assert f"Check batch {batch.pk} 2 checks dated April 2, 2026" in shown
    register = reverse("rebate_check_batch_register", args=[batch.pk])
    assert f'href="{register}"' in page.content.decode()


def test_the_batch_register_downloads_as_xlsx(client, approved, staff_alice):
    apps = [approved(), approved()]
    batch = svc.rebate_checks_issue(
        actor=staff_alice,
        applications=apps,
        first_check_number=7001,
        paid_on=date(2026, 4, 2),
    )
    client.force_login(staff_alice)
    response = client.get(reverse("rebate_check_batch_register", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="payment-register-{batch.pk}.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    # Below the title block and the header row, above the totals row.
    header = rows.index(next(r for r in rows if r[0] == "Check number"))
    assert [row[0] for row in rows[header + 1 : -1]] == ["7001", "7002"]
    assert rows[-1][0] == "Total (2 checks)"


def test_the_batch_and_its_register_need_permission_to_see_batches(
    client, approved, staff_alice
):
    batch = svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[approved()],
        first_check_number=7001,
        paid_on=date(2026, 4, 2),
    )
    editor = UserFactory(username="eddie")
    editor.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    client.force_login(editor)
    # The back office answers a refused permission by going to its home page.
    for name in ("rebate_check_batch", "rebate_check_batch_register"):
        response = client.get(reverse(name, args=[batch.pk]))
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.force_login(staff_alice)
    missing = reverse("rebate_check_batch_register", args=[batch.pk + 1])
    assert client.get(missing).status_code == 404


def test_a_paid_check_links_to_its_batch(client, approved, staff_alice):
    batch = svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[approved()],
        first_check_number=7001,
        paid_on=date(2026, 4, 2),
    )
    client.force_login(staff_alice)
    page = client.get(
        reverse("rebate_payments:inspect", args=[batch.payments.get().pk])
    ).content.decode()
    assert f'href="{reverse("rebate_check_batch", args=[batch.pk])}"' in page


def test_change_the_choice_goes_back_to_the_list_as_chosen(
    client, approved, staff_alice
):
    approved()
    second = approved()
    client.force_login(staff_alice)
    response = client.post(
        reverse(PAY),
        {
            "applications": [second.pk],
            "first_check_number": "7001",
            "paid_on": "2026-04-02",
            "back": "yes",
        },
    )
    content = response.content.decode()
    assert f'value="{second.pk}" id="id_applications_{second.pk}" aria-label' in (
        content
    )
    checked = re.findall(
        r'value="(\d+)" id="id_applications_\d+" [^>]*checked', content
    )
    assert checked == [str(second.pk)]
    assert 'name="first_check_number" value="7001"' in content
    assert not RebatePayment.objects.exists()


def test_nothing_chosen_is_named(client, approved, staff_alice):
    approved()
    client.force_login(staff_alice)
    response = client.post(
        reverse(PAY), {"first_check_number": "7001", "paid_on": "2026-04-02"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "applications": ["Choose at least one application."]
    }


def test_nothing_waiting_says_so(client, staff_alice):
    client.force_login(staff_alice)
    assert "No approved rebates are waiting to be paid." in text(
        client.get(reverse(PAY))
    )


# --------------------------------------------------------------------------
# Bill credits
# --------------------------------------------------------------------------


def test_bill_credits_are_reviewed_confirmed_and_the_file_downloaded(
    client, approved, staff_alice
):
    first, second = approved(), approved()
    client.force_login(staff_alice)
    chosen = {"applications": [first.pk, second.pk], "credit_date": "2026-04-03"}
    review = client.post(reverse(CREDIT), chosen)
    page = squeezed(review)
    assert "2 bill credits, $600.00 in total, dated April 3, 2026." in page
    assert f"{first.account.number} {ref(first)}" in page
    assert "Record 2 bill credits" in page
    assert not RebatePayment.objects.exists()

    with mock.patch(
        "programs.views.svc.rebate_bill_credits_issue",
        wraps=svc.rebate_bill_credits_issue,
    ) as export:
        done = client.post(reverse(CREDIT), {**chosen, "confirmed": "yes"})
    assert export.call_count == 1
    assert done.status_code == 302
    assert set(
        RebatePayment.objects.values_list("application_id", "method", "paid_on")
    ) == {
        (first.pk, "bill_credit", date(2026, 4, 3)),
        (second.pk, "bill_credit", date(2026, 4, 3)),
    }
    page = client.get(done["Location"])
    shown = squeezed(page)
    assert (
        "2 bill credits recorded, dated April 3, 2026. Download the file for the "
        "billing system." in shown
    )
    assert "2 bill credits, $600.00 in total" in shown
    link = re.search(r'href="([^"]+\.csv)"', page.content.decode())[1]
    file = client.get(link)
    assert file["Content-Type"] == "text/csv"
    assert file["Content-Disposition"] == (
        'attachment; filename="bill-credits-2026-04-03.csv"'
    )
    assert file.content.decode().splitlines() == [
        "account_number,amount,credit_date,reference,description",
        f"{first.account.number},300.00,2026-04-03,{ref(first)},REE rebate",
        f"{second.account.number},300.00,2026-04-03,{ref(second)},REE rebate",
    ]


def test_the_billing_file_is_kept_and_downloadable_again_by_the_office(
    client, approved, staff_alice, supervisor_bob, outsider_dave
):
    app = approved()
    client.force_login(staff_alice)
    done = client.post(
        reverse(CREDIT),
        {"applications": [app.pk], "credit_date": "2026-04-03", "confirmed": "yes"},
    )
    page = client.get(done["Location"]).content.decode()
    link = re.search(r'href="([^"]+\.csv)"', page)[1]
    first = client.get(link).content
    client.force_login(supervisor_bob)  # another person, another session
    assert client.get(link).content == first
    assert "Made by Alice on" in squeezed(client.get(done["Location"]))
    client.force_login(outsider_dave)  # no back-office role: sent to log in
    assert client.get(link)["Location"].startswith("/account/login/")
