"""No models. The module's presence makes `migrate` send this app its
post_migrate signal, which creates the database cache table (apps.py)."""
