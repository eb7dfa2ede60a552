"""The contact page shows the office's hours from Settings › Office; its
form (Wagtail's form builder) keeps each message for the back office (Forms)
and e-mails it to the office; a flood from one address is refused."""

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

import pytest

from portal.models import OfficeSettings
from portal.site.demo import _contact

pytestmark = pytest.mark.django_db

MESSAGE = {
    "your_name": "Carol Jensen",
    "e_mail": "carol@example.com",
    "account_number": "100001",
    "topic": "Loans",
    "message": "Can I pay my loan off early?",
}


@pytest.fixture
def contact(home):
    OfficeSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        office_name="Customer Finance Office",
        line1="100 Main St",
        city="Riverton",
        state="NY",
        postal_code="12180",
        phone="(518) 555-0142",
        email="finance@riverton.example",
        hours="Monday to Friday, 8:00 a.m. to 4:30 p.m.",
    )
    _contact(home)
    from portal.models.pages import ContactPage

    return ContactPage.objects.get()


def test_the_page_shows_the_offices_hours_address_and_phone(client, contact):
    body = client.get(contact.url).content.decode()
    assert "<dd>Monday to Friday, 8:00 a.m. to 4:30 p.m.</dd>" in body
    assert "100 Main St" in body and "(518) 555-0142" in body
    assert '<label for="id_account_number">Account number</label>' in body


def test_a_message_is_kept_for_the_back_office_and_emailed(client, contact, mailoutbox):
    response = client.post(contact.url, MESSAGE)
    assert response.status_code == 200
    assert "Thank you, we answer within two working days." in response.content.decode()
    submission = FormSubmission.objects.get(page=contact)
    assert submission.get_data()["message"] == "Can I pay my loan off early?"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["finance@riverton.example"]
    assert mailoutbox[0].reply_to == ["carol@example.com"]
    assert "Account number: 100001" in mailoutbox[0].body


def test_the_account_number_may_be_left_out(client, contact):
    client.post(contact.url, {**MESSAGE, "account_number": ""})
    assert FormSubmission.objects.filter(page=contact).count() == 1


def test_a_bad_email_is_refused_on_its_field_and_nothing_is_kept(
    client, contact, mailoutbox
):
    response = client.post(contact.url, {**MESSAGE, "e_mail": "carol at home"})
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert 'id="id_e_mail_error"' in body
    assert FormSubmission.objects.count() == 0 and mailoutbox == []


def test_the_sixth_message_in_an_hour_is_refused_with_a_clear_message(
    client, contact, mailoutbox
):
    for _ in range(5):
        assert client.post(contact.url, MESSAGE).status_code == 200
    response = client.post(contact.url, MESSAGE)
    assert response.status_code == 429
    assert (
        "You have already sent 5 messages in the last hour" in response.content.decode()
    )
    assert FormSubmission.objects.count() == 5 and len(mailoutbox) == 5


def test_content_editors_find_the_messages_under_forms_in_the_back_office(contact):
    from django.contrib.auth.models import Group

    from wagtail.contrib.forms.utils import get_forms_for_user

    from portal import roles
    from tests.factories import UserFactory

    eddie = UserFactory(username="eddie")
    eddie.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    assert list(get_forms_for_user(eddie).specific()) == [contact]
