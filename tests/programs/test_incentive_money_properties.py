"""Properties of the money arithmetic, checked over many amounts (Hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from programs.rules import IncentiveRule, incentive_for

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")

# Deterministic and no example database: same examples every run, and no
# .hypothesis directory written into the project.
money_settings = settings(database=None, derandomize=True, deadline=None)

cents = st.integers(min_value=0, max_value=10_000_000).map(
    lambda n: Decimal(n).scaleb(-2)
)
positive_cents = st.integers(min_value=1, max_value=10_000_000).map(
    lambda n: Decimal(n).scaleb(-2)
)
# Percentages with up to three decimals, 0.001% .. 100%.
percents = st.integers(min_value=1, max_value=100_000).map(
    lambda n: Decimal(n).scaleb(-3)
)
# Per-unit rates with up to three decimals, e.g. $0.125 per sq ft.
unit_rates = st.integers(min_value=1, max_value=1_000_000).map(
    lambda n: Decimal(n).scaleb(-3)
)
# Whole units or square feet with one decimal.
quantities = st.one_of(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=100_000).map(lambda n: Decimal(n).scaleb(-1)),
)

rules = st.one_of(
    st.builds(IncentiveRule, kind=st.just("fixed"), amount=positive_cents),
    st.builds(IncentiveRule, kind=st.just("per_unit"), amount=unit_rates),
    st.builds(
        IncentiveRule,
        kind=st.just("percent_of_cost"),
        percent=percents,
        cap=st.none() | positive_cents,
    ),
)


def _is_whole_cents(value: Decimal) -> bool:
    return value.as_tuple().exponent == -2


@money_settings
@given(rule=rules, quantity=quantities, invoiced_cost=cents)
def test_incentive_never_exceeds_invoiced_cost(
    rule: IncentiveRule, quantity: int | Decimal, invoiced_cost: Decimal
) -> None:
    assert incentive_for(rule, quantity, invoiced_cost) <= invoiced_cost


@money_settings
@given(rule=rules, quantity=quantities, invoiced_cost=cents)
def test_incentive_is_never_negative_and_always_in_whole_cents(
    rule: IncentiveRule, quantity: int | Decimal, invoiced_cost: Decimal
) -> None:
    result = incentive_for(rule, quantity, invoiced_cost)
    assert result >= 0
    assert _is_whole_cents(result)


@money_settings
@given(percent=percents, cap=positive_cents, invoiced_cost=cents)
def test_percent_incentive_never_exceeds_its_cap(
    percent: Decimal, cap: Decimal, invoiced_cost: Decimal
) -> None:
    rule = IncentiveRule(kind="percent_of_cost", percent=percent, cap=cap)
    assert incentive_for(rule, 1, invoiced_cost) <= cap


@money_settings
@given(percent=percents, invoiced_cost=cents)
def test_uncapped_percent_incentive_is_within_half_a_cent_of_the_exact_share(
    percent: Decimal, invoiced_cost: Decimal
) -> None:
    rule = IncentiveRule(kind="percent_of_cost", percent=percent)
    exact = invoiced_cost * percent / 100
    result = incentive_for(rule, 1, invoiced_cost)
    # Half up: within half a cent, and an exact half cent always rounds up.
    assert exact - HALF_CENT < result <= exact + HALF_CENT


@money_settings
@given(rate=unit_rates, quantity=quantities)
def test_per_unit_incentive_is_amount_times_quantity_rounded_half_up(
    rate: Decimal, quantity: int | Decimal
) -> None:
    rule = IncentiveRule(kind="per_unit", amount=rate)
    exact = rate * quantity
    result = incentive_for(rule, quantity, None)
    assert result == exact.quantize(CENT, rounding=ROUND_HALF_UP)
    assert exact - HALF_CENT < result <= exact + HALF_CENT


@money_settings
@given(amount=positive_cents, quantity=quantities)
def test_fixed_incentive_does_not_depend_on_quantity(
    amount: Decimal, quantity: int | Decimal
) -> None:
    rule = IncentiveRule(kind="fixed", amount=amount)
    assert incentive_for(rule, quantity, None) == amount


@money_settings
@given(percent=percents, cap=st.none() | positive_cents, low=cents, extra=cents)
def test_percent_incentive_never_decreases_when_the_invoice_grows(
    percent: Decimal, cap: Decimal | None, low: Decimal, extra: Decimal
) -> None:
    rule = IncentiveRule(kind="percent_of_cost", percent=percent, cap=cap)
    assert incentive_for(rule, 1, low) <= incentive_for(rule, 1, low + extra)
