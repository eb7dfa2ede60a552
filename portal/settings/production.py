"""Production: PostgreSQL through DATABASE_URL, HTTPS only, secrets from the environment.

Required: DJANGO_SECRET_KEY, ALLOWED_HOSTS (comma-separated), DATABASE_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS]
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Log-in security (portal/auth): supervisors, cashiers and program staff use
# an authenticator app. Rate limits and used one-time codes are kept in a
# cache every app process shares (its table is made by `migrate`), counted
# per client address as seen by the TRUSTED_PROXY_COUNT proxies in front
# (the one that sets X-Forwarded-Proto appends X-Forwarded-For).
PORTAL_STAFF_MFA_REQUIRED = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
    # Anonymous public pages (portal/site/cache.py): files every gunicorn
    # worker shares, so a purge on publish reaches all of them, and a hit
    # costs no database query (measured against the database cache:
    # tests/benchmarks/test_public_page_load.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("PORTAL_PAGE_CACHE_DIR", str(BASE_DIR / "page-cache")),  # noqa: F405
        "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_PAGE_CACHE_MAX_ENTRIES", 2000)},
    },
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Each app process keeps its database connection between requests (opening
# one costs a PostgreSQL backend start and authentication, several ms of CPU
# on both sides, on every page); a connection that broke is replaced before
# the next request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 300)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
