"""Loans permissions and approval limits per role (merged into the roles by
portal.roles)."""

from decimal import Decimal

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
        "collectionstep",
        "paymentarrangement",
        "arrangementpayment",
        "lettertemplate",
        "loancorrespondence",
        "statement",
        "agingrun",
    )
]

# Collections: staff record actions and promises, propose arrangements and
# approve those within their own limit; a supervisor also keeps the ladder.
_COLLECTIONS = [
    "loans.record_collection_action",
    "loans.propose_arrangement",
    "loans.approve_arrangement",
]

ROLE_PERMISSIONS = {
    "Program staff": [
        *_READ,
        "loans.add_loanapplication",
        "loans.change_loanapplication",
        "loans.add_disbursement",
        "loans.close_loan",
        "loans.record_legal_action",
        "loans.propose_write_off",
        "loans.manage_guarantee_claim",
        *_COLLECTIONS,
        "loans.send_letter",
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
        "loans.record_legal_action",
        "loans.propose_write_off",
        "loans.approve_write_off",
        "loans.manage_guarantee_claim",
        *_COLLECTIONS,
        "loans.add_collectionstep",
        "loans.change_collectionstep",
        "loans.send_letter",
        "loans.add_lettertemplate",
        "loans.change_lettertemplate",
        "loans.run_aging",
    ],
    "Cashier": [*_READ, "loans.post_payment"],
}

# A payment arrangement's past-due amount: staff approve their own up to
# this; above it a supervisor approves (four-eyes).
DEFAULT_LIMITS = {
    "Program staff": {"arrangement": Decimal("1500.00")},
    "Supervisor": {"arrangement": Decimal("25000.00")},
}
