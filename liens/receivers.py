"""What liens do when loans tell them something (connected in LiensConfig.ready).

- A loan activated that needs a lien gets its lien, to record.
- A loan paid off gets the satisfaction of its standing lien prepared.

Both run after the loan's transaction commits; a lien that can't be made
(no property on file, no standing lien) is left for staff, never an error
that would undo the loan's own step.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError

from liens.choices import LienStatus
from liens.models import Lien
from liens.services.liens import lien_create_for_loan, lien_prepare_satisfaction
from loans.models import Loan
from portal.audit import SYSTEM_USERNAME, get_system_user

logger = logging.getLogger(__name__)


def _acting(actor: Any) -> Any:
    # The loan's own step was allowed to its actor; the lien's follow-up is the
    # office's bookkeeping, done as the system user when nobody (or somebody
    # without the lien role, e.g. a cashier posting the payoff) acted.
    if actor is not None and (
        actor.has_perm("liens.record_lien") or actor.get_username() == SYSTEM_USERNAME
    ):
        return actor
    return get_system_user()


def create_lien_on_activation(sender: Any, *, loan: Loan, actor: Any, **_: Any) -> None:
    loan = Loan.objects.get(pk=loan.pk)
    if (
        not loan.lien_required
        or loan.liens.exclude(status=LienStatus.SATISFIED).exists()
    ):
        return
    if loan.parcel_id is None:
        # A migrated loan booked without its property: the back office's
        # "Create lien" button once the property is on file.
        logger.info("Loan %s needs a lien but has no property", loan.number)
        return
    try:
        lien_create_for_loan(actor=_acting(actor), loan=loan)
    except ValidationError as refused:
        # Another hand created it meanwhile: the loan's activation stands.
        logger.info("Lien for loan %s not created: %s", loan.number, refused)


def prepare_satisfaction_on_payoff(
    sender: Any, *, loan: Loan, actor: Any = None, **_: Any
) -> None:
    lien = (
        Lien.objects.filter(
            loan_id=loan.pk,
            status__in=[LienStatus.RECORDED, LienStatus.SUBORDINATED],
        )
        .order_by("pk")
        .first()
    )
    if lien is None:
        return
    try:
        lien_prepare_satisfaction(actor=_acting(actor), lien=lien)
    except ValidationError as refused:
        # e.g. the payoff was reversed before this ran: the loan has a balance.
        logger.info("Satisfaction of %s not prepared: %s", lien.reference, refused)


def connect() -> None:
    from loans.engine import loan_paid_off
    from loans.signals import loan_activated

    loan_activated.connect(
        create_lien_on_activation, dispatch_uid="liens.create_lien_on_activation"
    )
    loan_paid_off.connect(
        prepare_satisfaction_on_payoff,
        dispatch_uid="liens.prepare_satisfaction_on_payoff",
    )
