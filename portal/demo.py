"""A small believable utility for local runs and demos. Idempotent: every row is
found by its natural key (username, account number, parcel, page slug) first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from djmoney.money import Money

from portal import roles
from portal.models import (
    BillingPeriod,
    Customer,
    OfficeSettings,
    Property,
    UtilityAccount,
)
from portal.site.demo import home_page, load_pages

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# (role shown, username, password). Demo only: the command refuses without DEBUG.
DEMO_LOGINS = [
    ("staff", "alice", "alice-demo-2026"),
    ("supervisor", "bob", "bob-demo-2026"),
    ("customer", "carol", "carol-demo-2026"),
    ("cashier", "casey", "casey-demo-2026"),
    ("auditor", "audrey", "audrey-demo-2026"),
    ("content editor", "eddie", "eddie-demo-2026"),
]
_ROLE_GROUP = {
    "staff": roles.PROGRAM_STAFF,
    "supervisor": roles.SUPERVISOR,
    "customer": roles.CUSTOMER,
    "cashier": roles.CASHIER,
    "auditor": roles.AUDITOR,
    "content editor": roles.CONTENT_EDITOR,
}
_NAMES = {
    "alice": ("Alice", "Ames"),
    "bob": ("Bob", "Baker"),
    "carol": ("Carol", "Jensen"),
    "casey": ("Casey", "Cole"),
    "audrey": ("Audrey", "Dunn"),
    "eddie": ("Eddie", "Evans"),
}

# account, customer (first, last or business), class, services, street, parcel
_CUSTOMERS: list[tuple[str, tuple[str, str] | str, str, str, str, str]] = [
    ("100001", ("Carol", "Jensen"), "residential", "EGWS", "12 Maple St", "R-001-001"),
    ("100002", ("Walter", "Okafor"), "residential", "EWS", "48 Birch Ave", "R-001-002"),
    ("100003", ("Maria", "Delgado"), "residential", "EGW", "7 Cedar Ct", "R-002-010"),
    ("100004", ("Henry", "Liu"), "residential", "EGWS", "301 River Rd", "R-002-011"),
    ("100005", ("Ruth", "Abernathy"), "residential", "EW", "19 Elm St", "R-003-004"),
    (
        "100006",
        ("James", "Whitfield"),
        "residential",
        "EGWS",
        "5 Orchard Ln",
        "R-003-005",
    ),
    ("200001", "Riverton Bakery LLC", "commercial", "EGW", "220 Main St", "C-010-001"),
    (
        "200002",
        "Northside Medical Plaza",
        "commercial",
        "EGWS",
        "900 North Blvd",
        "C-011-003",
    ),
]
# Where customers get their mail, when not at the service address:
# account -> (line1, line2, city, state, ZIP code).
_MAILING: dict[str, tuple[str, str, str, str, str]] = {
    "100006": ("PO Box 312", "", "Riverton", "NY", "12181"),
    "200001": ("220 Main St", "Attn: Accounts Payable", "Riverton", "NY", "12180"),
    "200002": ("PO Box 900", "", "Riverton", "NY", "12181"),
}

# Settings › Office, as the demo utility's letters and exports print it.
_OFFICE = {
    "utility_name": "Riverton Municipal Utilities",
    "office_name": "Customer Finance Office",
    "line1": "100 Main St",
    "city": "Riverton",
    "state": "NY",
    "postal_code": "12180",
    "phone": "(518) 555-0142",
    "email": "finance@riverton-utilities.example",
    "hours": "Monday to Friday, 8:00 a.m. to 4:30 p.m.",
    "payable_to": "Riverton Municipal Utilities",
    "remit_line1": "PO Box 4100",
    "remit_city": "Riverton",
    "remit_state": "NY",
    "remit_postal_code": "12181",
    "remittance_instructions": "Write your loan number on your check. You can "
    "also pay in person at the Customer Finance Office, 100 Main St, Riverton.",
}

_SERVICE_FLAGS = {
    "E": "has_electric",
    "G": "has_gas",
    "W": "has_water",
    "S": "has_sewer",
}


def _users() -> dict[str, User]:
    UserModel = get_user_model()
    users: dict[str, User] = {}
    for role, username, password in DEMO_LOGINS:
        first, last = _NAMES[username]
        user, created = UserModel.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=_ROLE_GROUP[role]))
        users[username] = user
    return users


def _customer(name: tuple[str, str] | str) -> Customer:
    if isinstance(name, tuple):
        first, last = name
        customer = Customer.objects.filter(first_name=first, last_name=last).first()
        return customer or Customer.objects.create(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@example.org",
        )
    customer = Customer.objects.filter(kind="business", business_name=name).first()
    return customer or Customer.objects.create(
        kind="business", business_name=name, email="billing@example.org"
    )


def _mailing_address(customer: Customer, number: str, street: str) -> None:
    """A full mailing address for every demo customer (their service street
    unless _MAILING says otherwise), set once: an address already on file is
    left as it is."""
    if customer.mailing_line1:
        return
    line1, line2, city, state, postal_code = _MAILING.get(
        number, (street, "", "Riverton", "NY", "12180")
    )
    customer.mailing_line1 = line1
    customer.mailing_line2 = line2
    customer.mailing_city = city
    customer.mailing_state = state
    customer.mailing_postal_code = postal_code
    customer.save()


def _office() -> None:
    """The demo utility's office (Settings › Office), entered once: later
    edits in the back office are kept."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    if not OfficeSettings.objects.filter(site=site).exists():
        OfficeSettings.objects.create(site=site, **_OFFICE)


