from datetime import date

import pytest
import time_machine

from loans.documents.payoff_letter import payoff_letter_html, payoff_letter_pdf

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_payoff_letter_is_a_pdf_with_the_quoted_total(book):
    loan = book("L-1")
    pdf = payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_payoff_letter_states_each_part_and_the_per_diem(book):
    loan = book("L-1")
    html = payoff_letter_html(loan=loan, as_of=date(2026, 2, 11))
    for text in ["$10,000.00", "$55.37", "$0.00", "$10,055.37", "add $1.37 for each"]:
        assert text in html
