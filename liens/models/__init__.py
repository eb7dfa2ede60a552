from liens.models.deposits import DepositAllocation, DepositInstrument
from liens.models.liens import Lien

__all__ = ["DepositAllocation", "DepositInstrument", "Lien"]
from liens.models.claims import ClaimCorrespondence, DepositClaim
from liens.models.deposits import (
    DepositApplication,
    DepositPolicy,
    DepositRedemption,
)

__all__ += [
    "ClaimCorrespondence",
    "DepositApplication",
    "DepositClaim",
    "DepositPolicy",
    "DepositRedemption",
]
from liens.models.payoffs import PayoffRequest  # noqa: E402

__all__ += ["PayoffRequest"]
