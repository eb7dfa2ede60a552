"""Liens and deposits permissions and approval limits per role (merged into
the roles by portal.roles)."""

from decimal import Decimal

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
        "adequacypolicy",
        "adequacyreview",
        "adequacyreviewrow",
        "adequacyexpiring",
        "depositfollowup",
        "depositdecision",
    )
]

_WORK = [
    "liens.record_lien",
    "liens.manage_deposit",
    "liens.review_subordination",
    "liens.review_adequacy",
    "liens.propose_deposit_decision",
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
# Adequacy part: a supervisor decides deposit decisions and edits the policy.
ROLE_PERMISSIONS["Supervisor"] += [
    "liens.decide_deposit_decision",
    "liens.change_adequacypolicy",
    "liens.change_depositpolicy",
]

# Deposit decisions for new service with old debt (four-eyes, "deposit").
DEFAULT_LIMITS = {
    "Supervisor": {"deposit": Decimal("25000.00")},
}
