"""Customer area URLs: loans (joined in portal/customer/urls.py)."""

from django.urls import URLPattern, path

from portal.customer import views_loans as views

urlpatterns: list[URLPattern] = [
    path("loans/", views.loans, name="loans"),
    path("loans/<str:number>/", views.loan, name="loan"),
    path(
        "loans/<str:number>/payoff-letter/",
        views.payoff_letter,
        name="loan_payoff_letter",
    ),
    path("loans/<str:number>/coupon-book/", views.coupon_book, name="loan_coupon_book"),
    path(
        "loans/<str:number>/statements/<int:pk>/",
        views.statement,
        name="loan_statement",
    ),
]
