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

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend


def load_roles_and_permissions(user: Any) -> None:
    """Read the user's role (group) names and permissions in one query and
    keep them on the user for the request: `_portal_roles`, and
    ModelBackend's `_user_perm_cache`, `_group_perm_cache` and `_perm_cache`
    (the last only for active users, as ModelBackend gives the inactive
    none). A superuser's permissions are every permission: ModelBackend
    reads those itself."""
    if not getattr(user, "is_authenticated", False):
        return
    groups = Group.objects.filter(user=user).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    own = (
        Permission.objects.filter(user=user)
        .annotate(role=Value("", output_field=CharField()))
        .values_list("role", "content_type__app_label", "codename")
    )
    roles: set[str] = set()
    group_perms: set[str] = set()
    user_perms: set[str] = set()
    for role, app_label, codename in groups.order_by().union(own.order_by(), all=True):
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


class FewerQueriesMixin:
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("wagtail_userprofile")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
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
