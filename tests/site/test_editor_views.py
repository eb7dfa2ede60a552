"""A content editor opens every kind of public page in the page editor, sees
its revisions, and reads the contact messages under Forms."""

from django.contrib.auth.models import Group

from wagtail.models import Page

import pytest

from portal import roles
from portal.models.pages import ContactPage
from portal.site.demo import load_pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, home):
    load_pages()
    user = UserFactory(username="eddie")
    user.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    client.force_login(user)
    return client


def test_every_kind_of_page_opens_in_the_editor(editor_client):
    kinds = set()
    for page in Page.objects.filter(depth__gte=2).specific():
        if type(page) in kinds:
            continue
        kinds.add(type(page))
        response = editor_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, type(page).__name__
        history = editor_client.get(f"/admin/pages/{page.pk}/history/")
        assert history.status_code == 200, type(page).__name__
    assert {k.__name__ for k in kinds} == {
        "HomePage",
        "ProgramPage",
        "FAQPage",
        "ArticleIndexPage",
        "ArticlePage",
        "ContactPage",
    }


def test_the_contact_messages_list_opens_under_forms(editor_client):
    contact = ContactPage.objects.get()
    editor_client.post(
        contact.url,
        {
            "your_name": "Carol Jensen",
            "e_mail": "carol@example.com",
            "topic": "Payments and billing",
            "message": "Please call me about my bill.",
        },
    )
    response = editor_client.get(f"/admin/forms/submissions/{contact.pk}/")
    assert response.status_code == 200
    assert "Please call me about my bill." in response.content.decode()
