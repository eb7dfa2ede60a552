"""Back-office screens of the deposits part (viewsets, admin URLs, menu items)."""
