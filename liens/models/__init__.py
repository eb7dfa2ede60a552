from liens.models.deposits import DepositAllocation, DepositInstrument
from liens.models.liens import Lien

__all__ = ["DepositAllocation", "DepositInstrument", "Lien"]
