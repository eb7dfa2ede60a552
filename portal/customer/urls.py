"""The customer area under /account/ (namespace "customer")."""

from portal.customer import urls_accounts, urls_applications, urls_apply, urls_loans

app_name = "customer"
urlpatterns = [
    *urls_accounts.urlpatterns,
    *urls_apply.urlpatterns,
    *urls_applications.urlpatterns,
    *urls_loans.urlpatterns,
]
