"""Factories for loan applications (products come from the data migration)."""

from decimal import Decimal

import factory
from djmoney.money import Money

from loans.models import LoanApplication, LoanProduct
from tests.factories.portal import PropertyFactory, UtilityAccountFactory


class LoanApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanApplication

    account = factory.SubFactory(UtilityAccountFactory)
    customer = factory.SelfAttribute("account.customer")
    parcel = factory.SubFactory(PropertyFactory)
    product = factory.LazyFunction(lambda: LoanProduct.objects.get(code="EE"))
    requested_amount = Money(Decimal("4000.00"), "USD")
    requested_term_months = 48
    purpose = "Attic insulation to R-30 and a heat pump"
