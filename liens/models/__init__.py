from liens.models.claims import ClaimCorrespondence, DepositClaim
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
    "ClaimCorrespondence",
    "DepositAllocation",
    "DepositApplication",
    "DepositClaim",
    "DepositInstrument",
    "DepositPolicy",
    "DepositRedemption",
    "Lien",
    "PayoffRequest",
    "SubordinationRequest",
    "SubordinationRule",
]
