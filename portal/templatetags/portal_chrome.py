"""The back office's chrome tags (portal.admin_chrome)."""

from django import template

from portal.admin_chrome import cached_filter_menu

register = template.Library()
register.simple_tag(cached_filter_menu, takes_context=True, name="cached_filter_menu")
