"""The online rebate application: what a customer's draft says, the
estimate shown before submitting, and the submission.

A draft (portal.models.OnlineApplication, kind "rebate") keeps the
customer's answers step by step in its `data`:

    {"program": {"program": "<program pk>", "account": "<account pk>"},
     "measures": {"lines": {"<measure pk>": {"quantity": "2",
                                             "invoiced_cost": "1200.00"}},
                  "install_date": "2026-10-01", "contractor_name": "..."}}

and its uploaded invoices and photos in `documents`. Nothing here has rules
of its own: the estimate asks `services.customer_eligibility` and
`services.rebate_lines_judge`, and the submission hands the answers to
`services.rebate_application_create`, the service staff enter applications
with, so the customer sees exactly the reasons staff would see and the
application lands in the same workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.audit import audit_context
from portal.models import (
    Customer,
    OfficeSettings,
    OnlineApplication,
    OnlineApplicationKind,
    UtilityAccount,
)
from programs import rules
from programs.models import Measure, Program, RebateApplication
from programs.services import (
    LineRequest,
    customer_eligibility,
    rebate_application_create,
    rebate_lines_judge,
)

SUBMITTED_REASON = "Submitted online"
NOT_OPEN = "{program} is not taking applications now; choose another program."
CHOOSE_PROGRAM = "Choose the program and the account first."
CHOOSE_MEASURES = "Choose at least one measure."
NOT_A_REBATE_DRAFT = "This is not a rebate application."

# The steps of the online application, in order, with their names.
STEPS: list[tuple[str, str]] = [
    ("program", "Program"),
    ("measures", "Measures"),
    ("documents", "Documents"),
    ("eligibility", "Eligibility"),
    ("review", "Review"),
]
STEP_NAMES = dict(STEPS)
STEP_ORDER = [slug for slug, _ in STEPS]


def programs_open_for_applications(on: date) -> QuerySet[Program]:
    """Active programs running on `on` that have at least one measure."""
    return (
        Program.objects.filter(
            is_active=True,
            starts_on__lte=on,
            ends_on__gte=on,
            measures__isnull=False,
        )
        .distinct()
        .order_by("name", "code")
    )


@dataclass(frozen=True)
class RebateAnswers:
    """A draft's answers read back as records (None where not given yet)."""

    program: Program | None
    account: UtilityAccount | None
    lines: list[LineRequest]
    install_date: date | None
    contractor_name: str


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def rebate_draft_answers(draft: OnlineApplication) -> RebateAnswers:
    """The draft's answers, each looked up through the draft's customer: a
    program that is no longer open, an account or a measure that is not
    theirs (or the program's) reads as not answered. Three queries."""
    data = draft.data or {}
    chosen = data.get("program") or {}
    program = None
    account = None
    if chosen.get("program"):
        program = Program.objects.filter(pk=chosen["program"]).first()
    if chosen.get("account"):
        account = UtilityAccount.objects.filter(
            pk=chosen["account"], customer_id=draft.customer_id
        ).first()
    answers = data.get("measures") or {}
    wanted = answers.get("lines") or {}
    lines: list[LineRequest] = []
    if program is not None and wanted:
        measures = Measure.objects.filter(program=program, pk__in=list(wanted))
        for measure in measures.order_by("code"):
            given = wanted[str(measure.pk)]
            quantity = _decimal(given.get("quantity"))
            if quantity is None:
                continue
            lines.append(
                LineRequest(measure, quantity, _decimal(given.get("invoiced_cost")))
            )
    install = answers.get("install_date")
    return RebateAnswers(
        program=program,
        account=account,
        lines=lines,
        install_date=date.fromisoformat(install) if install else None,
        contractor_name=answers.get("contractor_name") or "",
    )


# --------------------------------------------------------------------------
# The estimate (step "Eligibility")
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LineEstimate:
    line: LineRequest
    incentive: Decimal | None
    problems: list[str]


@dataclass(frozen=True)
class RebateEstimate:
    eligibility: rules.EligibilityResult
    lines: list[LineEstimate]
    total: Decimal

    @property
    def problems(self) -> list[str]:
        return [problem for line in self.lines for problem in line.problems]

    @property
    def can_submit(self) -> bool:
        """Entry would accept it: eligible, every line sound."""
        return bool(self.lines) and self.eligibility.eligible and not self.problems


