"""Letters: editing their templates, and sending a notice.

`notice_send` is what the collection ladder (and the loan page's "Send a
notice" button) calls: it renders the template's letter for the loan as of
a day into a PDF, records it as Correspondence on the customer (with the
file, in private storage) and on the loan (LoanCorrespondence), and e-mails
it, PDF attached, when the customer has an e-mail address. Once per (loan,
template, day): asking again returns the first record and sends nothing.

`loan_correspondence_record` is the one writer of a loan's correspondence;
the statement and coupon-book services use it too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from loans.choices import LoanStatus
from loans.documents import letters as documents
from loans.models import LetterKind, LetterTemplate, Loan, LoanCorrespondence
from portal.audit import audit_context
from portal.checks import future_problem
from portal.choices import CorrespondenceChannel
from portal.models import Correspondence, OfficeSettings
from portal.transitions import has_perm

NO_TEMPLATE = "There is no letter template with the code {code!r}."
INACTIVE_TEMPLATE = "The letter template {name} is inactive; it can't be sent."
NOT_A_NOTICE = "{name} is not a notice letter; it can't be sent as one."
NOT_DISBURSED = "Loan {number} is not disbursed yet; there is nothing to write about."
TEMPLATE_FIELDS = ("code", "name", "kind", "subject", "body", "is_active")


def require_send(actor: Any) -> None:
    verdict = has_perm(
        actor, "loans.send_letter", doing="send letters, statements or coupon books"
    )
    if not verdict:
        raise ValidationError(verdict.reason)


# --- templates -------------------------------------------------------------


@transaction.atomic
def letter_template_create(*, actor: Any, **fields: Any) -> LetterTemplate:
    template = LetterTemplate(
        **{k: v for k, v in fields.items() if k in TEMPLATE_FIELDS}
    )
    template.full_clean()  # refuses an unknown or broken placeholder, by name
    with audit_context(user=actor, reason=f"Letter template {template.code} created"):
        template.save()
    return template


@transaction.atomic
def letter_template_update(
    *, actor: Any, template: LetterTemplate, **changes: Any
) -> LetterTemplate:
    template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    for name, value in changes.items():
        if name in TEMPLATE_FIELDS:
            setattr(template, name, value)
    template.updated_at = timezone.now()
    template.full_clean()
    with audit_context(user=actor, reason=f"Letter template {template.code} edited"):
        template.save()
    return template


# --- recording what was sent ------------------------------------------------


def loan_correspondence_record(
    *,
    actor: Any,
    loan: Loan,
    kind: str,
    on: date,
    subject: str,
    body: str,
    pdf: bytes,
    file_name: str,
    template: LetterTemplate | None = None,
    emailed_to: str = "",
) -> LoanCorrespondence:
    """Keep the document as sent: a Correspondence on the customer (and the
    loan's account) holding the PDF, tied to the loan. Call inside the
    caller's transaction."""
    with audit_context(user=actor, reason=f"{LetterKind(kind).label}: {subject}"):
        correspondence = Correspondence(
            customer=loan.customer,
            account=loan.account,
            channel=(
                CorrespondenceChannel.EMAIL
                if emailed_to
                else CorrespondenceChannel.LETTER
            ),
            subject=subject[:200],
            body=body,
            sent_by=actor,
        )
        correspondence.rendered_file.save(file_name, ContentFile(pdf), save=False)
        correspondence.save()
        return LoanCorrespondence.objects.create(
            loan=loan,
            correspondence=correspondence,
            kind=kind,
            template=template,
            on=on,
            emailed_to=emailed_to,
            created_by=actor,
        )


def email_document(
    *, to: str, subject: str, body: str, pdf: bytes, file_name: str
) -> None:
    """Send the document by e-mail with the PDF attached (Django's e-mail
    framework: the console in development, locmem in tests)."""
    office = OfficeSettings.current()
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=office.email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach(file_name, pdf, "application/pdf")
    message.send(fail_silently=False)


# --- notices ----------------------------------------------------------------


def notice_template(code: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(code=code).first()
    if template is None:
        raise ValidationError({"template_code": NO_TEMPLATE.format(code=code)})
    if not template.is_active:
        raise ValidationError(
            {"template_code": INACTIVE_TEMPLATE.format(name=template.name)}
        )
    if template.kind != LetterKind.NOTICE:
        raise ValidationError(
            {"template_code": NOT_A_NOTICE.format(name=template.name)}
        )
    return template


@transaction.atomic
def notice_send(
    *, loan: Loan, template_code: str, actor: Any, on: date
) -> LoanCorrespondence:
    """Send the notice `template_code` about `loan`, dated `on` (not in the
    future). Idempotent per (loan, template, on): a second call returns the
    first record and neither renders nor e-mails again.

    The e-mail goes last, inside the transaction: if the mail server refuses
    it, nothing is recorded and the next attempt sends it."""
    require_send(actor)
    template = notice_template(template_code)
    if problem := future_problem(on, "The letter's date"):
        raise ValidationError({"on": problem})
    # The loan row lock orders two senders of the same notice: the second
    # finds the first one's record.
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("customer", "account", "product")
        .get(pk=loan.pk)
    )
    if loan.status == LoanStatus.CLOSING or loan.disbursed_on is None:
        raise ValidationError(NOT_DISBURSED.format(number=loan.number))
    already = LoanCorrespondence.objects.filter(
        loan=loan, template=template, on=on, kind=LetterKind.NOTICE
    ).first()
    if already is not None:
        return already
    values = documents.letter_values(loan, on)
    subject, body = template.render(values)
    html = documents.notice_html(template, values=values, customer=loan.customer, on=on)
    pdf = documents.notice_pdf(html)
    file_name = f"{template.code}-{loan.number}-{on.isoformat()}.pdf"
    email = loan.customer.email
    record = loan_correspondence_record(
        actor=actor,
        loan=loan,
        kind=LetterKind.NOTICE,
        on=on,
        subject=subject,
        body=body,
        pdf=pdf,
        file_name=file_name,
        template=template,
        emailed_to=email,
    )
    if email:
        email_document(
            to=email, subject=subject, body=body, pdf=pdf, file_name=file_name
        )
    return record
