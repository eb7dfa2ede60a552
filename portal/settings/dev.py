"""Local development on SQLite with demo data. Not for any real customer data."""

from portal.env import env_list, env_str

from .base import *  # noqa: F403

DEBUG = True
# A development-only key; production reads DJANGO_SECRET_KEY and refuses to start without it.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
