"""The ladder's next recommended action: the furthest step reached and not
yet done in the delinquency episode; never repeated in an episode; started
again in a new episode."""

from datetime import date, timedelta

import pytest

from loans.ladder import Done, Rung, next_step
from loans.selectors_collections import collection_queue, ladder
from tests.loans.collections_setup import FIRST_DUE, fresh, pay, record

START = date(2026, 2, 1)

# The default ladder (data migration 0010), as the arithmetic sees it.
LADDER = [
    Rung(1, 10, "letter", label="Reminder letter", template_code="reminder"),
    Rung(2, 30, "letter", label="Second notice", template_code="second_notice"),
    Rung(3, 45, "call", label="Telephone call"),
    Rung(4, 60, "letter", label="Final notice", template_code="final_notice"),
    Rung(5, 90, "attorney_referral", label="Refer to the City Attorney"),
    Rung(6, 180, "agency_referral", after_action="judgment", label="Agency"),
]


def step_at(dpd: int, actions=()):
    step = next_step(
        LADDER, start=START, as_of=START + timedelta(days=dpd), actions=list(actions)
    )
    return step.label if step else None


def on(dpd: int, type: str) -> Done:
    return Done(type, START + timedelta(days=dpd))


@pytest.mark.parametrize(
    ("dpd", "label"),
    [
        (0, None),
        (9, None),
        (10, "Reminder letter"),
        (29, "Reminder letter"),
        (30, "Second notice"),
        (44, "Second notice"),
        (45, "Telephone call"),
        (59, "Telephone call"),
        (60, "Final notice"),
        (89, "Final notice"),
        (90, "Refer to the City Attorney"),
        (179, "Refer to the City Attorney"),
        (180, "Agency"),
    ],
)
def test_with_nothing_done_the_furthest_step_reached_is_next(dpd, label):
    assert step_at(dpd) == label


def test_a_step_done_is_not_asked_for_again_in_the_episode():
    reminder = on(12, "letter")
    assert step_at(20, [reminder]) is None
    assert step_at(29, [reminder]) is None
    # The reminder letter does not count as the second notice.
    assert step_at(30, [reminder]) == "Second notice"
    assert step_at(31, [reminder, on(31, "letter")]) is None


def test_steps_skipped_below_a_done_step_are_not_asked_for_later():
    # Called at 50 days without the letters before it: the ladder goes on up.
    assert step_at(55, [on(50, "call")]) is None
    assert step_at(60, [on(50, "call")]) == "Final notice"


def test_an_early_referral_counts_and_the_ladder_never_goes_back_down():
    early = on(70, "attorney_referral")
    assert step_at(75, [early]) is None
    assert step_at(95, [early]) is None
    assert step_at(180, [early]) == "Agency"


def test_a_judgment_brings_the_agency_step_before_180_days():
    done = [on(91, "attorney_referral"), on(120, "judgment")]
    assert step_at(119, done[:1]) is None
    assert step_at(121, done) == "Agency"


def test_actions_before_the_episode_started_do_not_count():
    earlier = Done("letter", START - timedelta(days=5))
    assert step_at(10, [earlier]) == "Reminder letter"


def test_the_seeded_ladder_is_the_default_one(db):
    assert [
        (r.order, r.dpd_threshold, r.action_type, r.template_code) for r in ladder()
    ] == [
        (1, 10, "letter", "reminder"),
        (2, 30, "letter", "second_notice"),
        (3, 45, "call", ""),
        (4, 60, "letter", "final_notice"),
        (5, 90, "attorney_referral", "attorney_referral_notice"),
        (6, 180, "agency_referral", ""),
    ]
    assert ladder()[-1].after_action == "judgment"


def _next(loan, as_of):
    rows = [r for r in collection_queue(as_of) if r.loan.pk == loan.pk]
    if not rows:
        return "not in the queue"
    return rows[0].next_step.label if rows[0].next_step else None


def test_the_queue_restarts_the_ladder_in_a_new_episode(
    book, staff_alice, cashiering_system
):
    loan = book("L-1")
    assert FIRST_DUE == fresh(loan).oldest_unpaid_due
    assert _next(loan, date(2026, 2, 10)) is None  # 9 days past due
    assert _next(loan, date(2026, 2, 11)) == "Reminder letter"
    record(staff_alice, loan, "letter", date(2026, 2, 11), note="reminder")
    assert _next(loan, date(2026, 2, 12)) is None
    # Paid current on Feb 20: the episode ends; the loan leaves the queue.
    installment = fresh(loan).installment_amount
    pay(cashiering_system, loan, str(installment), date(2026, 2, 20))
    assert fresh(loan).oldest_unpaid_due == date(2026, 3, 1)
    assert _next(loan, date(2026, 3, 1)) == "not in the queue"
    # March's installment goes unpaid: a new episode, the reminder again.
    assert _next(loan, date(2026, 3, 11)) == "Reminder letter"
