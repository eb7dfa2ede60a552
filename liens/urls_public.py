"""Public pages for lending institutions (included at /lenders/)."""

from django.urls import path

from liens import views_public

urlpatterns = [
    path(
        "subordination-request/",
        views_public.lender_request,
        name="lender_request",
    ),
    path(
        "subordination-request/received/",
        views_public.lender_request_received,
        name="lender_request_received",
    ),
]
