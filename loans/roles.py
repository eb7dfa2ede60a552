"""Loans permissions per role (merged into the roles by portal.roles)."""

_READ = [
    f"loans.view_{m}"
    for m in (
        "loanproduct",
        "loanapplication",
        "loan",
        "installment",
        "payment",
        "paymentbatch",
        "ledgerentry",
        "disbursement",
        "collectionaction",
        "agingrun",
    )
]

ROLE_PERMISSIONS = {
    "Program staff": [
        *_READ,
        "loans.add_loanapplication",
        "loans.change_loanapplication",
        "loans.add_disbursement",
        "loans.close_loan",
        "loans.record_collection_action",
    ],
    "Supervisor": [
        *_READ,
        "loans.add_loanapplication",
        "loans.change_loanapplication",
        "loans.add_disbursement",
        "loans.close_loan",
        "loans.change_loanproduct",
        "loans.book_loan",
        "loans.post_payment",
        "loans.record_collection_action",
        "loans.run_aging",
    ],
    "Cashier": [*_READ, "loans.post_payment"],
}
