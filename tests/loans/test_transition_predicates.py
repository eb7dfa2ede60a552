"""Every refusal of the loan workflows, proven once through the predicate
table: for each state and action, the model's `can_<action>(actor)` either
allows it or gives the exact reason the service and the screens show."""

from datetime import UTC, date

import pytest
import time_machine

from loans.choices import ApplicationStatus as S
from loans.choices import DisbursementStatus, LoanStatus, PaymentStatus
from loans.models import Disbursement, Loan, LoanApplication, Payment
from loans.services import applications as svc
from tests.factories import LoanApplicationFactory

pytestmark = pytest.mark.django_db

OPEN = "allowed"


def _wrong(state: str, verb: str) -> str:
    return f"Application LA-000042 is {state}; it can't be {verb} from there."


ACTION_VERBS = {
    "edit": "edited",
    "submit": "submitted",
    "start_review": "reviewed",
    "request_information": "sent back for information",
    "provide_information": "resumed",
    "approve": "approved",
    "decline": "declined",
    "withdraw": "withdrawn",
}

# state -> the actions open from it (everything else is refused for the state)
OPEN_FROM = {
    S.DRAFT: {"edit", "submit", "withdraw"},
    S.SUBMITTED: {"start_review", "withdraw"},
    S.IN_REVIEW: {"request_information", "approve", "decline", "withdraw"},
    S.NEEDS_INFORMATION: {"edit", "provide_information", "decline", "withdraw"},
    S.APPROVED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}

TABLE = [
    (
        state,
        action,
        OPEN
        if action in OPEN_FROM[state]
        else _wrong(LoanApplication(status=state).get_status_display().lower(), verb),
    )
    for state in OPEN_FROM
    for action, verb in ACTION_VERBS.items()
]


def _application(status: str, prepared_by) -> LoanApplication:
    return LoanApplication(pk=42, status=status, prepared_by=prepared_by)


@pytest.mark.parametrize(("state", "action", "expected"), TABLE)
def test_each_application_action_is_open_only_from_its_states(
    state, action, expected, supervisor_bob, staff_alice
):
    verdict = getattr(_application(state, staff_alice), f"can_{action}")(supervisor_bob)
    assert (OPEN if verdict else verdict.reason) == expected


def test_the_preparer_is_never_offered_the_approval(staff_alice):
    verdict = _application(S.IN_REVIEW, staff_alice).can_approve(staff_alice)
    assert not verdict
    assert verdict.reason == (
        "The approver must be a different person from the one who prepared it."
    )


@pytest.mark.parametrize("action", list(ACTION_VERBS))
def test_someone_without_the_role_is_refused_every_action(
    action, outsider_dave, staff_alice
):
    verdict = getattr(_application(S.IN_REVIEW, staff_alice), f"can_{action}")(
        outsider_dave
    )
    assert verdict.reason == "You don't have permission to work on loan applications."


def test_the_buttons_are_the_open_actions(staff_alice, supervisor_bob):
    application = _application(S.IN_REVIEW, staff_alice)
    assert svc.open_application_actions(application, supervisor_bob) == [
        "request_information",
        "approve",
        "decline",
        "withdraw",
    ]
    assert svc.open_application_actions(application, staff_alice) == [
        "request_information",
        "decline",
        "withdraw",
    ]


def test_a_service_refuses_with_the_predicates_reason_and_changes_nothing(
    staff_alice, supervisor_bob
):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    with pytest.raises(Exception) as refused:
        svc.application_decline(
            actor=supervisor_bob, application=application, reasons="No."
        )
    assert refused.value.messages == [
        f"Application {application.reference} is draft; it can't be declined "
        "from there."
    ]
    application.refresh_from_db()
    assert (application.status, application.declined_at) == (S.DRAFT, None)


