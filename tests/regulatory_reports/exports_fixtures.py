"""A report run and a hand-made result for the export tests: two sections
with dates, money (a negative reversal), counts, and customer text that a
spreadsheet would otherwise run as a formula."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from regulatory_reports import kinds
from regulatory_reports.kinds import Column, ReportKind, ReportResult, Section
from regulatory_reports.models import ReportRun

TITLE = "PSC zero-interest loan guarantee report"
HYPERLINK = '=HYPERLINK("http://evil.example","Click")'
GENERATED_AT = datetime(2026, 10, 5, 14, 30, tzinfo=UTC)


class HandMadeKind(ReportKind):
    key = "psc"
    title = TITLE


def receipts_rows():
    yield {
        "loan": "ZI-000001",
        "customer": HYPERLINK,
        "received": date(2026, 7, 3),
        "amount": Decimal("125.50"),
        "count": 1,
    }
    yield {
        "loan": "ZI-000002",
        "customer": "+1",
        "received": date(2026, 8, 14),
        "amount": Decimal("-40.25"),
        "count": -1,
    }
    yield {
        "loan": "ZI-000003",
        "customer": "@x",
        "received": date(2026, 9, 30),
        "amount": Decimal("1000.00"),
        "count": 1,
    }


def delinquent_rows():
    yield {
        "loan": "ZI-000004",
        "note": "-3",
        "dpd": 1,
        "past_due": Decimal("50.00"),
        "principal": Decimal("1200.00"),
    }
    yield {
        "loan": "ZI-000005",
        "note": "Muñoz; promised to pay",
        "dpd": 121,
        "past_due": Decimal("310.10"),
        "principal": Decimal("2400.05"),
    }


def hand_made_result() -> ReportResult:
    return ReportResult(
        figures={"summary": {"reconciles": True}},
        summary=[
            ("Loans at the start", 12, "int"),
            ("Outstanding principal at the start", Decimal("15000.00"), "money"),
            ("Principal received", Decimal("-1085.25"), "money"),
            ("Period ends", date(2026, 9, 30), "date"),
            ("Reconciles", "Yes", "text"),
        ],
        sections=[
            Section(
                key="receipts",
                title="Payment receipts",
                columns=[
                    Column("loan", "Loan"),
                    Column("customer", "Customer"),
                    Column("received", "Received", "date"),
                    Column("amount", "Amount", "money"),
                    Column("count", "Payments", "int"),
                ],
                rows=receipts_rows(),
                totals={"amount": Decimal("1085.25"), "count": 1},
                loan_key="loan",
            ),
            Section(
                key="delinquent",
                title="Delinquent loans",
                columns=[
                    Column("loan", "Loan"),
                    Column("note", "Note"),
                    Column("dpd", "Days past due", "int"),
                    Column("past_due", "Past due", "money"),
                    Column("principal", "Outstanding principal", "money"),
                ],
                rows=delinquent_rows(),
                totals={
                    "past_due": Decimal("360.10"),
                    "principal": Decimal("3600.05"),
                },
                loan_key="loan",
            ),
        ],
    )


@pytest.fixture
def psc_kind(monkeypatch):
    monkeypatch.setitem(kinds.KINDS, "psc", HandMadeKind)
    return HandMadeKind


@pytest.fixture
def run(psc_kind, supervisor_bob):
    supervisor_bob.last_name = "Baker"
    supervisor_bob.save()
    return ReportRun.objects.create(
        kind="psc",
        period="2026-Q3",
        start=date(2026, 7, 1),
        end=date(2026, 9, 30),
        version=1,
        generated_by=supervisor_bob,
        generated_at=GENERATED_AT,
    )


@pytest.fixture
def result():
    return hand_made_result()
