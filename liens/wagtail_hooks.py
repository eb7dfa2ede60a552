"""The Liens & deposits menu of the back office.

Each part of the app registers its own screens (viewsets with
`menu_hook = LIENS_MENU_HOOK`, admin URLs, menu items) in its own
`liens/hooks_<part>.py`, imported below so Wagtail loads them with this module.
"""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from liens import (  # noqa: F401 - importing registers each part's hooks
    hooks_adequacy,
    hooks_deposits,
    hooks_liens,
    hooks_subordinations,
)
from liens.menu import LIENS_MENU_HOOK


class LiensGroup(ViewSetGroup):
    menu_label = "Liens & deposits"
    menu_icon = "lock"
    menu_order = 260
    submenu_hook = LIENS_MENU_HOOK


@hooks.register("register_admin_viewset")
def register_liens_menu():
    return LiensGroup()
