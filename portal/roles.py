"""Roles as groups with permissions, and default approval limits.

`sync_roles()` runs after every migrate. It adds missing permissions and
default limits but never lowers a limit an administrator has edited.
Other apps extend ROLE_PERMISSIONS with their own codenames.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CUSTOMER = "Customer"
PROGRAM_STAFF = "Program staff"
CASHIER = "Cashier"
SUPERVISOR = "Supervisor"
AUDITOR = "Auditor"
CONTENT_EDITOR = "Content editor"
ROLES = [CUSTOMER, PROGRAM_STAFF, CASHIER, SUPERVISOR, AUDITOR, CONTENT_EDITOR]

# Apps whose records the auditor may read in full.
AUDITED_APPS = ["portal", "loans", "programs", "liens", "regulatory_reports"]

_CORE_RECORDS = [
    "customer",
    "utilityaccount",
    "billingperiod",
    "property",
    "document",
    "correspondence",
    "note",
]


def _crud(app: str, models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models for action in actions]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    CUSTOMER: [],
    PROGRAM_STAFF: [
        "wagtailadmin.access_admin",
        *_crud("portal", _CORE_RECORDS, ("view", "add", "change")),
    ],
    CASHIER: [
        "wagtailadmin.access_admin",
        *_crud("portal", ["customer", "utilityaccount"], ("view",)),
    ],
    SUPERVISOR: [
        "wagtailadmin.access_admin",
        *_crud("portal", _CORE_RECORDS, ("view", "add", "change")),
        "portal.view_approvallimit",
        "portal.view_approvallimitchange",
        "portal.add_approvallimitchange",
        "portal.approve_approvallimitchange",
        # Settings › Office: the office block and payment instructions on
        # letters (its history is kept like every record's).
        "portal.view_officesettings",
        "portal.change_officesettings",
    ],
    AUDITOR: ["wagtailadmin.access_admin"],  # plus every view_ permission below
    CONTENT_EDITOR: [
        "wagtailadmin.access_admin",
        *_crud("wagtailimages", ["image"], ("add", "change", "choose")),
        *_crud("wagtaildocs", ["document"], ("add", "change", "choose")),
    ],
}

# Default ceilings; administrators edit them in Settings > Approval limits.
DEFAULT_LIMITS: dict[str, dict[str, Decimal]] = {
    PROGRAM_STAFF: {"loan": Decimal("5000.00"), "rebate": Decimal("1000.00")},
    SUPERVISOR: {
        "loan": Decimal("50000.00"),
        "rebate": Decimal("25000.00"),
        "subordination": Decimal("1000000.00"),
        "write_off": Decimal("25000.00"),
        "report_filing": Decimal("0.00"),
        "adjustment": Decimal("10000.00"),
    },
}


def _app_role_extensions() -> tuple[
    dict[str, list[str]], dict[str, dict[str, Decimal]]
]:
    """Each app may add permissions and limits in its own `<app>/roles.py`
    (ROLE_PERMISSIONS and DEFAULT_LIMITS dicts keyed by role name)."""
    import importlib

    permissions = {role: list(names) for role, names in ROLE_PERMISSIONS.items()}
    limits = {role: dict(actions) for role, actions in DEFAULT_LIMITS.items()}
    for app in AUDITED_APPS[1:]:
        try:
            module = importlib.import_module(f"{app}.roles")
        except ModuleNotFoundError:
            continue
        for role, names in getattr(module, "ROLE_PERMISSIONS", {}).items():
            permissions.setdefault(role, []).extend(names)
        for role, actions in getattr(module, "DEFAULT_LIMITS", {}).items():
            limits.setdefault(role, {}).update(actions)
    return permissions, limits


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:  # an app not installed yet simply has none
            found.append(perm)
    return found


def sync_roles() -> None:
    from djmoney.money import Money

    from portal.models import ApprovalLimit

    role_permissions, default_limits = _app_role_extensions()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        perms = _permissions(role_permissions[name])
        if name == AUDITOR:
            perms += list(
                Permission.objects.filter(
                    content_type__app_label__in=AUDITED_APPS,
                    codename__startswith="view_",
                )
            )
        group.permissions.add(*perms)
        for action, amount in default_limits.get(name, {}).items():
            ApprovalLimit.objects.get_or_create(
                group=group,
                action=action,
                defaults={"max_amount": Money(amount, "USD")},
            )
    _grant_page_editing()


def _grant_page_editing() -> None:
    from wagtail.models import GroupPagePermission, Page

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    group = Group.objects.get(name=CONTENT_EDITOR)
    for codename in ["add_page", "change_page", "publish_page"]:
        perm = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=perm
        )


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate fires per app, in INSTALLED_APPS order; make every app's
    # permissions exist now so the roles get them all in one pass.
    using = kwargs.get("using", "default")
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()
