"""The authentication backends: Django's and allauth's, reading what every
request needs in fewer queries.

Every back-office page needs the logged-in user, their Wagtail profile
(language, time zone, keyboard shortcuts), their permissions and their role
names (the two-factor rule, the dashboard's panels). Django reads them in
five queries: the user, the profile, the user's own permissions, the groups'
permissions, and the role names. Here they are two: the user joined to the
profile (`get_user`), and the role names with every permission, the groups'
and the user's own, in one UNION (`load_roles_and_permissions`). The
permission sets are Django's own caches on the user object, for the request
only (as ModelBackend keeps them), so a change of role shows on the next
request.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from portal.db.precompiled import Precompiled


def load_roles_and_permissions(user: Any) -> None:
    """Read the user's role (group) names and permissions in one query and
    keep them on the user for the request: `_portal_roles`, and
    ModelBackend's `_user_perm_cache`, `_group_perm_cache` and `_perm_cache`
    (the last only for active users, as ModelBackend gives the inactive
    none). A superuser's permissions are every permission: ModelBackend
    reads those itself."""
    if not getattr(user, "is_authenticated", False):
        return
    with connection.cursor() as cursor:
        cursor.execute(_roles_and_permissions_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    roles: set[str] = set()
    group_perms: set[str] = set()
    user_perms: set[str] = set()
    for role, app_label, codename in rows:
        if role:
            roles.add(role)
            if codename is not None:
                group_perms.add(f"{app_label}.{codename}")
        else:
            user_perms.add(f"{app_label}.{codename}")
    user._portal_roles = frozenset(roles)
    if user.is_superuser or not user.is_active:
        return
    user._user_perm_cache = user_perms
    user._group_perm_cache = group_perms
    user._perm_cache = user_perms | group_perms


@functools.cache
def _roles_and_permissions_sql() -> str:
    """The role names with their permissions, and the user's own permissions
    (role ""), for one user id given twice. Plain SQL built once from the
    models' tables: every API call and page runs it, and the ORM spent more
    CPU building the same UNION than the database spent running it."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    in_group = user_model.groups.through._meta
    own = user_model.user_permissions.through._meta
    granted = Group.permissions.through._meta

    def column(meta: Any, name: str) -> str:
        return quote(meta.get_field(name).column)

    group, permission, content_type = (
        quote(model._meta.db_table) for model in (Group, Permission, ContentType)
    )
    # An auto-created many-to-many table names its column after the model.
    user_field = str(user_model._meta.model_name)
    return (
        "SELECT g.name, ct.app_label, p.codename"  # noqa: S608 - our own table names
        f" FROM {quote(in_group.db_table)} ug"
        f" JOIN {group} g ON g.id = ug.{column(in_group, 'group')}"
        f" LEFT JOIN {quote(granted.db_table)} gp ON gp.{column(granted, 'group')} = g.id"
        f" LEFT JOIN {permission} p ON p.id = gp.{column(granted, 'permission')}"
        f" LEFT JOIN {content_type} ct ON ct.id = p.content_type_id"
        f" WHERE ug.{column(in_group, user_field)} = %s"
        " UNION ALL"
        " SELECT '', ct.app_label, p.codename"
        f" FROM {quote(own.db_table)} up"
        f" JOIN {permission} p ON p.id = up.{column(own, 'permission')}"
        f" JOIN {content_type} ct ON ct.id = p.content_type_id"
        f" WHERE up.{column(own, user_field)} = %s"
    )


@functools.cache
def _user_read() -> Precompiled:
    """The logged-in user with their Wagtail profile, read on every page:
    its SQL worked out once per process (portal.db.precompiled)."""
    users = get_user_model()._default_manager
    return Precompiled(
        lambda key: users.select_related("wagtail_userprofile").filter(pk=key)
    )


class FewerQueriesMixin:
    def get_user(self, user_id: Any) -> Any:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user_read()(key)
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> Any:
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
        ):
            load_roles_and_permissions(user_obj)
        return super().get_all_permissions(user_obj, obj)  # type: ignore[misc]


class ModelBackend(FewerQueriesMixin, DjangoModelBackend):
    """Django's ModelBackend (username and password)."""


class AuthenticationBackend(FewerQueriesMixin, AllauthBackend):
    """allauth's backend (username or e-mail and password)."""
