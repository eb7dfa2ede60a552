"""News and guides: a listing newest first, paginated, filtered by tag; an
article shows its kind, date in words and tags; the home page shows the
latest three."""

from datetime import date

import pytest

from portal.models.pages import ArticleIndexPage, ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home, add_page):
    return add_page(home, ArticleIndexPage(title="News and guides", slug="news"))


def article(add_page, news, slug, day, tags=(), kind="news"):
    page = ArticlePage(
        title=slug.replace("-", " ").capitalize(),
        slug=slug,
        date=day,
        kind=kind,
        summary=f"About {slug}.",
        body="<p>Body.</p>",
    )
    page.tags.add(*tags)
    return add_page(news, page)


def test_the_listing_is_newest_first(client, news, add_page):
    article(add_page, news, "older", date(2026, 5, 1))
    article(add_page, news, "newer", date(2026, 9, 1))
    body = client.get(news.url).content.decode()
    assert body.index("Newer") < body.index("Older")


def test_the_listing_filters_by_tag(client, news, add_page):
    article(add_page, news, "heat-pumps", date(2026, 5, 1), tags=["Rebates"])
    article(add_page, news, "bills", date(2026, 6, 1), tags=["Billing"])
    body = client.get(news.url, {"tag": "rebates"}).content.decode()
    assert "Heat pumps" in body and "Bills" not in body
    assert "Showing what is tagged “Rebates”." in body


def test_an_unknown_tag_says_nothing_is_tagged_with_it(client, news, add_page):
    article(add_page, news, "bills", date(2026, 6, 1), tags=["Billing"])
    body = client.get(news.url, {"tag": "nope"}).content.decode()
    assert "Nothing is tagged “nope”." in body and "Bills" not in body


def test_the_listing_pages_by_ten(client, news, add_page):
    for n in range(12):
        article(add_page, news, f"item-{n:02d}", date(2026, 1, n + 1))
    first = client.get(news.url).content.decode()
    second = client.get(news.url, {"page": "2"}).content.decode()
    assert "Item 11" in first and "Item 01" not in first
    assert "Item 01" in second and "Page 2 of 2" in second
    # A page number out of range shows the last page rather than an error.
    assert client.get(news.url, {"page": "99"}).status_code == 200


def test_an_article_shows_kind_date_in_words_and_tags(client, news, add_page):
    page = article(
        add_page, news, "attic", date(2026, 8, 20), tags=["Insulation"], kind="tutorial"
    )
    body = client.get(page.url).content.decode()
    assert '<span class="status">How-to guide</span>' in body
    assert "August 20, 2026" in body
    assert f'href="{news.url}?tag=insulation">Insulation</a>' in body


def test_the_home_page_shows_the_three_latest(client, home, news, add_page):
    for n in range(4):
        article(add_page, news, f"story-{n}", date(2026, 3, n + 1))
    body = client.get("/").content.decode()
    assert "Story 3" in body and "Story 1" in body and "Story 0" not in body
    assert "Latest news" in body
