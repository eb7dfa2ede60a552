"""The hook name screens use to join the Liens & deposits menu
(a viewset's `menu_hook`, or `@hooks.register(LIENS_MENU_HOOK)` for a menu item)."""

LIENS_MENU_HOOK = "register_liens_menu_item"
