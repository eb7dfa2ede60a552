"""Back-office screens of the liens part (viewsets, admin URLs, menu items)."""
