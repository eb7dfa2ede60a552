"""Back-office screens of the subordinations part (viewsets, admin URLs, menu items)."""
