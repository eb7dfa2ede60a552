import io

from django.core.management import call_command

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(db):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_the_home_page_lists_programs(client, demo_site):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Energy-efficiency loans" in body and "Gas Incentive Program" in body


def test_the_faq_groups_questions_by_topic(client, demo_site):
    body = client.get("/faq/").content.decode()
    assert body.index("<h2>Loans</h2>") < body.index("<h2>Rebates</h2>")


def test_the_faq_search_shows_only_matching_questions(client, demo_site):
    body = client.get("/faq/", {"q": "lien"}).content.decode()
    assert "Is a lien placed on my home?" in body
    assert "How long does a rebate take?" not in body


def test_site_search_finds_program_pages(client, demo_site):
    call_command("update_index", stdout=io.StringIO())
    body = client.get("/search/", {"q": "solar"}).content.decode()
    assert "Energy-efficiency loans" in body


def test_a_customer_sees_their_own_accounts(client, demo_site):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="carol"))
    response = client.get("/account/")
    assert "100001" in response.content.decode()
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )


def test_every_demo_program_has_its_public_page(client, demo_site):
    from programs.models import Program

    for program in Program.objects.all():
        assert program.page is not None, program.code
        assert client.get(program.page.url).status_code == 200
