"""Programs permissions per role (merged into the roles by portal.roles).

`change_rebateapplication` is working on applications (the workflow actions
and paying them); `change_rebatepayment` is voiding a payment (no role edits
a payment: payments are read-only in the back office); `change_program`
includes changing a program's budget (through program_budget_change)."""

_READ = [
    f"programs.view_{m}"
    for m in (
        "program",
        "measure",
        "povertyguideline",
        "povertyguidelinerow",
        "rebateapplication",
        "rebateline",
        "rebatepayment",
        "rebatecheckbatch",
        "rebatebillcreditfile",
    )
]

ROLE_PERMISSIONS = {
    "Program staff": [
        *_READ,
        "programs.add_rebateapplication",
        "programs.change_rebateapplication",
    ],
    "Supervisor": [
        *_READ,
        "programs.add_rebateapplication",
        "programs.change_rebateapplication",
        "programs.change_rebatepayment",
        "programs.change_program",
        "programs.add_program",
        "programs.change_measure",
        "programs.add_measure",
        "programs.change_povertyguideline",
        "programs.add_povertyguideline",
    ],
    "Cashier": [*_READ],
}
