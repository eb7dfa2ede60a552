"""The Reports menu: the runs' list, a run's page with its summary, rows,
files and only the buttons its predicates allow; review and file through a
confirmation; the Generate form with the service's messages on its fields."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest

from regulatory_reports.models import ReportRun
from regulatory_reports.services import report_file, report_generate, report_review


def generate(actor):
    return report_generate(actor=actor, kind="test_kind", period_text="2026-Q3")


def test_the_list_shows_each_run_in_words(
    test_kind, client, supervisor_bob, supervisor_sam
):
    run = report_review(actor=supervisor_sam, run=generate(supervisor_bob))
    client.force_login(supervisor_bob)
    page = client.get(reverse("report_runs:index"))
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Test receipts report", "2026-Q3", "Reviewed", "Bob", "Sam"):
        assert words in text
    assert reverse("report_run_page", args=[run.pk]) in text
    assert "Generate a report" in text


def test_the_run_page_shows_summary_rows_and_files_with_their_sha(
    test_kind, client, supervisor_bob
):
    run = generate(supervisor_bob)
    client.force_login(supervisor_bob)
    text = client.get(reverse("report_run_page", args=[run.pk])).content.decode()
    assert "$350.50" in text  # receipts › amount, in dollars
    assert "ZI-0002" in text  # a row of the receipts section
    for found in run.files.all():
        assert found.sha256 in text
    # Bob generated it: no Review button for him, and the page says nothing to file.
    assert reverse("report_run_review", args=[run.pk]) not in text


def test_rows_are_fifty_to_a_page(test_kind, client, supervisor_bob):
    test_kind["payments"] = [
        (f"ZI-{n:04d}", date(2026, 7, 1), Decimal("1.00")) for n in range(1, 61)
    ]
    run = generate(supervisor_bob)
    client.force_login(supervisor_bob)
    first = client.get(reverse("report_run_page", args=[run.pk])).content.decode()
    assert "ZI-0050" in first and "ZI-0051" not in first
    assert "Page 1 of 2" in first
    second = client.get(
        reverse("report_run_page", args=[run.pk]) + "?receipts=2"
    ).content.decode()
    assert "ZI-0051" in second and "ZI-0050" not in second


def test_review_goes_through_a_confirmation_by_a_second_supervisor(
    test_kind, client, supervisor_bob, supervisor_sam
):
    run = generate(supervisor_bob)
    client.force_login(supervisor_sam)
    page = client.get(reverse("report_run_page", args=[run.pk])).content.decode()
    url = reverse("report_run_review", args=[run.pk])
    assert url in page
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Review" in confirm.content.decode()
    assert ReportRun.objects.get(pk=run.pk).status == "generated"  # GET changes nothing
    done = client.post(url, follow=True)
    assert "reviewed" in done.content.decode()
    assert ReportRun.objects.get(pk=run.pk).status == "reviewed"


def test_the_generator_reviewing_is_told_why_and_nothing_changes(
    test_kind, client, supervisor_bob
):
    run = generate(supervisor_bob)
    client.force_login(supervisor_bob)
    page = client.post(reverse("report_run_review", args=[run.pk]), follow=True)
    assert page.status_code == 200
    assert (
        "The person who generated a report can&#x27;t review it."
        in page.content.decode()
    )
    assert ReportRun.objects.get(pk=run.pk).status == "generated"


def test_a_filed_run_offers_no_buttons_and_refuses_the_steps(
    test_kind, client, supervisor_bob, supervisor_sam
):
    run = report_file(
        actor=supervisor_sam,
        run=report_review(actor=supervisor_sam, run=generate(supervisor_bob)),
    )
    client.force_login(supervisor_sam)
    text = client.get(reverse("report_run_page", args=[run.pk])).content.decode()
    assert reverse("report_run_file", args=[run.pk]) not in text
    assert "nothing about this version can change" in text
    refused = client.post(reverse("report_run_file", args=[run.pk]), follow=True)
    assert "is filed; it can&#x27;t be filed from there." in refused.content.decode()


def test_the_admin_has_no_edit_or_delete_for_runs(
    test_kind, client, supervisor_bob, supervisor_sam
):
    run = report_file(
        actor=supervisor_sam,
        run=report_review(actor=supervisor_sam, run=generate(supervisor_bob)),
    )
    client.force_login(supervisor_bob)
    for name in ("report_runs:edit", "report_runs:delete"):
        assert client.get(reverse(name, args=[run.pk])).status_code in (302, 403, 404)
        assert client.post(reverse(name, args=[run.pk])).status_code in (302, 403, 404)
    assert ReportRun.objects.get(pk=run.pk).status == "filed"


def test_generate_puts_the_period_message_on_its_field(
    test_kind, client, supervisor_bob
):
    client.force_login(supervisor_bob)
    page = client.post(
        reverse("report_generate"), {"kind": "test_kind", "period": "2026-Q4"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "period": [
            "2026-Q4 has not ended yet (it ends on 2026-12-31); report it from 2027-01-01."
        ]
    }
    assert not ReportRun.objects.exists()


def test_generate_makes_the_run_and_opens_its_page(test_kind, client, supervisor_bob):
    client.force_login(supervisor_bob)
    page = client.post(
        reverse("report_generate"), {"kind": "test_kind", "period": "2026-Q3"}
    )
    run = ReportRun.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("report_run_page", args=[run.pk])


@pytest.mark.parametrize("persona", ["staff_alice", "auditor_audrey"])
def test_who_may_not_prepare_has_no_generate_form(test_kind, client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    # Wagtail answers a refused admin page by sending the person to the dashboard.
    refused = client.get(reverse("report_generate"))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_the_auditor_reads_runs_and_program_staff_do_not(
    test_kind, client, supervisor_bob, auditor_audrey, staff_alice
):
    run = generate(supervisor_bob)
    client.force_login(auditor_audrey)
    assert client.get(reverse("report_run_page", args=[run.pk])).status_code == 200
    client.force_login(staff_alice)
    assert client.get(reverse("report_run_page", args=[run.pk])).status_code == 302
