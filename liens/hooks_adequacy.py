"""Back-office screens of the adequacy part (viewsets, admin URLs, menu items)."""
