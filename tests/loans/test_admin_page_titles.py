"""The back office's own pages (bad-check ledger, batch upload, budget
change) carry their title in the browser tab and the heading."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SUFFIX = " - Riverton Municipal Utilities"


def heading(page):
    return " ".join(BeautifulSoup(page, "html.parser").find("h1").get_text(" ").split())


def title_and_heading(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    title = " ".join(page.split("<title>", 1)[1].split("</title>", 1)[0].split())
    return title, page


@pytest.mark.parametrize(
    "name, words",
    [
        ("loan_bad_check_ledger", "Bad-check ledger"),
        ("loan_payment_batch_upload", "Post a payment batch"),
    ],
)
def test_loan_office_pages_have_their_title(client, supervisor_bob, name, words):
    title, page = title_and_heading(client, supervisor_bob, reverse(name))
    assert title == words + SUFFIX
    assert heading(page) == words


def test_budget_change_page_has_its_title(client, supervisor_bob):
    program = ProgramFactory(code="GIP")
    url = reverse("program_change_budget", args=[program.pk])
    title, page = title_and_heading(client, supervisor_bob, url)
    assert title == "Change the budget of GIP" + SUFFIX
    assert heading(page) == "Change the budget of GIP"
