"""A message sent through the public contact form lands in the back office
for the staff who serve customers (Forms), not only for content editors;
people outside the office don't see it."""

from __future__ import annotations

from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user

import pytest

from portal.site.demo import _contact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(home):
    from portal.models.pages import ContactPage

    _contact(home)
    page = ContactPage.objects.get()
    FormSubmission.objects.create(
        page=page, form_data={"your_name": "Carol Jensen", "message": "Hello"}
    )
    return page


def test_program_staff_and_supervisors_read_contact_messages(
    client, contact, staff_alice, supervisor_bob
):
    for person in (staff_alice, supervisor_bob):
        assert list(get_forms_for_user(person)) == [contact.page_ptr]
        client.force_login(person)
        listing = client.get(f"/admin/forms/submissions/{contact.pk}/")
        assert listing.status_code == 200
        assert "Carol Jensen" in listing.content.decode()


def test_a_customer_log_in_sees_no_contact_messages(client, contact):
    customer = UserFactory()
    assert not get_forms_for_user(customer).exists()
