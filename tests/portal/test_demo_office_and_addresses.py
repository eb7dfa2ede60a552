"""The demo utility's letters and exports have what they print: the office
(Settings › Office) and a full mailing address for every customer."""

import io

from django.core.management import call_command

from wagtail.models import Site

import pytest

from portal.models import Customer, OfficeSettings

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_every_demo_customer_has_a_full_mailing_address():
    load()
    addresses = {
        c.display_name: (
            c.mailing_line1,
            c.mailing_line2,
            c.mailing_city,
            c.mailing_state,
            c.mailing_postal_code,
        )
        for c in Customer.objects.all()
    }
    assert addresses == {
        "Carol Jensen": ("12 Maple St", "", "Riverton", "NY", "12180"),
        "Walter Okafor": ("48 Birch Ave", "", "Riverton", "NY", "12180"),
        "Maria Delgado": ("7 Cedar Ct", "", "Riverton", "NY", "12180"),
        "Henry Liu": ("301 River Rd", "", "Riverton", "NY", "12180"),
        "Ruth Abernathy": ("19 Elm St", "", "Riverton", "NY", "12180"),
        "James Whitfield": ("PO Box 312", "", "Riverton", "NY", "12181"),
        "Riverton Bakery LLC": (
            "220 Main St",
            "Attn: Accounts Payable",
            "Riverton",
            "NY",
            "12180",
        ),
        "Northside Medical Plaza": ("PO Box 900", "", "Riverton", "NY", "12181"),
    }


def test_the_demo_fills_the_office_of_riverton_municipal_utilities():
    load()
    office = OfficeSettings.objects.get(site=Site.objects.get(is_default_site=True))
    assert office.display_utility_name == "Riverton Municipal Utilities"
    assert office.address_lines() == ["100 Main St", "Riverton, NY 12180"]
    assert (office.phone, office.hours) == (
        "(518) 555-0142",
        "Monday to Friday, 8:00 a.m. to 4:30 p.m.",
    )
    assert office.payable_to == "Riverton Municipal Utilities"
    assert office.remittance_address_lines() == ["PO Box 4100", "Riverton, NY 12181"]


def test_a_rerun_keeps_what_staff_changed_in_the_office_and_addresses():
    load()
    office = OfficeSettings.objects.get()
    office.phone = "(518) 555-0199"
    office.save()
    carol = Customer.objects.get(last_name="Jensen")
    carol.mailing_line1 = "PO Box 77"
    carol.save()
    load()
    assert OfficeSettings.objects.get().phone == "(518) 555-0199"
    assert Customer.objects.get(last_name="Jensen").mailing_line1 == "PO Box 77"
