"""Factories for the core records. Deterministic: sequences,
no random data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

import factory
from djmoney.money import Money

from portal.models import BillingPeriod, Customer, Property, UtilityAccount


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Customer{n}")
    email = factory.LazyAttribute(lambda c: f"{c.last_name.lower()}@example.org")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    parcel_id = factory.Sequence(lambda n: f"P-{n:05d}")
    line1 = factory.Sequence(lambda n: f"{n} Main St")
    city = "Riverton"
    state = "NY"
    postal_code = "12180"


class UtilityAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UtilityAccount

    number = factory.Sequence(lambda n: f"9{n:05d}")
    customer = factory.SubFactory(CustomerFactory)
    line1 = factory.Sequence(lambda n: f"{n} Main St")
    city = "Riverton"
    state = "NY"
    postal_code = "12180"
    has_electric = True
    has_water = True


class BillingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingPeriod

    account = factory.SubFactory(UtilityAccountFactory)
    period_start = factory.Sequence(lambda n: date(2000 + n // 12, n % 12 + 1, 1))
    billed_amount = Money(Decimal("100.00"), "USD")
