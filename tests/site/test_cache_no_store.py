"""`Cache-Control: no-store, private` on everything personal
(portal.site.cache.NoStoreMiddleware): the customer area, the back office,
the API, and every answer to someone logged in."""

from __future__ import annotations

import pytest

from tests.site.frame_pages import make_public_site

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_log_in_page_is_no_store_and_private(client):
    response = client.get("/account/login/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_a_customer_area_redirect_is_no_store_too(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert {"no-store", "private"} <= _directives(response)


def test_my_account_is_no_store_for_the_customer(client, customer_carol):
    client.force_login(customer_carol)
    response = client.get("/account/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_the_back_office_is_no_store(client, staff_alice):
    client.force_login(staff_alice)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_a_public_page_is_no_store_for_someone_logged_in(client, customer_carol):
    make_public_site()
    client.force_login(customer_carol)
    response = client.get("/heat-pumps/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_a_public_page_for_an_anonymous_visitor_is_not_marked_private(client):
    make_public_site()
    response = client.get("/heat-pumps/")
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_answer_already_private_and_no_store_keeps_its_own_header(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from portal.site.cache import NoStoreMiddleware

    def view(request):
        response = HttpResponse("a customer's document")
        response["Cache-Control"] = "private, no-store"
        return response

    request = rf.get("/account/documents/1/")
    request.user = AnonymousUser()
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "private, no-store"
