from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views
from portal.api_errors import api_not_found
from portal.api_v1 import api

# The Django admin is deliberately not mounted: staff work in the Wagtail admin.
account_patterns = (
    [
        path("", views.account_home, name="account"),
        path(
            "login/",
            auth_views.LoginView.as_view(template_name="portal/login.html"),
            name="login",
        ),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "portal",
)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    # Anything else under the API answers a JSON 404, whatever the method.
    re_path(r"^api/v1/(?P<path>.*)$", api_not_found),
    path("account/", include(account_patterns)),
    path("search/", views.site_search, name="search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
