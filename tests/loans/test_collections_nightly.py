"""The day's collection work follows the nightly aging run: promises due are
judged when aging finishes, and the ladder's letters go out as their own job
(a reminder at 10 days past due, recorded as a `letter` action and e-mailed),
once per step however often the job runs."""

from datetime import date
from decimal import Decimal

from django.core import mail
from django.core.management import call_command

import pytest
import time_machine

from loans.choices import ActionType, PromiseStatus
from loans.models import AgingTrigger, CollectionAction, LoanCorrespondence
from loans.services.aging import aging_run
from loans.services.collections import collection_letters_send
from portal.audit import get_system_user
from tests.loans.collections_setup import record

pytestmark = pytest.mark.django_db(transaction=True)

# Booked Jan 1, 2026, first due Feb 1, nothing paid: 10 days past due on Feb 11.
REMINDER_DAY = date(2026, 2, 11)


def age(as_of):
    with time_machine.travel(as_of, tick=False):
        return aging_run(
            as_of=as_of, actor=get_system_user(), trigger=AgingTrigger.COMMAND
        )


def send(as_of):
    with time_machine.travel(as_of, tick=False):
        return collection_letters_send(as_of=as_of, actor=get_system_user())


def test_the_aging_run_judges_the_promises_due_that_day(book, staff_alice):
    loan = book("L-1")
    promise = record(
        staff_alice,
        loan,
        "promise_to_pay",
        date(2026, 2, 12),
        channel="phone",
        promise_amount=Decimal("300.00"),
        promise_date=date(2026, 2, 20),
    )
    age(date(2026, 2, 19))
    assert CollectionAction.objects.get(pk=promise.pk).promise_status == (
        PromiseStatus.OPEN
    )
    age(date(2026, 2, 20))
    assert CollectionAction.objects.get(pk=promise.pk).promise_status == (
        PromiseStatus.BROKEN
    )


def test_the_reminder_goes_out_at_ten_days_past_due_once(book):
    loan = book("L-1")
    assert send(date(2026, 2, 10)) == 0  # 9 days past due: nothing yet
    assert send(REMINDER_DAY) == 1
    letter = CollectionAction.objects.get(loan=loan)
    assert (letter.type, letter.channel, letter.date) == (
        ActionType.LETTER,
        "mail",
        REMINDER_DAY,
    )
    assert LoanCorrespondence.objects.filter(loan=loan).count() == 1
    assert [m.to for m in mail.outbox] == [["carol.jensen@example.org"]]
    assert mail.outbox[0].attachments[0][0].endswith(".pdf")

    assert send(REMINDER_DAY) == 0  # a re-run finds the step done
    assert send(date(2026, 2, 20)) == 0  # and the next letter is at 30 days
    assert CollectionAction.objects.filter(loan=loan).count() == 1
    assert len(mail.outbox) == 1


def test_the_second_notice_follows_at_thirty_days(book):
    loan = book("L-1")
    send(REMINDER_DAY)
    assert send(date(2026, 3, 3)) == 1  # 30 days past due
    assert list(
        CollectionAction.objects.filter(loan=loan)
        .order_by("date")
        .values_list("date", flat=True)
    ) == [REMINDER_DAY, date(2026, 3, 3)]


def test_the_command_sends_the_days_letters(book, capsys):
    book("L-1")
    with time_machine.travel(REMINDER_DAY, tick=False):
        call_command("send_collection_letters", "--as-of", "2026-02-11")
    assert "1 sent" in capsys.readouterr().out
