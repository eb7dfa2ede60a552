from liens.models.adequacy import (
    AdequacyExpiring,
    AdequacyPolicy,
    AdequacyReview,
    AdequacyReviewRow,
    DepositFollowUp,
)
from liens.models.claims import ClaimCorrespondence, DepositClaim
from liens.models.decisions import DepositDecision
from liens.models.deposits import (
    DepositAllocation,
    DepositApplication,
    DepositInstrument,
    DepositPolicy,
    DepositRedemption,
)
from liens.models.liens import Lien
from liens.models.payoffs import PayoffRequest
from liens.models.subordinations import SubordinationRequest, SubordinationRule

__all__ = [
    "AdequacyExpiring",
    "AdequacyPolicy",
    "AdequacyReview",
    "AdequacyReviewRow",
    "ClaimCorrespondence",
    "DepositAllocation",
    "DepositApplication",
    "DepositClaim",
    "DepositDecision",
    "DepositFollowUp",
    "DepositInstrument",
    "DepositPolicy",
    "DepositRedemption",
    "Lien",
    "PayoffRequest",
    "SubordinationRequest",
    "SubordinationRule",
]
