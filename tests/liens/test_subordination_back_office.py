"""Back-office pages for subordination requests: lists, the request page's
facts and rules, and buttons that follow the predicates."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from liens.choices_subordinations import SubordinationStatus
from liens.models import SubordinationRequest
from liens.services import subordinations as svc
from tests.factories.liens_subordinations import recorded_lien, submitted_request

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 15)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _in_review(staff_alice):
    request = submitted_request()
    svc.subordination_request_match(
        actor=staff_alice, request=request, lien=recorded_lien()
    )
    return svc.subordination_start_review(actor=staff_alice, request=request)


def test_the_request_page_shows_facts_in_words_and_dollars(client, staff_alice):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        html = _page(client, staff_alice, f"/admin/liens-subordinations/{request.pk}/")
    assert "Hudson Valley Savings Bank" in html
    assert "$10,000.00" in html  # our balance
    assert "$150,000.00" in html
    assert "$200,000.00" in html
    assert "90.00%" in html
    assert "L-0001: current" in html
    assert "January 15, 2026" in html
    assert "CLTV 90.00% is within 90.00%." in html
    assert "The fee is paid ($75.00)." in html


def test_staff_see_review_steps_but_not_approve(client, staff_alice):
    with time_machine.travel(DAY):
        received = submitted_request()
        html = _page(client, staff_alice, f"/admin/liens-subordinations/{received.pk}/")
        assert "Match to a lien" in html
        assert "Start review" not in html  # not matched yet
        request = _in_review(staff_alice)
        html = _page(client, staff_alice, f"/admin/liens-subordinations/{request.pk}/")
    assert ">Approve<" not in html
    assert "Withdraw" in html


def test_a_supervisor_sees_approve_and_deny_on_anothers_review(
    client, staff_alice, supervisor_bob
):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        html = _page(
            client, supervisor_bob, f"/admin/liens-subordinations/{request.pk}/"
        )
    assert ">Approve<" in html
    assert "Deny with a reason" in html


def test_approve_shows_a_confirmation_then_approves(
    client, staff_alice, supervisor_bob
):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        url = f"/admin/liens-subordinations/{request.pk}/approve/"
        html = _page(client, supervisor_bob, url)
        assert "Approve the subordination" in html
        request.refresh_from_db()
        assert request.status == SubordinationStatus.IN_REVIEW
        response = client.post(url)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SubordinationStatus.APPROVED


def test_deny_without_a_reason_shows_the_message_on_the_field(
    client, staff_alice, supervisor_bob
):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        client.force_login(supervisor_bob)
        response = client.post(
            f"/admin/liens-subordinations/{request.pk}/deny/", {"reason": ""}
        )
    assert response.status_code == 200
    assert "Say why the request is denied" in response.content.decode()
    request.refresh_from_db()
    assert request.status == SubordinationStatus.IN_REVIEW


def test_a_refused_step_redirects_with_its_reason(client, staff_alice):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        client.force_login(staff_alice)
        response = client.post(
            f"/admin/liens-subordinations/{request.pk}/approve/", follow=True
        )
    assert (
        "You don&#x27;t have permission to decide subordination requests."
        in response.content.decode()
    )
    request.refresh_from_db()
    assert request.status == SubordinationStatus.IN_REVIEW


def test_the_list_and_waiting_for_my_approval(client, staff_alice, supervisor_bob):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        html = _page(
            client, supervisor_bob, "/admin/subordination_requests/?waiting=true"
        )
        assert request.reference in html
        html = _page(client, staff_alice, "/admin/subordination_requests/?waiting=true")
        assert request.reference not in html
        html = _page(
            client, staff_alice, "/admin/subordination_requests/?status=in_review"
        )
        assert request.reference in html


def test_the_rules_list_renders_for_a_supervisor(client, supervisor_bob):
    html = _page(client, supervisor_bob, "/admin/subordination_rules/")
    assert "CLTV at most 90 %" in html


def test_staff_enter_a_request(client, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        "/admin/liens-subordinations/new/",
        {
            "institution": "First Riverton Bank",
            "contact_name": "Lee Park",
            "contact_email": "lee@frb.example",
            "property_text": "P-00001",
            "borrower_name": "Carol Jensen",
            "new_loan_amount": "90000.00",
            "purpose": "home_equity",
            "appraised_value": "180000.00",
            "senior_liens_total": "0.00",
            "fee_paid": "on",
            "fee_paid_on": "2026-01-10",
            "fee_amount": "75.00",
        },
    )
    assert response.status_code == 302
    request = SubordinationRequest.objects.get()
    assert request.source == "staff"
    assert request.entered_by == staff_alice
    assert request.fee_amount.amount == 75


def test_someone_without_the_role_is_refused(client, outsider_dave):
    request = submitted_request()
    client.force_login(outsider_dave)
    response = client.get(f"/admin/liens-subordinations/{request.pk}/")
    assert response.status_code in (302, 403)


def test_after_approval_the_buttons_lead_to_the_agreement_then_recording(
    client, staff_alice, supervisor_bob
):
    with time_machine.travel(DAY):
        request = _in_review(staff_alice)
        svc.subordination_approve(actor=supervisor_bob, request=request)
        page = f"/admin/liens-subordinations/{request.pk}/"
        html = _page(client, staff_alice, page)
        assert "Generate agreement" in html
        assert "Record agreement" not in html
        client.post(f"{page}agreement/", {"new_position": "2"})
        html = _page(client, staff_alice, page)
        assert f"subordination-agreement-{request.reference}.pdf" in html
        assert "Record agreement" in html
        form = _page(client, staff_alice, f"{page}record/")
        assert "Recording moves our lien to its new position" in form
        response = client.post(
            f"{page}record/",
            {
                "recorded_on": "2026-01-15",
                "instrument_number": "2026-001200",
                "new_position": "2",
            },
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SubordinationStatus.RECORDED
    assert request.lien.position == 2
    assert request.lien.status == "subordinated"
