"""Fixed personas (healthchecks style): alice is program staff, bob a
supervisor, carol a customer, dave has no role at all."""

from __future__ import annotations

from django.contrib.auth.models import Group

import pytest

from portal import roles
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters (log-in,
    API tokens, the lender form) and cached menus never leak from one test
    into the next, whatever the order the tests run in."""
    from django.core.cache import cache

    cache.clear()


def _user(username: str, role: str | None):
    user = UserFactory(username=username, first_name=username.title())
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff_alice(db):
    return _user("alice", roles.PROGRAM_STAFF)


@pytest.fixture
def supervisor_bob(db):
    return _user("bob", roles.SUPERVISOR)


@pytest.fixture
def cashier_casey(db):
    return _user("casey", roles.CASHIER)


@pytest.fixture
def auditor_audrey(db):
    return _user("audrey", roles.AUDITOR)


@pytest.fixture
def customer_carol(db):
    user = _user("carol", roles.CUSTOMER)
    CustomerFactory(first_name="Carol", last_name="Jensen", user=user)
    return user


@pytest.fixture
def outsider_dave(db):
    return _user("dave", None)


@pytest.fixture
def api_client_for(client):
    """A test client that sends a fresh bearer token for the given user."""
    from wagtail.models import APIToken

    def make(user):
        _, plaintext = APIToken.create_token(user=user, name="test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
        return client

    return make
