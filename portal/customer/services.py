"""The customer's own actions on the public site.

`customer_link_account` joins a log-in to the customer record that owns a
utility account, proven by the account number plus two facts printed on the
bill (the service ZIP code and the name on the account). Every way it can fail
to match answers the same sentence, so the form can't be used to learn which
fact was wrong, whether an account number exists, or whether someone else has
already linked it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from allauth.account.models import EmailAddress

from portal import roles
from portal.audit import audit_context
from portal.auth.policy import is_back_office_user
from portal.choices import AccountStatus, CustomerKind
from portal.models import Customer, OfficeSettings, UtilityAccount

NO_MATCH = (
    "We could not match those details to a utility account. Check the account "
    "number on your bill, the service ZIP code and the last name on the "
    "account, or call us{phone}."
)
STAFF_CANNOT_LINK = (
    "Staff log-ins can't be linked to a utility account. Use a separate "
    "customer log-in for your own accounts."
)
VERIFY_EMAIL_FIRST = (
    "Confirm your e-mail address first: follow the link in the e-mail we sent you."
)

# A final-billed account has stopped service but may still owe (or be repaid
# through) a loan, so its customer may still link it; closed and inactive
# accounts can't be linked.
LINKABLE_STATUSES = (AccountStatus.ACTIVE, AccountStatus.FINAL_BILLED)


@dataclass(frozen=True)
class LinkResult:
    account: UtilityAccount
    customer: Customer
    already_linked: bool


def no_match_message() -> str:
    """The one refusal for details that don't match, with the office phone
    from Settings › Office when there is one."""
    phone = OfficeSettings.current().phone.strip()
    return NO_MATCH.format(phone=f" at {phone}" if phone else "")


def normalized_number(number: str) -> str:
    return "".join(number.split())


def normalized_zip(postal_code: str) -> str:
    """The first five digits (a ZIP+4 counts by its ZIP)."""
    return "".join(c for c in postal_code if c.isdigit())[:5]


def normalized_name(name: str) -> str:
    """Case and spaces don't matter: "Van Dyke" matches "vandyke"."""
    return "".join(name.split()).casefold()


def has_verified_primary_email(user: Any) -> bool:
    return bool(
        EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()
    )


def can_link(user: Any) -> bool:
    """Staff log-ins are never a customer's (is_staff, or back-office roles)."""
    return not (user.is_staff or user.is_superuser or is_back_office_user(user))


def _name_on_account(customer: Customer) -> str:
    if customer.kind == CustomerKind.BUSINESS:
        return customer.business_name
    return customer.last_name


@transaction.atomic
def customer_link_account(
    *, actor: Any, number: str, postal_code: str, last_name: str
) -> LinkResult:
    """Link the log-in `actor` to the customer who owns account `number`, when
    the service ZIP and the name on the account (a business: its name) match.

    Raises ValidationError, changing nothing: with NO_MATCH for an unknown
    number, a wrong ZIP or name, a closed or inactive account, a customer
    already linked to another log-in, or an actor already linked to another
    customer; with its own message for staff and for an unconfirmed address.
    Linking a second account of the customer the actor already has is a
    success that changes nothing (`already_linked`).
    """
    if not can_link(actor):
        raise ValidationError(STAFF_CANNOT_LINK, code="staff")
    if not has_verified_primary_email(actor):
        raise ValidationError(VERIFY_EMAIL_FIRST, code="unverified")

    refusal = ValidationError(no_match_message(), code="no_match")
    account = (
        UtilityAccount.objects.select_related("customer")
        .filter(number=normalized_number(number))
        .first()
    )
    if account is None:
        raise refusal
    # Lock the customer row: two log-ins linking the same customer at once are
    # judged one after the other, and only the first wins.
    customer = Customer.objects.select_for_update().get(pk=account.customer_id)
    typed_zip = normalized_zip(postal_code)
    matches = (
        account.status in LINKABLE_STATUSES
        and len(typed_zip) == 5
        and normalized_zip(account.postal_code) == typed_zip
        and normalized_name(_name_on_account(customer)) != ""
        and normalized_name(_name_on_account(customer)) == normalized_name(last_name)
    )
    if not matches:
        raise refusal
    if customer.user_id == actor.pk:
        return LinkResult(account=account, customer=customer, already_linked=True)
    if customer.user_id is not None:
        raise refusal
    if Customer.objects.filter(user_id=actor.pk).exists():
        raise refusal

    customer.user = actor
    with audit_context(
        user=actor,
        reason=f"Linked to the log-in {actor.get_username()} by the customer "
        f"online, with account {account.number}",
    ):
        customer.save(update_fields=["user"])
    group = Group.objects.filter(name=roles.CUSTOMER).first()
    if group is not None:
        actor.groups.add(group)
    return LinkResult(account=account, customer=customer, already_linked=False)
