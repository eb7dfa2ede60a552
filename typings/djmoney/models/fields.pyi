# Types for djmoney.models.fields, whose code is unannotated: without them
# django-stubs types a MoneyField like the DecimalField it subclasses, so an
# instance's attribute reads as a Decimal where djmoney's descriptor returns
# Money, and Money is refused when creating or assigning. Only what the
# project uses.
import decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models.expressions import Combinable

from djmoney.money import Money

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

class MoneyField(models.DecimalField[_ST, _GT]):
    # What djmoney's descriptor accepts and returns (DecimalField: Decimal).
    # No float: money.py's rule (a float cannot hold cents exactly).
    _pyi_private_set_type: Money | decimal.Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Money  # type: ignore[assignment]
    # djmoney's constructor is unannotated: DecimalField's arguments plus
    # default_currency, currency_choices, currency_field_name and friends.
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
