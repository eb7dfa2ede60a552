"""The session store (portal.auth.sessions) reads a session by its key with
precompiled SQL and answers as Django's database store does: a live session
is loaded, an expired or unknown one is no session, and a log-in lasts from
one request to the next."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

from portal.auth.sessions import SessionStore
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def test_the_portal_uses_this_store():
    assert settings.SESSION_ENGINE == "portal.auth.sessions"


def test_a_live_session_is_loaded_with_its_data():
    store = SessionStore()
    store["basket"] = "three rebates"
    store.save()
    again = SessionStore(session_key=store.session_key)
    assert again["basket"] == "three rebates"
    assert again.session_key == store.session_key


def test_an_expired_session_is_no_session():
    store = SessionStore()
    store["basket"] = "three rebates"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(session_key=store.session_key)
    assert again.load() == {}
    assert again.session_key is None


def test_an_unknown_key_is_no_session():
    again = SessionStore(session_key="nosuchsessionkey0123456789abcdef")
    assert again.load() == {}
    assert again.session_key is None


def test_a_log_in_lasts_to_the_next_request(client):
    user = UserFactory(username="auditor-session", is_staff=True)
    client.force_login(user)
    page = client.get("/account/login/")
    assert page.wsgi_request.user.username == "auditor-session"
