"""The account feed: the billing system (CIS) owns utility accounts and their
monthly bills and pushes them here (API PUT /api/v1/accounts/{number} and
/bills, or the load_account_feed command). Both calls are idempotent: the
same data sent twice changes nothing and writes no history.

Customer matching (documented for the CIS team in the README):
- an account already here keeps its customer when the e-mail sent is that
  customer's, or the name sent matches it and the e-mail is nobody else's
  (then the customer's e-mail is updated; a blank one never erases it);
- otherwise the customer sent is found by e-mail (case-insensitive) when one
  is given, so no duplicate is ever made for a known e-mail, or created;
- moving an account to a different customer needs `"transfer": true`
  (AccountTransferRequired otherwise), and is recorded in history.

Names become customers by one rule (`name_parts`): a name with a business word
(Inc, LLC, Company, City of, …) is a business; "Last, First" is a person with
that split; otherwise a person whose last name is the last word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from djmoney.money import Money

from portal.audit import audit_context, bulk_create_audited, bulk_update_audited
from portal.checks import identifier_problem
from portal.choices import CustomerKind
from portal.models import BillingPeriod, Customer, UtilityAccount
from portal.money import cents
from portal.transitions import has_perm

SYNC_PERMISSION = "portal.sync_accounts"
NUMBER_MAX = 20
NUMBER_TOO_LONG = "An account number has at most 20 characters."
NO_ACCOUNT = "No account {number}."
DUPLICATE_MONTH = "{period} appears more than once; send each month once."

BUSINESS_WORDS = frozenset(
    """inc inc. incorporated llc l.l.c. llp lp ltd ltd. co co. corp corp.
    corporation company companies association assn authority bank church
    district school university college hospital trust partners partnership
    properties property management apartments housing holdings group services
    enterprises foundation council county city town village state department
    agency""".split()
)


class AccountTransferRequired(ValidationError):
    """The account belongs to another customer and the feed did not say
    `"transfer": true`; the API answers 409 Conflict."""


@dataclass(frozen=True)
class NameParts:
    kind: str
    first_name: str = ""
    last_name: str = ""
    business_name: str = ""


def name_parts(name: str) -> NameParts:
    """How a name from the billing system becomes a customer (see the module
    docstring)."""
    name = " ".join(name.split())
    words = {w.lower().strip(",") for w in name.split()}
    if words & BUSINESS_WORDS:
        return NameParts(kind=CustomerKind.BUSINESS, business_name=name[:200])
    if "," in name:
        last, _, first = name.partition(",")
        if last.strip() and first.strip():
            return NameParts(
                kind=CustomerKind.PERSON,
                first_name=first.strip()[:100],
                last_name=last.strip()[:100],
            )
        name = (last + first).strip()
    first, _, last = name.rpartition(" ")
    return NameParts(
        kind=CustomerKind.PERSON, first_name=first[:100], last_name=last[:100]
    )


def _same_name(customer: Customer, parts: NameParts) -> bool:
    if customer.kind != parts.kind:
        return False
    if parts.kind == CustomerKind.BUSINESS:
        return customer.business_name.casefold() == parts.business_name.casefold()
    return (customer.first_name.casefold(), customer.last_name.casefold()) == (
        parts.first_name.casefold(),
        parts.last_name.casefold(),
    )


def _customer_by_email(email: str) -> Customer | None:
    if not email:
        return None
    return Customer.objects.filter(email__iexact=email).order_by("pk").first()


def _is_linked_customer(customer: Customer, name: str, email: str) -> bool:
    """The feed names the account's own customer: by the same e-mail, or by
    the same name when the e-mail sent is nobody else's (a changed e-mail)."""
    if email and customer.email.casefold() == email.casefold():
        return True
    other = _customer_by_email(email)
    if other is not None and other.pk != customer.pk:
        return False
    return _same_name(customer, name_parts(name))


def _update_email(*, actor: Any, customer: Customer, email: str) -> None:
    # A blank e-mail from the feed never erases the one on file.
    if not email or customer.email.casefold() == email.casefold():
        return
    customer.email = email
    customer.full_clean()
    with audit_context(
        user=actor, reason="Customer e-mail updated from the billing system"
    ):
        customer.save(update_fields=["email"])


def _find_or_create_customer(*, actor: Any, name: str, email: str) -> Customer:
    found = _customer_by_email(email)
    if found is not None:
        return found
    parts = name_parts(name)
    customer = Customer(
        kind=parts.kind,
        first_name=parts.first_name,
        last_name=parts.last_name,
        business_name=parts.business_name,
        email=email,
    )
    customer.full_clean()
    with audit_context(user=actor, reason="Customer created from the billing system"):
        customer.save()
    return customer


def _check_number(number: str) -> None:
    if problem := identifier_problem(number, "An account number"):
        raise ValidationError({"number": problem})
    if len(number) > NUMBER_MAX:
        raise ValidationError({"number": NUMBER_TOO_LONG})


def _check_permission(actor: Any) -> None:
    verdict = has_perm(
        actor, SYNC_PERMISSION, doing="sync accounts from the billing system"
    )
    if not verdict:
        raise PermissionDenied(verdict.reason)


def _as_money(value: Any) -> Money:
    return Money(cents(getattr(value, "amount", value)), "USD")