def test_approve_and_decline_each_stamp_their_own_date(staff_alice, supervisor_bob):
    first, second = (LoanApplicationFactory(prepared_by=staff_alice) for _ in "ab")
    for application in (first, second):
        svc.application_submit(actor=staff_alice, application=application)
        svc.application_start_review(actor=staff_alice, application=application)
    with time_machine.travel(date(2026, 5, 4)):
        approved = svc.application_approve(actor=supervisor_bob, application=first)
        declined = svc.application_decline(
            actor=supervisor_bob, application=second, reasons="Not the owner."
        )
    assert approved.approved_at.date() == date(2026, 5, 4)
    assert approved.declined_at is None
    assert declined.declined_at.date() == date(2026, 5, 4)
    assert declined.approved_at is None


# --- closing ---------------------------------------------------------------


def _loan(**fields) -> Loan:
    return Loan(number="EE-2026-00042", **fields)


@pytest.mark.parametrize(
    ("fields", "action", "expected"),
    [
        ({"status": LoanStatus.CLOSING}, "generate_agreement", OPEN),
        (
            {"status": LoanStatus.ACTIVE},
            "generate_agreement",
            "Loan EE-2026-00042 is active; it can't be given a new agreement from "
            "there.",
        ),
        (
            {"status": LoanStatus.CLOSING, "agreement_signed_on": date(2026, 2, 2)},
            "generate_agreement",
            "The agreement for EE-2026-00042 was signed on February 2, 2026; it is "
            "not generated again.",
        ),
        (
            {"status": LoanStatus.CLOSING},
            "record_signature",
            "Generate the agreement before recording it as signed.",
        ),
        (
            {"status": LoanStatus.CLOSING, "agreement_document_id": 7},
            "record_signature",
            OPEN,
        ),
        (
            {
                "status": LoanStatus.CLOSING,
                "agreement_document_id": 7,
                "agreement_signed_on": date(2026, 2, 2),
            },
            "record_signature",
            "The agreement for EE-2026-00042 was already signed on February 2, 2026.",
        ),
        (
            {"status": LoanStatus.CLOSING},
            "issue_disbursement",
            "Record the signed agreement before issuing a disbursement.",
        ),
        (
            {"status": LoanStatus.CLOSING, "agreement_signed_on": date(2026, 2, 2)},
            "issue_disbursement",
            OPEN,
        ),
        (
            {"status": LoanStatus.ACTIVE, "agreement_signed_on": date(2026, 2, 2)},
            "issue_disbursement",
            OPEN,
        ),
        (
            {"status": LoanStatus.PAID_OFF, "agreement_signed_on": date(2026, 2, 2)},
            "issue_disbursement",
            "Loan EE-2026-00042 is paid off; it can't be paid out from there.",
        ),
        ({"status": LoanStatus.CLOSING}, "activate", OPEN),
        (
            {"status": LoanStatus.ACTIVE},
            "activate",
            "Loan EE-2026-00042 is active; it can't be activated from there.",
        ),
    ],
)
def test_each_closing_step_is_open_only_when_its_preconditions_hold(
    fields, action, expected, staff_alice
):
    verdict = getattr(_loan(**fields), f"can_{action}")(staff_alice)
    assert (OPEN if verdict else verdict.reason) == expected


def test_closing_needs_the_closing_role(cashier_casey):
    verdict = _loan(status=LoanStatus.CLOSING).can_generate_agreement(cashier_casey)
    assert verdict.reason == "You don't have permission to close loans."


def test_a_void_check_is_not_voided_again(staff_alice):
    check = Disbursement(check_number="100123", status=DisbursementStatus.VOID)
    assert check.can_void(staff_alice).reason == "Check 100123 is already void."
    issued = Disbursement(check_number="100124", status=DisbursementStatus.ISSUED)
    assert issued.can_void(staff_alice)


def test_a_reversed_payment_is_not_reversed_again(cashier_casey, staff_alice):
    from datetime import datetime

    payment = Payment(
        reference="LBX-9",
        status=PaymentStatus.REVERSED,
        reversed_at=datetime(2026, 3, 4, 15, tzinfo=UTC),
    )
    assert payment.can_reverse(cashier_casey).reason == (
        "Payment LBX-9 was already reversed on 2026-03-04."
    )
    posted = Payment(reference="LBX-10", status=PaymentStatus.POSTED)
    assert posted.can_reverse(cashier_casey)
    assert posted.can_reverse(staff_alice).reason == (
        "You don't have permission to reverse payments."
    )
