"""Customer area URLs: accounts (joined in portal/customer/urls.py). My account
itself keeps its name `portal:account` (portal/urls.py)."""

from django.urls import URLPattern, path

from portal.customer import views_accounts

urlpatterns: list[URLPattern] = [
    path("link/", views_accounts.link_account, name="link_account"),
]
