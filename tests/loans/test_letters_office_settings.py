"""The office block and the remittance instructions are edited in the back
office (Settings › Office), with history, and the next letter prints them."""

from datetime import date

from django.urls import reverse

from wagtail.models import Site

import pytest
import time_machine

from loans.documents.payoff_letter import payoff_letter_html
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


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_an_administrator_edits_the_office_and_the_next_letter_prints_it(
    client, admin_user, book
):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["portal", "officesettings", site.pk])
    client.force_login(admin_user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Checks payable to" in page.content.decode()
    response = client.post(url, FORM)
    assert response.status_code == 302
    office = OfficeSettings.objects.get(site=site)
    assert office.history.latest().history_user == admin_user
    html = payoff_letter_html(loan=book("L-1"), as_of=date(2026, 2, 11))
    assert "Make your check payable to <strong>City of Riverton</strong>" in html
    assert "City of Riverton<br>PO Box 4100<br>Riverton, NY 12181" in html
    assert "<p>Write the loan number on your check.</p>" in html


def test_the_office_is_listed_in_the_settings_menu(client, admin_user):
    client.force_login(admin_user)
    menu = client.get("/admin/").content.decode()
    assert reverse("wagtailsettings:edit", args=["portal", "officesettings"]) in menu


def test_reading_the_office_writes_nothing():
    assert OfficeSettings.current().display_utility_name == (
        "Riverton Municipal Utilities"
    )
    assert not OfficeSettings.objects.exists()
