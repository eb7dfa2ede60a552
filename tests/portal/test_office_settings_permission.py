"""Settings › Office is edited by supervisors (a role permission, not only
superusers), each change kept in its audit history with who made it; program
staff and cashiers can't open it."""

from django.urls import reverse

from wagtail.models import Site

import pytest

from portal.models import OfficeSettings

pytestmark = pytest.mark.django_db

FORM = {
    "utility_name": "Riverton Municipal Utilities",
    "office_name": "Customer Finance Office",
    "line1": "100 Main St",
    "line2": "",
    "city": "Riverton",
    "state": "NY",
    "postal_code": "12180",
    "phone": "(518) 555-0100",
    "email": "finance@riverton.example",
    "hours": "Monday to Friday, 8:00 a.m. to 4:30 p.m.",
    "payable_to": "City of Riverton",
    "remit_line1": "PO Box 4100",
    "remit_line2": "",
    "remit_city": "Riverton",
    "remit_state": "NY",
    "remit_postal_code": "12181",
    "remittance_instructions": "Write the loan number on your check.",
}


def edit_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["portal", "officesettings", site.pk])


def test_a_supervisor_edits_the_office_and_the_change_is_in_its_history(
    client, supervisor_bob
):
    client.force_login(supervisor_bob)
    menu = client.get("/admin/").content.decode()
    assert reverse("wagtailsettings:edit", args=["portal", "officesettings"]) in menu
    assert client.get(edit_url()).status_code == 200
    assert client.post(edit_url(), FORM).status_code == 302
    office = OfficeSettings.objects.get()
    assert office.phone == "(518) 555-0100"

    assert client.post(edit_url(), {**FORM, "phone": "(518) 555-0199"}).status_code == (
        302
    )
    latest = office.history.latest()
    assert (latest.history_user, latest.phone) == (supervisor_bob, "(518) 555-0199")
    # Opening the page creates the blank row, then two saves: all by bob.
    assert {row.history_user for row in office.history.all()} == {supervisor_bob}

    page = client.get(edit_url()).content.decode()
    history = reverse("audit_history", args=["portal", "officesettings", office.pk])
    assert history in page
    trail = client.get(history)
    assert trail.status_code == 200
    assert "(518) 555-0199" in trail.content.decode()


@pytest.mark.parametrize("persona", ["staff_alice", "cashier_casey"])
def test_staff_and_cashiers_cannot_edit_the_office(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    # Wagtail answers a refused permission by sending them to the dashboard.
    assert client.get(edit_url())["Location"] == "/admin/"
    assert client.post(edit_url(), FORM)["Location"] == "/admin/"
    assert not OfficeSettings.objects.exists()
    menu = client.get("/admin/").content.decode()
    assert reverse("wagtailsettings:edit", args=["portal", "officesettings"]) not in (
        menu
    )
