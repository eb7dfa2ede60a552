"""The one helper that adds up a section's columns, as its three callers use
it: plain sums from ZERO, or sums and a count of what each row counts."""

from decimal import Decimal

from regulatory_reports.kinds import ZERO, ColumnTotals, column_totals

D = Decimal


def test_sums_start_at_zero_and_keep_only_the_keys():
    rows = [{"paid": D("1.10"), "kwh": 3, "name": "a"}, {"paid": D("2.25"), "kwh": 4}]
    totals = column_totals(rows, ("paid", "kwh"))
    assert totals == {"paid": D("3.35"), "kwh": D("7")}
    assert all(isinstance(value, Decimal) for value in totals.values())
    assert column_totals([], ("paid",)) == {"paid": ZERO}
    assert str(column_totals([], ("paid",))["paid"]) == "0.00"


def test_counted_adds_what_each_row_counts_after_the_sums():
    tally = ColumnTotals(["amount"], counted=True)
    for row in [
        {"amount": D("10.00")},
        {"amount": D("-10.00"), "count": -1},
        {"amount": D("0.00"), "count": 0},
    ]:
        tally.add(row)
    result = tally.result()
    assert result == {"amount": D("0.00"), "count": 0}
    assert list(result) == ["amount", "count"]
    assert column_totals([], ["amount"], counted=True) == {"amount": ZERO, "count": 0}
