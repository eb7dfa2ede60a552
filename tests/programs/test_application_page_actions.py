"""The application's page offers exactly the actions its predicates open to
the user, under human labels; the action view refuses with the predicate's
reason and reports success as "RA-000004: review started."."""

import re
from datetime import date

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from programs import services as svc
from tests.factories import RebateApplicationFactory

pytestmark = pytest.mark.django_db


def buttons(client, app) -> list[str]:
    page = client.get(reverse("rebate_applications:inspect", args=[app.pk]))
    assert page.status_code == 200
    return re.findall(
        r'<button class="button" type="submit">([^<]+)</button>', page.content.decode()
    )


def act(client, app, action, data=None) -> list[str]:
    response = client.post(reverse("rebate_action", args=[app.pk, action]), data or {})
    assert response.status_code == 302
    assert response["Location"] == reverse("rebate_applications:inspect", args=[app.pk])
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    client.get(response["Location"])  # the page shows (and so clears) them
    return shown


@pytest.mark.parametrize(
    ("state", "labels"),
    [
        ("submitted", ["Start review", "Deny"]),
        (
            "in_review",
            ["Request information", "Schedule inspection", "Approve", "Deny"],
        ),
        ("needs_information", ["Information received", "Deny"]),
        ("inspection_scheduled", ["Record inspection", "Deny"]),
        ("inspected", ["Approve", "Deny"]),
        ("approved", ["Cancel approval", "Pay by check", "Pay by bill credit"]),
        ("denied", []),
        ("paid", []),
        ("cancelled", []),
    ],
)
def test_the_page_offers_the_actions_open_in_each_state(
    client, staff_alice, state, labels
):
    app = RebateApplicationFactory(status=state, inspection_passed=None)
    client.force_login(staff_alice)
    assert buttons(client, app) == labels


def test_after_a_failed_inspection_the_page_offers_only_denial(client, staff_alice):
    app = RebateApplicationFactory(status="inspected", inspection_passed=False)
    client.force_login(staff_alice)
    assert buttons(client, app) == ["Deny"]


def test_someone_who_may_only_read_sees_no_actions(client, cashier_casey):
    app = RebateApplicationFactory(status="submitted")
    client.force_login(cashier_casey)
    assert buttons(client, app) == []
    assert act(client, app, "start_review") == [
        "You don't have permission to work on rebate applications."
    ]
    app.refresh_from_db()
    assert app.status == "submitted"


def test_an_action_not_open_is_refused_with_the_predicates_reason(client, staff_alice):
    app = RebateApplicationFactory(status="submitted")
    client.force_login(staff_alice)
    assert act(client, app, "schedule_inspection", {"inspect_on": "2026-03-10"}) == [
        f"Application RA-{app.pk:06d} is submitted; it can't be scheduled for "
        "inspection from there."
    ]
    app.refresh_from_db()
    assert (app.status, app.inspection_scheduled_for) == ("submitted", None)


def test_an_unknown_action_is_not_found(client, staff_alice):
    app = RebateApplicationFactory(status="submitted")
    client.force_login(staff_alice)
    response = client.post(reverse("rebate_action", args=[app.pk, "delete"]))
    assert response.status_code == 404


def test_each_step_reports_what_happened_in_words(
    client, apply, staff_alice, supervisor_bob
):
    app = apply()
    ref = f"RA-{app.pk:06d}"
    client.force_login(staff_alice)
    assert act(client, app, "start_review") == [f"{ref}: review started."]
    assert act(
        client, app, "request_information", {"question": "Send the invoice."}
    ) == [f"{ref}: information requested; the application waits for the customer."]
    assert act(client, app, "provide_information") == [
        f"{ref}: information received; review resumed."
    ]
    assert act(client, app, "schedule_inspection", {"inspect_on": "2026-03-10"}) == [
        f"{ref}: inspection scheduled for March 10, 2026."
    ]
    assert act(
        client,
        app,
        "record_inspection",
        {"passed": "yes", "notes": "", "inspected_on": "2026-03-10"},
    ) == [f"{ref}: inspection passed."]
    client.force_login(supervisor_bob)
    assert act(client, app, "approve", {"amount": "250.00"}) == [
        f"{ref}: approved; $250.00 reserved from REE's budget."
    ]
    assert act(client, app, "cancel", {"reason": "Customer withdrew."}) == [
        f"{ref}: approval cancelled; $250.00 released to REE's budget."
    ]
    app.refresh_from_db()
    assert app.status == "cancelled"
    assert app.inspection_scheduled_for == date(2026, 3, 10)


def test_a_missing_input_is_named_and_changes_nothing(client, apply, staff_alice):
    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    client.force_login(staff_alice)
    assert act(client, app, "deny", {"reasons": "  "}) == [
        "Reasons: Give the reasons for the denial."
    ]
    assert act(client, app, "schedule_inspection", {"inspect_on": "next week"}) == [
        "Inspection date: Enter a date such as 2026-03-10."
    ]
    app.refresh_from_db()
    assert app.status == "in_review"
