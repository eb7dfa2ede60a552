"""What the loan screens say for the engine's codes (an installment's status,
a days-past-due bucket): the codes stay in the data and the filters, the
words go on the page."""

from __future__ import annotations

INSTALLMENT_STATUS_WORDS = {
    "paid": "Paid",
    "past_due": "Past due",
    "due": "Due today",
    "partially_paid": "Partially paid",
    "scheduled": "Scheduled",
}

DPD_BUCKET_WORDS = {
    "current": "Current",
    "1-30": "1–30 days past due",
    "31-60": "31–60 days past due",
    "61-90": "61–90 days past due",
    "91-120": "91–120 days past due",
    "121+": "121 or more days past due",
}


def installment_status_words(code: str) -> str:
    return INSTALLMENT_STATUS_WORDS.get(code, code.replace("_", " ").capitalize())


def dpd_bucket_words(code: str) -> str:
    return DPD_BUCKET_WORDS.get(code, code)
