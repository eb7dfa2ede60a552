"""Per-measure limits: one per premise, and a lifetime maximum."""

from decimal import Decimal

import pytest

from programs.rules import check_measure_limit


def test_one_per_premise_allows_the_first_install() -> None:
    assert check_measure_limit("one_per_premise", 0, 1) == (
        True,
        "One per premise: no previous installation at this premise.",
    )


def test_one_per_premise_refuses_a_second_install() -> None:
    assert check_measure_limit("one_per_premise", 1, 1) == (
        False,
        "One per premise: this premise already has 1 previous installation(s) "
        "of this measure.",
    )


def test_one_per_premise_does_not_limit_the_quantity_of_the_single_install() -> None:
    # e.g. 1,200 sq ft of attic insulation is still one install.
    ok, _ = check_measure_limit("one_per_premise", 0, Decimal("1200"))
    assert ok


def test_one_per_premise_rejects_a_lifetime_max() -> None:
    with pytest.raises(ValueError, match="must not have a lifetime_max"):
        check_measure_limit("one_per_premise", 0, 1, lifetime_max=2)


def test_lifetime_limit_allows_a_total_exactly_at_the_maximum() -> None:
    assert check_measure_limit("lifetime_limit", 3, 2, lifetime_max=5) == (
        True,
        "Lifetime limit: 3 previous + 2 requested = 5, within the maximum of 5.",
    )


def test_lifetime_limit_refuses_a_total_one_above_the_maximum() -> None:
    assert check_measure_limit("lifetime_limit", 3, 3, lifetime_max=5) == (
        False,
        "Lifetime limit: 3 previous + 3 requested = 6, above the maximum of 5 "
        "(at most 2 more can be approved).",
    )


def test_lifetime_limit_already_reached_allows_nothing_more() -> None:
    ok, reason = check_measure_limit("lifetime_limit", 5, 1, lifetime_max=5)
    assert not ok
    assert reason.endswith("(at most 0 more can be approved).")


def test_lifetime_limit_works_with_decimal_square_feet() -> None:
    ok, _ = check_measure_limit(
        "lifetime_limit", Decimal("1500.5"), Decimal("499.5"), lifetime_max=2000
    )
    assert ok
    ok, _ = check_measure_limit(
        "lifetime_limit", Decimal("1500.5"), Decimal("499.6"), lifetime_max=2000
    )
    assert not ok


def test_lifetime_limit_requires_a_lifetime_max() -> None:
    with pytest.raises(ValueError, match="A lifetime_limit needs a lifetime_max."):
        check_measure_limit("lifetime_limit", 0, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("per_household", 0, 1), "Unknown measure limit 'per_household'"),
        (("one_per_premise", -1, 1), "Previous count must be a non-negative number"),
        (("one_per_premise", 0, 0), "Requested quantity must be a number greater"),
        (("lifetime_limit", 0, 1, 0), "Lifetime max must be a number greater"),
    ],
)
def test_invalid_measure_limit_arguments_are_rejected(
    args: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_measure_limit(*args)  # type: ignore[arg-type]
