"""A title company's payoff request: the property is being sold, the title
company needs the payoff figure to close, pays it from the sale, and the
lien's satisfaction follows the payoff (liens.receivers).

In the back office: Liens & deposits › Payoff requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from loans.choices import OPEN_LOAN_STATUSES, LoanStatus
from portal.audit import audited_history
from portal.transitions import Verdict, first_refusal, has_perm, refuse


class PayoffRequest(models.Model):
    """Entered by staff from the title company's request; its payoff letter
    is generated when it is entered."""

    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="payoff_requests"
    )
    title_company = models.CharField(max_length=200)
    contact_name = models.CharField("contact", max_length=200)
    email = models.EmailField("e-mail")
    closing_on = models.DateField("closing date")
    payoff_on = models.DateField(
        "requested payoff date", help_text="The payoff figure is good through this day."
    )
    letter_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The payoff letter sent to the title company.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[PayoffRequest]]

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Payoff request {self.reference} ({self.title_company})"

    @property
    def reference(self) -> str:
        return f"PR-{self.pk:06d}" if self.pk else "PR-new"

    def is_paid(self) -> bool:
        """The title company's payment arrived: the loan is paid off."""
        return self.loan.status == LoanStatus.PAID_OFF

    @staticmethod
    def can_create_for(loan: Any, actor: Any) -> Verdict:
        """A payoff figure is given for a loan that still owes."""
        return first_refusal(
            has_perm(actor, "liens.record_lien", doing="enter payoff requests"),
            Verdict(True)
            if loan.status in OPEN_LOAN_STATUSES
            else refuse(
                f"Loan {loan.number} is {loan.get_status_display().lower()}; "
                "there is no payoff to quote."
            ),
        )
