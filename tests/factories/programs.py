"""Factories for programs and measures (deterministic)."""

from datetime import date
from decimal import Decimal

import factory
from djmoney.money import Money

from programs.models import Measure, PovertyGuideline, PovertyGuidelineRow, Program


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"PRG{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    program_type = "rebate"
    fiscal_year = 2026
    budget = Money(Decimal("10000.00"), "USD")
    starts_on = date(2026, 1, 1)
    ends_on = date(2026, 12, 31)
    customer_classes = ["residential"]
    required_services = []
    requires_good_standing = True


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"M{n}")
    name = factory.Sequence(lambda n: f"Measure {n}")
    incentive_kind = "fixed"
    amount = Decimal("300.00")
    kwh_savings_per_unit = Decimal("100")
    therms_savings_per_unit = Decimal("10")


def guideline_2026():
    """Household of 1: $15,000, +$5,000 per person up to 8; $5,500 beyond."""
    guideline = PovertyGuideline.objects.create(
        year=2026, additional_per_person=Money("5500.00", "USD")
    )
    for size in range(1, 9):
        PovertyGuidelineRow.objects.create(
            guideline=guideline,
            household_size=size,
            amount=Money(Decimal(15000 + 5000 * (size - 1)), "USD"),
        )
    return guideline


class RebateApplicationFactory(factory.django.DjangoModelFactory):
    """An application in any state, for predicate tables (workflow tests go
    through the services instead)."""

    class Meta:
        model = "programs.RebateApplication"

    program = factory.SubFactory(ProgramFactory)
    account = factory.SubFactory("tests.factories.portal.UtilityAccountFactory")
    customer = factory.SelfAttribute("account.customer")
    requested_amount = Money(Decimal("300.00"), "USD")


class RebatePaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.RebatePayment"

    application = factory.SubFactory(
        RebateApplicationFactory,
        status="paid",
        approved_amount=Money(Decimal("300.00"), "USD"),
    )
    method = "check"
    amount = Decimal("300.00")
    paid_on = date(2026, 4, 1)
    check_number = factory.Sequence(lambda n: str(5000 + n))
