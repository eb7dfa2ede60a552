import re
from pathlib import Path

from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from allauth.account import views as allauth_views

from portal import document_views, views
from portal.api_errors import api_not_found
from portal.api_v1 import api
from portal.auth.views import admin_login_redirect
from portal.customer import views_accounts

# The Django admin is deliberately not mounted: staff work in the Wagtail admin.
account_patterns = (
    [
        path("", views_accounts.account_home, name="account"),
        # The one log-in (django-allauth): rate-limited, with two-factor
        # authentication; the rest of allauth's pages follow below.
        path("login/", allauth_views.login, name="login"),
        path("logout/", allauth_views.logout, name="logout"),
    ],
    "portal",
)

urlpatterns = [
    # Wagtail's log-in takes no password: it redirects to the one log-in.
    path("admin/login/", admin_login_redirect, name="admin_login_redirect"),
    # Customer documents for staff, inside the back office (document_views).
    path(
        "admin/customer-documents/<int:pk>/file/",
        document_views.document_file,
        {"staff": True},
        name="admin_document_file",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    # Anything else under the API answers a JSON 404, whatever the method.
    re_path(r"^api/v1/(?P<path>.*)$", api_not_found),
    # Customer documents for the customer who owns them (document_views).
    path(
        "account/documents/<int:pk>/",
        document_views.document_file,
        name="document_file",
    ),
    path("account/", include(account_patterns)),
    path("account/", include("portal.customer.urls")),
    path("account/", include("allauth.urls")),
    path("search/", views.site_search, name="search"),
    path("lenders/", include("liens.urls_public")),
]

# allauth's rate limits (too many log-ins, sign-ups, resets from one address).
handler429 = "portal.auth.views.rate_limited"

if settings.DEBUG:
    from django.views.static import serve

    # Development only, and only the public CMS pictures: Wagtail's originals
    # and renditions. Wagtail documents go through its serve view, customer
    # documents through document_file; neither is ever a /media/ URL. Each
    # folder is its own root, so "images/../documents/x" can't climb out.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/') + folder)}/(?P<path>.+)$",
            serve,
            {"document_root": Path(settings.MEDIA_ROOT) / folder},
        )
        for folder in ("original_images", "images")
    ]

urlpatterns += [path("", include(wagtail_urls))]
