"""The cashiering API's request bodies, shared by the API tests."""

BOOK = {
    "number": "EE-2026-0001",
    "product": "EE",
    "customer": {"name": "Walter Okafor", "email": "walter@example.org"},
    "account_number": "100002",
    "principal": "10000.00",
    "annual_rate": "5.00",
    "term_months": 60,
    "first_due_date": "2026-02-01",
    "disbursed_on": "2026-01-01",
}
