"""Wagtail's /admin/login/ takes no password: it sends people to the one
log-in, keeping where they were going."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_log_in_redirects_to_the_one_log_in_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/loans/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fadmin%2Floans%2F"


def test_the_admin_log_in_without_next_leads_back_to_the_back_office(client):
    response = client.get("/admin/login/")
    assert response["Location"] == "/account/login/?next=%2Fadmin%2F"


def test_a_password_posted_to_the_admin_log_in_logs_no_one_in(client, staff_alice):
    response = client.post(
        "/admin/login/", {"username": "alice", "password": "pw-for-tests"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"] == "/account/login/?next=/admin/"


def test_the_back_office_sends_anonymous_visitors_to_the_one_log_in(client):
    response = client.get("/admin/loans/")
    assert response["Location"] == "/account/login/?next=/admin/loans/"


def test_wagtails_own_password_reset_is_off(client):
    assert client.get("/admin/password_reset/").status_code == 404
