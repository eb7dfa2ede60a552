"""The lien register for a period and its XLSX cells."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from liens.models import Lien
from liens.selectors_liens import lien_register, lien_register_xlsx
from portal.audit import audit_context
from tests.factories.liens_liens import lien_to_record, recorded_lien

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def _set(lien: Lien, **fields) -> Lien:
    for name, value in fields.items():
        setattr(lien, name, value)
    with audit_context(reason="test"):
        lien.save()
    return lien


@pytest.fixture
def liens(staff_alice):
    standing = recorded_lien(staff_alice, number="L-1", parcel_id="=cmd|x")
    subordinated = _set(
        recorded_lien(
            staff_alice, number="L-2", principal="7500.50", account_number="100002"
        ),
        status="subordinated",
        position=2,
        subordinated_on=date(2026, 2, 10),
    )
    satisfied = _set(
        recorded_lien(
            staff_alice, number="L-3", principal="6000.00", account_number="100003"
        ),
        status="satisfied",
        satisfied_on=date(2026, 2, 20),
        satisfaction_instrument_number="S-1",
    )
    lien_to_record(staff_alice, number="L-4", account_number="100004")
    return standing, subordinated, satisfied


def test_open_is_standing_at_the_end_subordinated_and_satisfied_in_the_period(
    liens,
):
    standing, subordinated, satisfied = liens
    register = lien_register(date(2026, 2, 1), date(2026, 2, 28))
    assert [x.loan.number for x in register.open] == ["L-1", "L-2"]
    assert [x.loan.number for x in register.subordinated] == ["L-2"]
    assert [x.loan.number for x in register.satisfied] == ["L-3"]
    assert register.open_total == Decimal("17500.50")


def test_a_lien_satisfied_after_the_period_was_open_at_its_end(liens):
    register = lien_register(date(2026, 1, 1), date(2026, 1, 31))
    assert [x.loan.number for x in register.open] == ["L-1", "L-2", "L-3"]
    assert register.subordinated == [] and register.satisfied == []


def test_a_lien_not_yet_recorded_is_not_in_the_register(liens):
    register = lien_register(date(2026, 1, 1), date(2026, 3, 20))
    assert "L-4" not in [x.loan.number for x in register.open]


def test_the_xlsx_has_a_sheet_per_section_with_typed_cells_and_totals(
    liens, staff_alice
):
    content = lien_register_xlsx(
        lien_register(date(2026, 2, 1), date(2026, 2, 28)), generated_by=staff_alice
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Open", "Subordinated", "Satisfied"]
    sheet = book["Open"]
    header_row = next(c.row for c in sheet["A"] if c.value == "Lien")
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header, first, second, total = rows[:4]
    assert header[:6] == ("Lien", "Loan", "Borrower", "Parcel", "Amount", "Position")
    # A parcel id that looks like a formula is kept as text.
    assert first[1:6] == ("L-1", "Carol Jensen", "'=cmd|x", 10000, 1)
    assert first[8] == "2026-004512"
    assert first[9].date() == date(2026, 1, 15)
    assert second[4] == 7500.5
    assert total[0] == "Total" and total[4] == 17500.5
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert "0.00" in sheet.cell(row=header_row + 1, column=5).number_format


def test_a_lien_subordinated_again_later_still_counts_in_the_earlier_period(
    liens,
):
    _, subordinated, _ = liens
    _set(subordinated, position=3, subordinated_on=date(2026, 3, 5))
    february = lien_register(date(2026, 2, 1), date(2026, 2, 28))
    march = lien_register(date(2026, 3, 1), date(2026, 3, 20))
    assert [x.loan.number for x in february.subordinated] == ["L-2"]
    assert [x.loan.number for x in march.subordinated] == ["L-2"]
