"""The demo builds a believable public site, and running it again changes
nothing."""

import io

from django.core.management import call_command

from wagtail.models import Page, Revision

import pytest

from loans.models import LoanProduct
from portal.models import FAQPage, ProgramPage
from portal.models.pages import ArticlePage, ContactPage
from programs.models import Program

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_the_demo_site_is_complete_and_loading_it_twice_changes_nothing(client):
    load()
    pages, revisions = Page.objects.count(), Revision.objects.count()
    codes = set(ProgramPage.objects.values_list("program_code", flat=True))
    assert set(Program.objects.values_list("code", flat=True)) <= codes
    assert set(LoanProduct.objects.values_list("code", flat=True)) <= codes
    faq = FAQPage.objects.get()
    assert faq.questions.count() >= 10
    assert {"Loans", "Rebates", "Liens", "Payments"} <= set(
        faq.questions.values_list("topic", flat=True)
    )
    assert ArticlePage.objects.live().count() >= 4
    assert {a.kind for a in ArticlePage.objects.all()} == {
        "news",
        "tutorial",
        "article",
    }
    assert ContactPage.objects.get().form_fields.count() == 5
    for page in Page.objects.live().filter(depth__gte=2):
        assert client.get(page.url).status_code == 200, page.url

    load()
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_the_demo_faq_is_found_by_a_word_of_an_answer(client):
    load()
    body = client.get("/search/", {"q": "AutoPay"}).content.decode()
    assert "Frequently asked questions" in body
