"""Both journal kinds end to end through the API with the real exporter:
POST /api/v1/reports/cash_receipts and /gl_journal for 2026-07 → 201 with
the known portfolio's figures; the workbooks open with typed, formatted
cells and totals; a second supervisor reviews and files each."""

import io
import json
from datetime import datetime

import pytest
import time_machine
from openpyxl import load_workbook

from tests.regulatory_reports.journal_portfolio import TODAY, july  # noqa: F401

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'


def post(client, path, body=None):
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def second_supervisor(db):
    from django.contrib.auth.models import Group

    from portal import roles
    from tests.factories import UserFactory

    user = UserFactory(username="sam", first_name="Sam")
    user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    return user


def _workbook(client, run_id):
    answer = client.get(f"/api/v1/reports/{run_id}.xlsx")
    assert answer.status_code == 200
    return load_workbook(io.BytesIO(b"".join(answer.streaming_content)))


def _review_and_file(client_for, bob, sam, run_id):
    # One test client: each call sends the given user's token.
    own = post(client_for(bob), f"/api/v1/reports/{run_id}/review")
    assert own.status_code == 403
    reviewed = post(client_for(sam), f"/api/v1/reports/{run_id}/review")
    assert reviewed.json()["status"] == "reviewed"
    filed = post(client_for(sam), f"/api/v1/reports/{run_id}/file")
    assert filed.json()["status"] == "filed"


def test_the_cash_receipts_journal_through_the_api(
    july,  # noqa: F811
    supervisor_bob,
    second_supervisor,
    api_client_for,
):
    with time_machine.travel(TODAY, tick=False):
        bob = api_client_for(supervisor_bob)
        made = post(bob, "/api/v1/reports/cash_receipts", {"period": "2026-07"})
        assert made.status_code == 201, made.content
        body = made.json()
        assert (body["kind"], body["start"], body["end"]) == (
            "cash_receipts",
            "2026-07-01",
            "2026-07-31",
        )
        assert body["receipts"]["count"] == 7
        assert body["receipts"]["amount"] == "631.62"
        assert body["receipts"]["by_method"]["check"] == {
            "count": 3,
            "amount": "100.00",
        }
        assert body["days"][0] == {
            "date": "2026-07-01",
            "method": "ach",
            "count": 1,
            "amount": "106.62",
        }
        book = _workbook(bob, body["id"])
        assert book.sheetnames == [
            "Summary",
            "Cash receipts",
            "Deposits by day and method",
        ]
        entries = book["Cash receipts"]
        assert [c.value for c in entries[8]] == [
            "Received (reversed) on",
            "Method",
            "Loan",
            "Customer",
            "Reference",
            "Amount",
        ]
        day, method, loan, _customer, _ref, amount = entries[11]  # the reversal
        assert day.value == datetime(2026, 7, 10) and day.number_format == "yyyy-mm-dd"
        assert (method.value, loan.value) == ("Check", "L-303")
        assert (amount.value, amount.data_type, amount.number_format) == (
            -100,
            "n",
            MONEY,
        )
        assert [c.value for c in entries[16]] == [
            "Total",
            None,
            None,
            None,
            None,
            631.62,
        ]
        deposits = book["Deposits by day and method"]
        assert [c.value for c in deposits[15]] == ["Total", None, 6, 731.62]
        assert deposits["C15"].data_type == "n"
        _review_and_file(api_client_for, supervisor_bob, second_supervisor, body["id"])


def test_the_gl_journal_export_through_the_api(
    july,  # noqa: F811
    supervisor_bob,
    second_supervisor,
    api_client_for,
):
    with time_machine.travel(TODAY, tick=False):
        bob = api_client_for(supervisor_bob)
        made = post(bob, "/api/v1/reports/gl_journal", {"period": "2026-07"})
        assert made.status_code == 201, made.content
        body = made.json()
        assert (body["days"], body["debits"], body["credits"], body["balanced"]) == (
            7,
            "2656.62",
            "2656.62",
            True,
        )
        assert body["by_account"]["1010"] == {"debit": "731.62", "credit": "700.00"}
        book = _workbook(bob, body["id"])
        assert book.sheetnames == ["Summary", "Journal lines", "Daily balance check"]
        journal = book["Journal lines"]
        assert [c.value for c in journal[8]] == [
            "Date",
            "Account",
            "Account name",
            "Debit",
            "Credit",
            "Description",
        ]
        day, code, name, debit, credit, _description = journal[9]
        assert day.value == datetime(2026, 7, 1) and day.is_date
        assert (code.value, code.data_type, name.value) == (
            "1010",
            "s",
            "Cash — loan fund",
        )
        assert (debit.value, debit.number_format, credit.value) == (206.62, MONEY, 0)
        # 19 lines from row 9, then the totals.
        assert [c.value for c in journal[28]] == [
            "Total",
            None,
            None,
            2656.62,
            2656.62,
            None,
        ]
        days = book["Daily balance check"]
        assert [c.value for c in days[9]] == [
            datetime(2026, 7, 1),
            206.62,
            206.62,
            "Yes",
        ]
        _review_and_file(api_client_for, supervisor_bob, second_supervisor, body["id"])
