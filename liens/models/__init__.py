from liens.models.deposits import DepositAllocation, DepositInstrument
from liens.models.liens import Lien

__all__ = ["DepositAllocation", "DepositInstrument", "Lien"]
from liens.models.adequacy import (  # noqa: E402
    AdequacyExpiring,
    AdequacyPolicy,
    AdequacyReview,
    AdequacyReviewRow,
    DepositFollowUp,
)
from liens.models.decisions import DepositDecision  # noqa: E402

__all__ += [
    "AdequacyExpiring",
    "AdequacyPolicy",
    "AdequacyReview",
    "AdequacyReviewRow",
    "DepositDecision",
    "DepositFollowUp",
]
