"""Demo subordination requests: one just received from the lenders' public
form, and one approved (matched to a standing lien whose loan is current,
reviewed by staff and approved by a supervisor). Idempotent by institution.
The approved one needs a demo lien; without one it is skipped."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from liens.choices import LienStatus
from liens.choices_subordinations import SubordinationPurpose, SubordinationSource
from liens.models import Lien, SubordinationRequest
from liens.services import subordinations as svc
from portal.audit import get_system_user

PUBLIC_LENDER = "Hudson Valley Savings Bank"
APPROVED_LENDER = "First Riverton Federal Credit Union"


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def load_subordinations_demo(users: dict[str, Any] | None = None) -> None:
    users = users or {}
    alice = users.get("alice") or _user("alice")
    bob = users.get("bob") or _user("bob")
    today = timezone.localdate()
    if not SubordinationRequest.objects.filter(institution=PUBLIC_LENDER).exists():
        svc.subordination_request_submit(
            actor=get_system_user(),
            source=SubordinationSource.PUBLIC_FORM,
            institution=PUBLIC_LENDER,
            contact_name="Dana Ortiz",
            contact_email="dana.ortiz@hvsb.example",
            contact_phone="518-555-0100",
            property_text="27 Oak Ave, Riverton",
            borrower_name="Carol Jensen",
            new_loan_amount=Decimal("185000.00"),
            purpose=SubordinationPurpose.REFINANCE,
            appraised_value=Decimal("260000.00"),
            senior_liens_total=Decimal("0.00"),
        )
    if alice is None or bob is None:
        return
    if SubordinationRequest.objects.filter(institution=APPROVED_LENDER).exists():
        return
    standing = Lien.objects.filter(
        status__in=[LienStatus.RECORDED, LienStatus.SUBORDINATED]
    ).select_related("parcel", "loan")
    # A current loan's lien, so the request can be approved; otherwise a
    # delinquent one's, and the request waits in review with the failing rule.
    lien = (
        standing.filter(
            Q(loan__oldest_unpaid_due__isnull=True)
            | Q(loan__oldest_unpaid_due__gte=today)
        ).first()
        or standing.first()
    )
    if lien is None:
        return
    request = svc.subordination_request_submit(
        actor=alice,
        source=SubordinationSource.STAFF,
        institution=APPROVED_LENDER,
        contact_name="Lee Park",
        contact_email="lee.park@frfcu.example",
        property_text=f"{lien.parcel.line1} (parcel {lien.parcel.parcel_id})",
        borrower_name=str(lien.loan.customer),
        new_loan_amount=Decimal("120000.00"),
        purpose=SubordinationPurpose.CASH_OUT,
        appraised_value=Decimal("250000.00"),
        senior_liens_total=Decimal("0.00"),
        fee_paid=True,
        fee_paid_on=today,
        fee_amount=Decimal("75.00"),
    )
    svc.subordination_request_match(actor=alice, request=request, lien=lien)
    svc.subordination_start_review(actor=alice, request=request)
    try:
        svc.subordination_approve(actor=bob, request=request)
    except ValidationError:
        pass  # a rule fails (the loan is past due): it waits in review
