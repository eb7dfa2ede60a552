"""The FAQ groups questions by topic with deep-link anchors, and the site
search (Wagtail's database backend) finds the FAQ by a word of an answer."""

import pytest

from portal.models import FAQItem, FAQPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def faq(home, add_page):
    page = FAQPage(title="Frequently asked questions", slug="faq")
    for order, (topic, question, answer) in enumerate(
        [
            ("Loans", "Can I pay my loan off early?", "<p>Yes, without a penalty.</p>"),
            (
                "Payments",
                "Can my bill be paid automatically?",
                "<p>Enroll in AutoPay.</p>",
            ),
            ("Loans", "Is a lien placed on my home?", "<p>Above the threshold.</p>"),
        ]
    ):
        page.questions.add(
            FAQItem(topic=topic, question=question, answer=answer, sort_order=order)
        )
    return add_page(home, page)


def test_questions_are_grouped_by_topic_in_page_order(client, faq):
    body = client.get(faq.url).content.decode()
    loans, payments = body.index("<h2>Loans</h2>"), body.index("<h2>Payments</h2>")
    assert loans < body.index("Is a lien placed on my home?") < payments


def test_each_question_has_an_anchor_to_link_to(client, faq):
    body = client.get(faq.url).content.decode()
    assert (
        '<h3 id="can-i-pay-my-loan-off-early">'
        '<a href="#can-i-pay-my-loan-off-early">Can I pay my loan off early?</a></h3>'
    ) in body
    assert 'href="#topic-payments"' in body and 'id="topic-payments"' in body


def test_the_site_search_finds_the_faq_by_a_word_of_an_answer(client, faq):
    body = client.get("/search/", {"q": "autopay"}).content.decode()
    assert "Frequently asked questions" in body
    # The matching question links straight to its answer.
    assert f'href="{faq.url}#can-my-bill-be-paid-automatically"' in body
    assert "Can I pay my loan off early?" not in body


def test_a_search_with_no_match_says_so(client, faq):
    body = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing found for “zeppelin”." in body