def rebate_online_estimate(
    *,
    program: Program,
    account: UtilityAccount,
    customer: Customer,
    lines: list[LineRequest],
    document_types: set[str],
    on: date | None = None,
) -> RebateEstimate:
    """What entry would say about these answers, without entering anything:
    eligibility with every reason (`customer_eligibility`), each line's
    incentive and problems (`rebate_lines_judge`) and the total incentive.
    A program whose rules can't be applied is shown as not eligible with
    the service's message."""
    try:
        eligibility = customer_eligibility(
            program=program,
            account=account,
            customer=customer,
            on=on or timezone.localdate(),
        )
    except ValidationError as error:
        messages = [str(m) for m in error.messages]
        eligibility = rules.EligibilityResult(False, messages, messages)
    judged = rebate_lines_judge(
        program=program, account=account, lines=lines, document_types=document_types
    )
    estimates = [LineEstimate(j.line, j.incentive, j.problems) for j in judged]
    total = sum(
        (e.incentive for e in estimates if e.incentive is not None), Decimal("0.00")
    )
    return RebateEstimate(eligibility=eligibility, lines=estimates, total=total)


def rebate_draft_estimate(draft: OnlineApplication) -> RebateEstimate | None:
    """The estimate for a draft's answers; None until the program, the
    account and at least one measure are chosen."""
    answers = rebate_draft_answers(draft)
    if answers.program is None or answers.account is None or not answers.lines:
        return None
    return rebate_online_estimate(
        program=answers.program,
        account=answers.account,
        customer=draft.customer,
        lines=answers.lines,
        document_types={d.document_type for d in draft.documents.all()},
    )


# --------------------------------------------------------------------------
# Submission
# --------------------------------------------------------------------------


def status_path(application: RebateApplication, draft: OnlineApplication) -> str:
    """Where the customer follows the application: My applications' page
    for it when the site has one, else this draft's confirmation page."""
    try:
        return reverse("customer:application", args=["rebate", application.pk])
    except NoReverseMatch:
        return reverse("customer:apply_rebate_resume", args=[draft.pk])


def _send_confirmation(
    draft: OnlineApplication, application: RebateApplication
) -> None:
    customer = draft.customer
    to = customer.email or getattr(customer.user, "email", "")
    if not to:
        return
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    context = {
        "customer": customer,
        "application": application,
        "program": application.program,
        "status_url": base + status_path(application, draft),
    }
    office = OfficeSettings.current()
    subject = render_to_string(
        "customer/email/rebate_application_submitted_subject.txt", context
    )
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string(
            "customer/email/rebate_application_submitted_message.txt", context
        ),
        from_email=office.email or settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
    )


@transaction.atomic
def rebate_application_submit_online(
    *, actor: Any, draft: OnlineApplication
) -> RebateApplication:
    """Submit a customer's draft: lock it, read its answers, enter the
    application through `rebate_application_create` (its refusals come
    back as they are: "account" for eligibility, "lines" for the measures;
    "program" when the program closed meanwhile), then mark the draft
    submitted with a link to the application and its reference. The
    confirmation e-mail leaves once the transaction commits.

    Submitting a draft twice (a double click, a reload) enters one
    application: the second call returns the one the first entered."""
    draft = OnlineApplication.objects.select_for_update().get(pk=draft.pk)
    if draft.kind != OnlineApplicationKind.REBATE:
        raise ValidationError(NOT_A_REBATE_DRAFT)
    if not draft.is_draft():
        submitted = draft.submitted
        assert isinstance(submitted, RebateApplication)
        return submitted
    answers = rebate_draft_answers(draft)
    if answers.program is None or answers.account is None:
        raise ValidationError({"program": CHOOSE_PROGRAM})
    if not answers.lines:
        raise ValidationError({"lines": CHOOSE_MEASURES})
    today = timezone.localdate()
    if not programs_open_for_applications(today).filter(pk=answers.program.pk):
        raise ValidationError(
            {"program": NOT_OPEN.format(program=answers.program.name)}
        )
    application = rebate_application_create(
        actor=actor,
        program=answers.program,
        account=answers.account,
        lines=answers.lines,
        install_date=answers.install_date,
        contractor_name=answers.contractor_name,
        documents=list(draft.documents.all()),
    )
    now = timezone.now()
    draft.submitted_at = now
    draft.updated_at = now
    draft.submitted = application
    draft.submitted_reference = application.reference
    with audit_context(user=actor, reason=SUBMITTED_REASON):
        draft.save()
    transaction.on_commit(lambda: _send_confirmation(draft, application))
    return application
