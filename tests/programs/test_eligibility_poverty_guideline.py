"""Poverty guideline lookup, including households larger than the table."""

from decimal import Decimal

import pytest

from programs.rules import PovertyGuideline, guideline_for

# Illustrative figures (not the published HHS table). The extra-person amount
# deliberately differs from the table's step so extrapolation is provable.
GUIDELINE_2026 = PovertyGuideline(
    year=2026,
    base_amounts={
        1: Decimal("15800.00"),
        2: Decimal("19600.00"),
        3: Decimal("23400.00"),
        4: Decimal("27200.00"),
        5: Decimal("31000.00"),
        6: Decimal("34800.00"),
        7: Decimal("38600.00"),
        8: Decimal("42400.00"),
    },
    additional_per_person=Decimal("4100.00"),
)


@pytest.mark.parametrize(
    ("household_size", "amount"),
    [(1, Decimal("15800.00")), (3, Decimal("23400.00")), (8, Decimal("42400.00"))],
)
def test_household_sizes_in_the_table_use_the_table_amount(
    household_size: int, amount: Decimal
) -> None:
    assert guideline_for(GUIDELINE_2026, household_size) == amount


def test_household_of_nine_adds_one_additional_person_to_the_size_eight_amount() -> (
    None
):
    assert guideline_for(GUIDELINE_2026, 9) == Decimal("46500.00")


def test_household_of_eleven_adds_three_additional_persons() -> None:
    assert guideline_for(GUIDELINE_2026, 11) == Decimal("54700.00")


@pytest.mark.parametrize("household_size", [0, -1])
def test_household_size_below_one_is_invalid(household_size: int) -> None:
    with pytest.raises(ValueError, match="Household size must be at least 1"):
        guideline_for(GUIDELINE_2026, household_size)


def test_non_integer_household_size_is_invalid() -> None:
    with pytest.raises(ValueError, match="Household size must be an int"):
        guideline_for(GUIDELINE_2026, 2.5)  # type: ignore[arg-type]


def test_table_with_a_gap_in_household_sizes_is_rejected() -> None:
    table = PovertyGuideline(
        year=2026,
        base_amounts={1: Decimal("15800.00"), 3: Decimal("23400.00")},
        additional_per_person=Decimal("4100.00"),
    )
    with pytest.raises(
        ValueError, match=r"must list household sizes 1\.\.N without gaps"
    ):
        guideline_for(table, 1)


def test_table_with_a_float_amount_is_rejected() -> None:
    table = PovertyGuideline(
        year=2026,
        base_amounts={1: 15800.0},  # type: ignore[dict-item]
        additional_per_person=Decimal("4100.00"),
    )
    with pytest.raises(
        ValueError, match="guideline for a household of 1 must be a positive Decimal"
    ):
        guideline_for(table, 1)
