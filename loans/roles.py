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
        "attorneyreferral",
        "judgment",
        "agencyplacement",
        "writeoff",
        "recovery",
        "guaranteeclaim",
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
        "loans.record_legal_action",
        "loans.propose_write_off",
        "loans.manage_guarantee_claim",
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
        "loans.record_legal_action",
        "loans.propose_write_off",
        "loans.approve_write_off",
        "loans.manage_guarantee_claim",
    ],
    "Cashier": [*_READ, "loans.post_payment"],
}
