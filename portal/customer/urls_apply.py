"""Customer area URLs: apply (joined in portal/customer/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
