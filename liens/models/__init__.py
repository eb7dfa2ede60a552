from liens.models.deposits import DepositAllocation, DepositInstrument
from liens.models.liens import Lien

__all__ = ["DepositAllocation", "DepositInstrument", "Lien"]
from liens.models.payoffs import PayoffRequest  # noqa: E402

__all__ += ["PayoffRequest"]
