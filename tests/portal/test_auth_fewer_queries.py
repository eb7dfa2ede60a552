"""A back-office page reads the user with their Wagtail profile in one query,
and their role names with every permission in one more
(portal.auth.backends): the same permissions Django's ModelBackend reads,
kept for the request only, so a change shows on the next page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from portal import roles
from portal.admin_chrome import clear_sidebar_cache
from portal.auth.backends import load_roles_and_permissions

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_a_page_reads_roles_and_permissions_in_one_query_and_no_profile_query(
    client, auditor_audrey, settings
):
    # With two-factor required the middleware asks for the roles first; the
    # sidebar, kept from the first page, asks Wagtail's own permissions.
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    client.force_login(auditor_audrey)
    client.get(reverse("customers:index"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("customers:index"))
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([q for q in sql if "auth_permission" in q]) == 1
    assert len([q for q in sql if "auth_user_groups" in q]) == 1
    assert not any(q.startswith('SELECT "wagtailusers_userprofile"') for q in sql)
    clear_sidebar_cache()


@pytest.mark.parametrize(
    "role",
    [roles.PROGRAM_STAFF, roles.SUPERVISOR, roles.CASHIER, roles.AUDITOR, None],
)
def test_the_permissions_are_the_ones_djangos_backend_reads(role):
    user = get_user_model().objects.create_user("someone")
    if role:
        user.groups.add(Group.objects.get(name=role))
    user.user_permissions.add(Permission.objects.get(codename="view_loanproduct"))
    ours = fresh(user)
    load_roles_and_permissions(ours)
    django = fresh(user)
    backend = DjangoModelBackend()
    assert ours._perm_cache == backend.get_all_permissions(django)
    assert ours._group_perm_cache == backend.get_group_permissions(django)
    assert ours._user_perm_cache == {"loans.view_loanproduct"}
    assert ours._portal_roles == frozenset([role] if role else [])


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "x")
    assert len(fresh(boss).get_all_permissions()) == Permission.objects.count()
    gone = get_user_model().objects.create_user("gone", is_active=False)
    gone.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    assert fresh(gone).get_all_permissions() == set()
    assert not fresh(gone).has_perm("wagtailadmin.access_admin")


def test_a_role_given_between_two_pages_counts_on_the_second(client, outsider_dave):
    client.force_login(outsider_dave)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    outsider_dave.groups.add(Group.objects.get(name=roles.AUDITOR))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    outsider_dave.groups.clear()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
