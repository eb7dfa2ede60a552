"""Liens and deposits permissions and approval limits per role (merged into
the roles by portal.roles)."""

_READ = [
    f"liens.view_{m}"
    for m in (
        "lien",
        "depositinstrument",
        "depositallocation",
        "depositclaim",
        "claimcorrespondence",
        "depositapplication",
        "depositredemption",
        "depositpolicy",
        "payoffrequest",
        "subordinationrequest",
        "subordinationrule",
    )
]

_WORK = [
    "liens.record_lien",
    "liens.manage_deposit",
    "liens.review_subordination",
]

ROLE_PERMISSIONS = {
    "Program staff": [*_READ, *_WORK],
    "Supervisor": [*_READ, *_WORK],
    "Cashier": [*_READ],
}

# Subordinations: supervisors decide requests and edit the rules (data).
ROLE_PERMISSIONS["Supervisor"] += [
    "liens.approve_subordination",
    "liens.change_subordinationrule",
]
