"""In the back office's page editor, a program page with a code that names no
program or loan product is refused with the message on the code field, and
nothing is created; a known code is saved as a draft."""

from django.contrib.auth.models import Group

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from portal import roles
from portal.models import ProgramPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="eddie")
    user.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    client.force_login(user)
    return client


def post_page(client, home, code):
    data = nested_form_data(
        {
            "title": "Heat pump loans",
            "slug": "heat-pump-loans",
            "program_code": code,
            "summary": "Loans for heat pumps.",
            "body": rich_text("<p>Prose.</p>"),
            "eligibility": rich_text(""),
            "how_to_apply": rich_text(""),
            "comments": inline_formset([]),
        }
    )
    return client.post(f"/admin/pages/add/portal/programpage/{home.pk}/", data)


def test_an_unknown_code_is_refused_on_its_field_and_nothing_is_created(
    editor_client, home
):
    response = post_page(editor_client, home, "EE-TYPO")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["program_code"] == [
        "No program or loan product has the code “EE-TYPO”. Use the code shown "
        "in the back office under Programs or Loan products (e.g. GIP or EE)."
    ]
    assert not ProgramPage.objects.filter(slug="heat-pump-loans").exists()


def test_a_known_code_is_saved_as_a_draft(editor_client, home):
    response = post_page(editor_client, home, "EE")
    assert response.status_code == 302
    page = ProgramPage.objects.get(slug="heat-pump-loans")
    assert page.program_code == "EE" and not page.live
