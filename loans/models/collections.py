"""What the office did to collect a delinquent loan: letters, calls, visits,
promises to pay, arrangements, referrals, judgments, write-offs and State
guarantee claims, each recorded with who, when, how and what came of it.

Actions are the collection history an auditor and the PSC report read, so
they are records, not drafts: services in loans.services.collections create
them, and the only later change is a promise's kept/broken verdict.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from loans.choices import ActionChannel, ActionType, PromiseStatus
from loans.models.book import amount_field
from portal.audit import audited_history


class CollectionAction(models.Model):
    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="collection_actions"
    )
    type = models.CharField(max_length=20, choices=ActionType.choices)
    date = models.DateField(help_text="When it was done (never in the future).")
    channel = models.CharField(max_length=10, choices=ActionChannel.choices)
    outcome = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A promise to pay: the customer will pay at least this much by this date.
    promise_amount = amount_field(null=True, blank=True)
    promise_date = models.DateField(null=True, blank=True)
    promise_status = models.CharField(
        max_length=10, choices=PromiseStatus.choices, blank=True
    )
    # The as-of date of the run (collections_day) that judged the promise.
    promise_judged_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["loan", "-date"], name="action_loan_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(promise_amount__isnull=True) | Q(promise_amount__gt=0),
                name="action_promise_positive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(promise_amount__isnull=True, promise_date__isnull=True)
                    | Q(promise_amount__isnull=False, promise_date__isnull=False)
                ),
                name="action_promise_amount_and_date_together",
            ),
        ]
        permissions = [("record_collection_action", "Can record collection actions")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.date:%b %-d, %Y}"

    def is_promise(self) -> bool:
        return self.promise_amount is not None


class CollectionStep(models.Model):
    """One rung of the collection ladder: at this many days past due (or once
    `after_action` has been recorded in the delinquency episode), the office
    takes this action. The ladder is data: a supervisor edits it in the back
    office (Loans › Collection ladder), with its history.

    How the next recommended action is chosen from it:
    loans.services.collections (module docstring).
    """

    order = models.PositiveSmallIntegerField(
        help_text="Position on the ladder (1 is the first step)."
    )
    label = models.CharField(max_length=100, help_text="What staff see, in words.")
    dpd_threshold = models.PositiveSmallIntegerField(
        "days past due",
        validators=[MinValueValidator(1)],
        help_text="The step is due once the loan is this many days past due.",
    )
    after_action = models.CharField(
        "or after",
        max_length=20,
        choices=ActionType.choices,
        blank=True,
        help_text="Also due as soon as this action is recorded in the episode "
        "(e.g. after a judgment), whatever the days past due.",
    )
    action_type = models.CharField("action", max_length=20, choices=ActionType.choices)
    channel = models.CharField(max_length=10, choices=ActionChannel.choices)
    template_code = models.CharField(
        "letter template",
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9_]+$",
                "A template code is lower-case letters, digits and '_'.",
            )
        ],
        help_text="The notice letter's template code (letters only), e.g. reminder.",
    )
    is_active = models.BooleanField(default=True)

    history = audited_history()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "collection ladder step"
        constraints = [
            models.UniqueConstraint(fields=["order"], name="collection_step_order"),
            models.CheckConstraint(
                condition=~Q(action_type=ActionType.LETTER) | ~Q(template_code=""),
                name="collection_step_letter_has_template",
            ),
            models.CheckConstraint(
                condition=Q(dpd_threshold__gte=1),
                name="collection_step_threshold_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (at {self.dpd_threshold} days past due)"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.action_type == ActionType.LETTER and not self.template_code:
            raise ValidationError(
                {"template_code": "A letter step needs its letter template code."}
            )
