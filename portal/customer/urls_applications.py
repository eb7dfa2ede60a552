"""Customer area URLs: applications (joined in portal/customer/urls.py)."""

from django.urls import URLPattern, path

from portal.customer import views_applications as views

urlpatterns: list[URLPattern] = [
    path("applications/", views.applications, name="applications"),
    path("applications/<str:kind>/<int:pk>/", views.application, name="application"),
]
