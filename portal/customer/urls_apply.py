"""Customer area URLs: apply (joined in portal/customer/urls.py)."""

from django.urls import URLPattern, path

from portal.customer import views_apply_loan, views_apply_rebate

urlpatterns: list[URLPattern] = [
    # --- apply for a loan (views_apply_loan) ---
    path("apply/loan/", views_apply_loan.apply_loan, name="apply_loan"),
    path(
        "apply/loan/<int:pk>/",
        views_apply_loan.apply_loan_resume,
        name="apply_loan_resume",
    ),
    path(
        "apply/loan/<int:pk>/submitted/",
        views_apply_loan.apply_loan_submitted,
        name="apply_loan_submitted",
    ),
    path(
        "apply/loan/<int:pk>/<slug:step>/",
        views_apply_loan.apply_loan_step,
        name="apply_loan_step",
    ),
    # --- end of apply for a loan ---
]

# --- Apply for a rebate (portal/customer/views_apply_rebate.py) -------------
urlpatterns += [
    path(
        "apply/rebate/",
        views_apply_rebate.apply_rebate,
        name="apply_rebate",
    ),
    path(
        "apply/rebate/<int:pk>/",
        views_apply_rebate.apply_rebate_resume,
        name="apply_rebate_resume",
    ),
    path(
        "apply/rebate/<int:pk>/<slug:step>/",
        views_apply_rebate.apply_rebate_step,
        name="apply_rebate_step",
    ),
]