def _billing_history(account: UtilityAccount, base: Decimal) -> None:
    today = date.today()
    for back in range(12, 0, -1):
        month = (today.year * 12 + today.month - 1) - back
        start = date(month // 12, month % 12 + 1, 1)
        billed = base + Decimal(((month * 37) % 23) * 3)  # deterministic seasonality
        BillingPeriod.objects.get_or_create(
            account=account,
            period_start=start,
            defaults={
                "billed_amount": Money(billed, "USD"),
                "paid_amount": Money(billed, "USD"),
            },
        )


@transaction.atomic
def load_demo_data() -> str:
    roles.sync_roles()
    users = _users()
    for index, (number, name, cls, services, street, parcel) in enumerate(_CUSTOMERS):
        customer = _customer(name)
        _mailing_address(customer, number, street)
        prop, _ = Property.objects.get_or_create(
            parcel_id=parcel,
            defaults={
                "line1": street,
                "city": "Riverton",
                "state": "NY",
                "postal_code": "12180",
                "legal_description": f"Lot {index + 1}, Riverton survey map",
            },
        )
        if not prop.owners.filter(pk=customer.pk).exists():
            # add() writes a history row even for an owner already there.
            prop.owners.add(customer)
        account, _ = UtilityAccount.objects.get_or_create(
            number=number,
            defaults={
                "customer": customer,
                "service_property": prop,
                "customer_class": cls,
                "line1": street,
                "city": "Riverton",
                "state": "NY",
                "postal_code": "12180",
                **{_SERVICE_FLAGS[s]: True for s in services},
                "delinquent_balance": Money(
                    Decimal("84.20") if number == "100005" else Decimal("0.00"), "USD"
                ),
                "account_manager": users["bob"] if cls == "commercial" else None,
            },
        )
        _billing_history(
            account, Decimal("95.00") if cls == "residential" else Decimal("1450.00")
        )
    carol = Customer.objects.get(first_name="Carol", last_name="Jensen")
    if carol.user_id is None:
        carol.user = users["carol"]
        carol.date_of_birth = date(1958, 4, 2)
        carol.household_size = 2
        carol.household_income = Money(Decimal("38500.00"), "USD")
        carol.save()
    home_page()
    _office()
    # Each app adds its own demo records (loans, programs, ...) if it has any.
    import importlib

    for app in roles.AUDITED_APPS[1:]:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load_demo(users)
    # The public site's pages last: program pages name the apps' programs.
    load_pages()
    return (
        f"Demo utility ready: {Customer.objects.count()} customers, "
        f"{UtilityAccount.objects.count()} accounts, "
        f"{Property.objects.count()} properties."
    )
