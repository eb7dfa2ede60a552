from liens.models.deposits import DepositAllocation, DepositInstrument
from liens.models.liens import Lien

__all__ = ["DepositAllocation", "DepositInstrument", "Lien"]
from liens.models.subordinations import SubordinationRequest, SubordinationRule

__all__ += ["SubordinationRequest", "SubordinationRule"]
