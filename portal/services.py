"""Use cases on the core records. Views, the API, admin screens and commands
call these; each runs in a transaction and records who acted and why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from djmoney.money import Money

from portal.audit import audit_context
from portal.models import (
    ApprovalLimit,
    ApprovalLimitChange,
    Customer,
    Document,
    Note,
    UtilityAccount,
)
from portal.models.controls import LimitChangeStatus
from portal.money import format_money, parse_money
from portal.transitions import locked, save_transition
from portal.validators import EMPTY_FILE, validate_document_file


@transaction.atomic
def customer_create(
    *, actor: Any, reason: str = "Customer created", **fields: Any
) -> Customer:
    income = fields.get("household_income")
    if income is not None:
        fields["household_income"] = Money(
            parse_money(getattr(income, "amount", income)), "USD"
        )
    customer = Customer(**fields)
    customer.full_clean()
    with audit_context(user=actor, reason=reason):
        customer.save()
    return customer


@transaction.atomic
def customer_update(
    *, actor: Any, customer: Customer, reason: str, **changes: Any
) -> Customer:
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    income = changes.get("household_income")
    if income is not None:
        changes["household_income"] = Money(
            parse_money(getattr(income, "amount", income)), "USD"
        )
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.full_clean()
    with audit_context(user=actor, reason=reason):
        customer.save()
    return customer


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    upload: UploadedFile[bytes],
    document_type: str,
    customer: Customer | None = None,
    description: str = "",
) -> Document:
    """Store an uploaded file after checking its size and real content type."""
    content_type = validate_document_file(upload)
    size = upload.size
    if size is None:  # an unknown size is refused like an empty file
        raise ValidationError(EMPTY_FILE, code="empty")
    document = Document(
        document_type=document_type,
        file=upload,
        # No name: full_clean below refuses the blank original_name.
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size_bytes=size,
        customer=customer,
        description=description,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean(exclude=["file"])
    with audit_context(user=actor, reason=f"Document uploaded: {upload.name}"):
        document.save()
    return document


@transaction.atomic
def note_add(*, actor: Any, subject: Any, text: str) -> Note:
    note = Note(subject=subject, text=text.strip(), author=actor)
    note.full_clean()
    with audit_context(user=actor, reason="Note added"):
        note.save()
    return note


# --- utility accounts ------------------------------------------------------

# The billing system (customer information system) owns these facts; staff
# never type them in the back office.
ACCOUNT_FEED_FIELDS = frozenset({"delinquent_balance", "turned_to_bad_debt"})


@transaction.atomic
def utility_account_update(
    *, actor: Any, account: UtilityAccount, reason: str, **changes: Any
) -> UtilityAccount:
    """Change an account's service address, class, services, status or
    account manager. Its delinquency facts come only from the billing feed,
    and it stays tied to its customer."""
    if fed := ACCOUNT_FEED_FIELDS & set(changes):
        raise ValidationError(
            {
                name: "This comes from the billing system and can't be edited here."
                for name in fed
            }
        )
    account = UtilityAccount.objects.select_for_update().get(pk=account.pk)
    if "customer" in changes and changes["customer"].pk != account.customer_id:
        if account.loans.exists():
            raise ValidationError(
                {
                    "customer": f"Account {account.number} carries loans; it can't "
                    "be moved to another customer."
                }
            )
    for name, value in changes.items():
        setattr(account, name, value)
    account.full_clean()
    with audit_context(user=actor, reason=reason):
        account.save()
    return account


# --- approval limits (four-eyes on the four-eyes limits) -------------------


@transaction.atomic
def approval_limit_change_propose(
    *,
    actor: Any,
    group: Group,
    action: str,
    new_amount: Money | Decimal | str,
    reason: str,
) -> ApprovalLimitChange:
    """Propose a new ceiling for a role and decision; nothing changes until a
    second person approves it."""
    if not actor.has_perm("portal.add_approvallimitchange"):
        raise ValidationError("You don't have permission to propose limit changes.")
    amount = parse_money(getattr(new_amount, "amount", new_amount))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the limit should change."})
    current = ApprovalLimit.objects.filter(group=group, action=action).first()
    if current is not None and current.max_amount.amount == amount:
        raise ValidationError(
            {"new_amount": f"The limit is already {format_money(amount)}."}
        )
    if ApprovalLimitChange.objects.filter(
        group=group, action=action, status=LimitChangeStatus.PROPOSED
    ).exists():
        raise ValidationError(
            "A change to this limit is already waiting for approval; approve or "
            "reject it first."
        )
    change = ApprovalLimitChange(
        group=group,
        action=action,
        new_amount=Money(amount, "USD"),
        previous_amount=current.max_amount if current else None,
        reason=reason.strip(),
        proposed_by=actor,
    )
    change.full_clean()
    with audit_context(user=actor, reason="Approval limit change proposed"):
        change.save()
    return change


@transaction.atomic
def approval_limit_change_approve(
    *, actor: Any, change: ApprovalLimitChange, note: str = ""
) -> ApprovalLimitChange:
    """A second person approves: the role's limit takes the new amount."""
    change = locked(ApprovalLimitChange, change.pk, "approve", actor)
    reason = (
        f"Limit for {change.group.name}, {change.get_action_display().lower()}: "
        f"{format_money(change.new_amount.amount)} (change #{change.pk} approved)"
    )
    limit = (
        ApprovalLimit.objects.select_for_update()
        .filter(group=change.group, action=change.action)
        .first()
    )
    with audit_context(user=actor, reason=reason):
        if limit is None:
            limit = ApprovalLimit(group=change.group, action=change.action)
        limit.max_amount = change.new_amount
        limit.full_clean()
        limit.save()
    return save_transition(
        change,
        actor=actor,
        reason=reason,
        status=LimitChangeStatus.APPROVED,
        stamp="approved_at",
        decided_by=actor,
        decision_note=note.strip(),
    )


@transaction.atomic
def approval_limit_change_reject(
    *, actor: Any, change: ApprovalLimitChange, note: str
) -> ApprovalLimitChange:
    if not note.strip():
        raise ValidationError({"note": "Say why the change is rejected."})
    change = locked(ApprovalLimitChange, change.pk, "reject", actor)
    return save_transition(
        change,
        actor=actor,
        reason="Approval limit change rejected",
        status=LimitChangeStatus.REJECTED,
        stamp="rejected_at",
        decided_by=actor,
        decision_note=note.strip(),
    )


@transaction.atomic
def utility_account_create(
    *, actor: Any, reason: str = "Utility account entered", **fields: Any
) -> UtilityAccount:
    """Enter an account by hand (normally the billing feed creates them); its
    delinquency facts start clear and come only from the feed."""
    if fed := ACCOUNT_FEED_FIELDS & set(fields):
        raise ValidationError(
            {name: "This comes from the billing system." for name in fed}
        )
    account = UtilityAccount(**fields)
    account.full_clean()
    with audit_context(user=actor, reason=reason):
        account.save()
    return account