@transaction.atomic
def account_sync(
    *,
    actor: Any,
    number: str,
    customer_name: str,
    customer_email: str = "",
    line1: str,
    city: str,
    state: str,
    postal_code: str,
    customer_class: str,
    services: Sequence[str],
    status: str,
    delinquent_balance: Decimal,
    bad_debt: bool,
    transfer: bool = False,
) -> tuple[UtilityAccount, bool]:
    """Create or update the account as the billing system has it. Returns
    (account, created). Nothing is saved when nothing differs."""
    _check_permission(actor)
    _check_number(number)
    account = (
        UtilityAccount.objects.select_for_update()
        .select_related("customer")
        .filter(number=number)
        .first()
    )
    wanted: dict[str, Any] = {
        "line1": line1,
        "city": city,
        "state": state,
        "postal_code": postal_code,
        "customer_class": customer_class,
        "has_electric": "electric" in services,
        "has_gas": "gas" in services,
        "has_water": "water" in services,
        "has_sewer": "sewer" in services,
        "status": status,
        "delinquent_balance": _as_money(delinquent_balance),
        "turned_to_bad_debt": bad_debt,
    }
    if account is None:
        try:
            # A savepoint: when the same new account arrives twice at once,
            # the later one becomes an update instead of a 500.
            with transaction.atomic():
                customer = _find_or_create_customer(
                    actor=actor, name=customer_name, email=customer_email
                )
                account = UtilityAccount(number=number, customer=customer, **wanted)
                account.full_clean()
                with audit_context(
                    user=actor, reason="Account created from the billing system"
                ):
                    account.save()
            return account, True
        except IntegrityError:
            account = (
                UtilityAccount.objects.select_for_update()
                .select_related("customer")
                .get(number=number)
            )

    reason = "Account updated from the billing system"
    if not _is_linked_customer(account.customer, customer_name, customer_email):
        old = account.customer
        new = _customer_by_email(customer_email)
        shown = new.display_name if new else " ".join(customer_name.split())
        if not transfer:
            raise AccountTransferRequired(
                {
                    "customer": (
                        f"Account {number} belongs to {old.display_name}; send "
                        f'"transfer": true to move it to {shown}.'
                    )
                }
            )
        if account.loans.exists():
            raise ValidationError(
                {
                    "customer": f"Account {number} carries loans with "
                    f"{old.display_name}; it can't be moved to another customer."
                }
            )
        new = _find_or_create_customer(
            actor=actor, name=customer_name, email=customer_email
        )
        wanted["customer"] = new
        reason = (
            f"Account transferred from {old.display_name} to {new.display_name} "
            "by the billing system"
        )
    else:
        _update_email(actor=actor, customer=account.customer, email=customer_email)
    changed = {
        name: value for name, value in wanted.items() if getattr(account, name) != value
    }
    if not changed:
        return account, False
    for name, value in changed.items():
        setattr(account, name, value)
    account.full_clean()
    with audit_context(user=actor, reason=reason):
        account.save()
    return account, False


@dataclass(frozen=True)
class Bill:
    period_start: date
    amount: Decimal


@transaction.atomic
def billing_periods_sync(
    *, actor: Any, number: str, bills: Sequence[Bill]
) -> tuple[UtilityAccount, int]:
    """Upsert the account's monthly bills by month, all or nothing. A month
    sent twice is refused naming the later item ("3.period"). Returns
    (account, items received); rows whose amount is unchanged are not
    touched."""
    _check_permission(actor)
    account = UtilityAccount.objects.select_for_update().filter(number=number).first()
    if account is None:
        raise UtilityAccount.DoesNotExist(NO_ACCOUNT.format(number=number))
    seen: dict[date, int] = {}
    errors: dict[str, list[str]] = {}
    for index, bill in enumerate(bills):
        if bill.period_start in seen:
            errors[f"{index}.period"] = [
                DUPLICATE_MONTH.format(period=f"{bill.period_start:%Y-%m}")
            ]
        else:
            seen[bill.period_start] = index
        if bill.amount < 0 or bill.amount != cents(bill.amount):
            errors[f"{index}.amount"] = ["Amounts are dollars and cents, not negative."]
    if errors:
        raise ValidationError(errors)
    existing = {
        row.period_start: row
        for row in BillingPeriod.objects.select_for_update().filter(
            account=account, period_start__in=list(seen)
        )
    }
    to_create: list[BillingPeriod] = []
    to_update: list[BillingPeriod] = []
    for bill in bills:
        amount = _as_money(bill.amount)
        row = existing.get(bill.period_start)
        if row is None:
            to_create.append(
                BillingPeriod(
                    account=account,
                    period_start=bill.period_start,
                    billed_amount=amount,
                )
            )
        elif row.billed_amount != amount:
            row.billed_amount = amount
            to_update.append(row)
    for row in [*to_create, *to_update]:
        row.full_clean(exclude=["account"], validate_unique=False)
    with audit_context(user=actor, reason="Bills received from the billing system"):
        if to_create:
            bulk_create_audited(BillingPeriod, to_create)
        if to_update:
            bulk_update_audited(
                BillingPeriod, to_update, ["billed_amount", "billed_amount_currency"]
            )
    return account, len(bills)
