"""Customers, their utility accounts, the properties they own, and the paper
trail around them (documents, correspondence, notes).

In the back office: Customers & accounts menu (portal/wagtail_hooks.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField
from djmoney.money import Money

from portal.audit import audited_history
from portal.choices import (
    AccountStatus,
    CorrespondenceChannel,
    CustomerClass,
    CustomerKind,
    DocumentType,
)
from portal.private_storage import (
    correspondence_upload_to,
    private_file_name,
    private_storage,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}


class Address(models.Model):
    line1 = models.CharField("address line 1", max_length=200, blank=True)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True

    def address_lines(self) -> list[str]:
        city_line = " ".join(
            part
            for part in [
                f"{self.city}," if self.city else "",
                self.state,
                self.postal_code,
            ]
            if part
        )
        return [line for line in [self.line1, self.line2, city_line] if line]


class Customer(models.Model):
    """A person or business the utility serves. Programs read the verification
    flags (age, disability, household income) when judging eligibility."""

    kind = models.CharField(
        max_length=10, choices=CustomerKind.choices, default=CustomerKind.PERSON
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    business_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mailing_line1 = models.CharField(
        "mailing address line 1", max_length=200, blank=True
    )
    mailing_line2 = models.CharField(
        "mailing address line 2", max_length=200, blank=True
    )
    mailing_city = models.CharField(max_length=100, blank=True)
    mailing_state = models.CharField(max_length=2, blank=True)
    mailing_postal_code = models.CharField(max_length=10, blank=True)

    date_of_birth = models.DateField(null=True, blank=True)
    age_verified = models.BooleanField(
        default=False, help_text="Age seen on an ID or a benefits letter."
    )
    disability_verified = models.BooleanField(default=False)
    household_size = models.PositiveSmallIntegerField(null=True, blank=True)
    household_income = MoneyField(null=True, blank=True, **MONEY)
    income_verified = models.BooleanField(default=False)
    income_verified_on = models.DateField(null=True, blank=True)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
        help_text="The log-in this customer uses on the public site.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney swaps the default manager's class at runtime for one it
        # makes inside a function, which django-stubs can't look up.
        objects: ClassVar[models.Manager[Customer]]
        _default_manager: ClassVar[models.Manager[Customer]]

    class Meta:
        ordering = ["last_name", "first_name", "business_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="person") | ~Q(last_name=""),
                name="customer_person_has_last_name",
            ),
            models.CheckConstraint(
                condition=~Q(kind="business") | ~Q(business_name=""),
                name="customer_business_has_name",
            ),
            models.CheckConstraint(
                condition=Q(household_size__isnull=True) | Q(household_size__gte=1),
                name="customer_household_size_positive",
            ),
            models.CheckConstraint(
                condition=Q(household_income__isnull=True) | Q(household_income__gte=0),
                name="customer_household_income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == CustomerKind.BUSINESS:
            return self.business_name
        return " ".join(p for p in [self.first_name, self.last_name] if p)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Property(Address):
    """A parcel: what a lien is recorded against. Owners are customers."""

    parcel_id = models.CharField("parcel ID", max_length=40, unique=True)
    legal_description = models.TextField(blank=True)
    owners = models.ManyToManyField(Customer, related_name="properties", blank=True)

    history = audited_history(m2m_fields=[owners])

    class Meta:
        ordering = ["parcel_id"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.line1}".strip()


class UtilityAccount(Address):
    """A billing account for service at one address (the address fields are the
    service address)."""

    number = models.CharField("account number", max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="accounts"
    )
    service_property = models.ForeignKey(
        Property,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        help_text="The parcel served, when known.",
    )
    customer_class = models.CharField(
        max_length=12, choices=CustomerClass.choices, default=CustomerClass.RESIDENTIAL
    )
    has_electric = models.BooleanField("electric service", default=False)
    has_gas = models.BooleanField("gas service", default=False)
    has_water = models.BooleanField("water service", default=False)
    has_sewer = models.BooleanField("sewer service", default=False)
    status = models.CharField(
        max_length=15, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    opened_on = models.DateField(default=timezone.localdate)
    delinquent_balance = MoneyField(default=Decimal("0.00"), **MONEY)
    turned_to_bad_debt = models.BooleanField(default=False)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_accounts",
        help_text="Key accounts have an assigned account manager.",
    )

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see Customer.
        objects: ClassVar[models.Manager[UtilityAccount]]
        _default_manager: ClassVar[models.Manager[UtilityAccount]]

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delinquent_balance__gte=0),
                name="account_delinquent_balance_not_negative",
            ),
        ]
        # Held by the billing system's (CIS) API user only; no staff role has it.
        permissions = [
            ("sync_accounts", "Can sync accounts and bills from the billing system")
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.customer})"

    @property
    def services(self) -> set[str]:
        return {
            name
            for name, on in [
                ("electric", self.has_electric),
                ("gas", self.has_gas),
                ("water", self.has_water),
                ("sewer", self.has_sewer),
            ]
            if on
        }

    def is_in_good_standing(self) -> bool:
        return (
            self.status == AccountStatus.ACTIVE
            and not self.turned_to_bad_debt
            and self.delinquent_balance == Money(0, "USD")
        )


class BillingPeriod(models.Model):
    """One month of an account's billing history; deposit adequacy reviews and
    underwriting read it."""

    account = models.ForeignKey(
        UtilityAccount, on_delete=models.CASCADE, related_name="billing_periods"
    )
    period_start = models.DateField(help_text="First day of the billed month.")
    billed_amount = MoneyField(**MONEY)
    paid_amount = MoneyField(default=Decimal("0.00"), **MONEY)
    paid_late = models.BooleanField(default=False)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see Customer.
        objects: ClassVar[models.Manager[BillingPeriod]]
        _default_manager: ClassVar[models.Manager[BillingPeriod]]

    class Meta:
        ordering = ["account", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_start"], name="billing_period_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(billed_amount__gte=0), name="billing_period_billed_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.number} {self.period_start:%Y-%m}"


def document_upload_to(instance: Document, filename: str) -> str:
    # Never the uploaded name: a random one, with the extension of the type
    # read from the content (the uploaded name stays in original_name).
    return private_file_name("documents", instance.content_type)


class Document(models.Model):
    """An uploaded file (application, proposal, invoice, ...). Size and content
    type are checked on upload by `portal.services.document_upload`."""

    document_type = models.CharField(max_length=30, choices=DocumentType.choices)
    file = models.FileField(upload_to=document_upload_to, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    description = models.CharField(max_length=255, blank=True)
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = audited_history()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}: {self.original_name}"


class Correspondence(models.Model):
    """A letter or email sent to a customer, with the file as it was sent."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="correspondence"
    )
    account = models.ForeignKey(
        UtilityAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(max_length=10, choices=CorrespondenceChannel.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    rendered_file = models.FileField(
        upload_to=correspondence_upload_to, storage=private_storage, blank=True
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = audited_history()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name_plural = "correspondence"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.customer}: {self.subject}"


class Note(models.Model):
    """A staff note attached to any record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = audited_history()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.text[:60]
