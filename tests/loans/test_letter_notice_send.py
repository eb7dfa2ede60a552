"""notice_send: the ladder's notice letter rendered as a PDF with the loan's
figures, recorded as Correspondence on the customer and the loan, e-mailed
with the PDF attached when the customer has an address, once per (loan,
template, day)."""

from datetime import date
from decimal import Decimal

from django.core import mail
from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.models import LetterTemplate, LoanCorrespondence
from loans.services.letters import NO_TEMPLATE, notice_send
from portal.models import Correspondence
from tests.loans.letters_fixtures import *  # noqa: F403 (fixtures: loan, office)
from tests.loans.letters_fixtures import pdf_text

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 20)


def _pdf(record: LoanCorrespondence) -> bytes:
    with record.correspondence.rendered_file.open("rb") as handle:
        return handle.read()


@time_machine.travel(ON, tick=False)
def test_reminder_prints_name_figures_and_office(loan, staff_alice):
    record = notice_send(loan=loan, template_code="reminder", actor=staff_alice, on=ON)
    text = pdf_text(_pdf(record))
    assert "Carol Jensen 12 Maple St Riverton, NY 12180" in text
    assert "March 20, 2026" in text
    assert "Reminder: your loan L-1 payment is past due" in text
    # Installments 1 and 2 (due Feb 1 and Mar 1) unpaid: 47 days past due,
    # 2 x $188.71 past due; the next one, Apr 1, owes $188.71.
    assert "is 47 days past due" in text
    assert "past due as of March 20, 2026 is $377.42" in text
    assert "Your next installment of $188.71 is due on April 1, 2026" in text
    assert "A late fee of $15.00 is charged on an installment unpaid 15 days" in text
    assert "PO Box 4100, Riverton, NY 12181" in text
    assert "(518) 555-0100" in text


@time_machine.travel(ON, tick=False)
def test_notice_is_correspondence_on_the_customer_and_the_loan(loan, staff_alice):
    record = notice_send(
        loan=loan, template_code="final_notice", actor=staff_alice, on=ON
    )
    correspondence = Correspondence.objects.get()
    assert record.correspondence == correspondence
    assert correspondence.customer == loan.customer
    assert correspondence.account == loan.account
    assert correspondence.subject == "Final notice before referral: loan L-1"
    assert correspondence.sent_by == staff_alice
    assert correspondence.rendered_file.name.endswith(".pdf")
    assert _pdf(record).startswith(b"%PDF")
    assert record.loan == loan
    assert record.template == LetterTemplate.objects.get(code="final_notice")
    assert record.on == ON
    assert correspondence.history.first().history_change_reason.startswith(
        "Notice letter: Final notice"
    )


@time_machine.travel(ON, tick=False)
def test_notice_is_emailed_with_the_pdf_when_the_customer_has_an_address(
    loan, staff_alice
):
    record = notice_send(
        loan=loan, template_code="second_notice", actor=staff_alice, on=ON
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol.jensen@example.org"]
    assert message.from_email == "finance@riverton.example"
    assert message.subject == "Second notice: loan L-1 is 47 days past due"
    assert "$377.42" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "second_notice-L-1-2026-03-20.pdf"
    assert mimetype == "application/pdf"
    assert content == _pdf(record)
    assert record.emailed_to == "carol.jensen@example.org"
    assert record.correspondence.channel == "email"


@time_machine.travel(ON, tick=False)
def test_no_email_without_an_address_the_letter_is_still_recorded(loan, staff_alice):
    customer = loan.customer
    customer.email = ""
    customer.save()
    record = notice_send(loan=loan, template_code="reminder", actor=staff_alice, on=ON)
    assert mail.outbox == []
    assert record.emailed_to == ""
    assert record.correspondence.channel == "letter"


@time_machine.travel(ON, tick=False)
def test_the_same_notice_for_the_same_day_is_sent_once(loan, staff_alice):
    first = notice_send(loan=loan, template_code="reminder", actor=staff_alice, on=ON)
    again = notice_send(loan=loan, template_code="reminder", actor=staff_alice, on=ON)
    assert again == first
    assert Correspondence.objects.count() == 1
    assert len(mail.outbox) == 1
    # Another day, or another template, is another notice.
    notice_send(
        loan=loan, template_code="reminder", actor=staff_alice, on=date(2026, 3, 19)
    )
    notice_send(loan=loan, template_code="second_notice", actor=staff_alice, on=ON)
    assert LoanCorrespondence.objects.count() == 3


@time_machine.travel(ON, tick=False)
def test_payments_received_by_the_day_lower_the_past_due_amount(
    loan, staff_alice, cashiering_system
):
    from loans.services.payments import payment_post

    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 3),
        method="check",
        reference="CHK-1",
    )
    record = notice_send(loan=loan, template_code="reminder", actor=staff_alice, on=ON)
    text = pdf_text(_pdf(record))
    assert "is 19 days past due" in text
    assert "past due as of March 20, 2026 is $188.71" in text


@time_machine.travel(ON, tick=False)
def test_unknown_template_is_refused_by_name(loan, staff_alice):
    with pytest.raises(ValidationError) as refused:
        notice_send(loan=loan, template_code="dunning", actor=staff_alice, on=ON)
    assert refused.value.message_dict == {
        "template_code": [NO_TEMPLATE.format(code="dunning")]
    }
    assert Correspondence.objects.count() == 0


@time_machine.travel(ON, tick=False)
def test_a_person_without_the_permission_is_refused(loan, cashier_casey):
    with pytest.raises(ValidationError, match="permission to send letters"):
        notice_send(loan=loan, template_code="reminder", actor=cashier_casey, on=ON)
    assert mail.outbox == []


@time_machine.travel(ON, tick=False)
def test_a_letter_dated_in_the_future_is_refused(loan, staff_alice):
    with pytest.raises(ValidationError) as refused:
        notice_send(
            loan=loan, template_code="reminder", actor=staff_alice, on=date(2026, 3, 21)
        )
    assert "on" in refused.value.message_dict
