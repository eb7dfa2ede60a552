"""Reads for write-offs, recoveries and State guarantee claims: what a loan
page's Recovery screen shows, and the lists by period the PSC report reads
(write-offs with their amounts; claims with amounts claimed and received)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from loans.choices import ClaimStatus, WriteOffStatus
from loans.models import GuaranteeClaim, Recovery, WriteOff


def write_offs_in_period(start: date, end: date) -> QuerySet[WriteOff]:
    """Approved write-offs whose write-off date is in [start, end], with
    principal, interest, fees and total (fields of each row)."""
    return (
        WriteOff.objects.filter(
            status=WriteOffStatus.APPROVED, as_of__gte=start, as_of__lte=end
        )
        .select_related("loan", "loan__customer", "loan__product")
        .order_by("as_of", "pk")
    )


def guarantee_claims_in_period(start: date, end: date) -> QuerySet[GuaranteeClaim]:
    """Claims submitted, paid or denied in [start, end]: each with
    `principal_claimed` and `amount_received` (None until paid)."""
    return (
        GuaranteeClaim.objects.filter(
            Q(submitted_on__range=(start, end))
            | Q(paid_on__range=(start, end))
            | Q(denied_on__range=(start, end))
        )
        .exclude(status=ClaimStatus.PREPARED)
        .select_related("loan", "loan__customer", "loan__product")
        .order_by("submitted_on", "pk")
    )


def recoveries_in_period(start: date, end: date) -> QuerySet[Recovery]:
    """Recoveries received in [start, end] (reversed ones included: the
    payment's status says so)."""
    return (
        Recovery.objects.filter(
            payment__received_on__gte=start, payment__received_on__lte=end
        )
        .select_related("payment", "loan", "loan__customer")
        .order_by("payment__received_on", "pk")
    )


def write_offs_awaiting_approval() -> QuerySet[WriteOff]:
    return (
        WriteOff.objects.filter(status=WriteOffStatus.PROPOSED)
        .select_related("loan", "loan__customer", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def open_guarantee_claims() -> QuerySet[GuaranteeClaim]:
    """Claims prepared or waiting for the State's answer."""
    return (
        GuaranteeClaim.objects.filter(
            status__in=[ClaimStatus.PREPARED, ClaimStatus.SUBMITTED]
        )
        .select_related("loan", "loan__customer")
        .order_by("prepared_on", "pk")
    )
