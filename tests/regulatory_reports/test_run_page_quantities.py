"""The run page writes a kind's frozen figures as people read them: amounts
as dollars, the kind's quantities (the program report's kWh and therms) as
plain numbers."""

from regulatory_reports.kinds import KINDS
from regulatory_reports.viewsets import summary_lines


def test_savings_are_numbers_and_amounts_are_dollars():
    figures = {"committed": "12500.00", "kwh_savings": "1234.50", "count": 3}
    assert summary_lines(figures, quantities=KINDS["program"].quantity_figures) == [
        ("Committed", "$12,500.00"),
        ("Kwh savings", "1,234.50"),
        ("Count", "3"),
    ]


def test_without_quantities_every_amount_is_dollars():
    assert summary_lines({"paid": {"total": "7.00"}}) == [("Paid › Total", "$7.00")]
