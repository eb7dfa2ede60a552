"""Incentive and eligibility rules for the utility's energy programs.

Pure Python (no database; money helpers from portal.money) so the same rules can be used from views, tasks,
reports and tests without a database. Money is always ``Decimal`` rounded
ROUND_HALF_UP to the cent; floats are rejected because they cannot represent
cents exactly.
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from portal.money import cents, format_money

HUNDRED: Final = Decimal("100")

# --- Incentive rules -------------------------------------------------------

IncentiveKind = Literal["fixed", "per_unit", "percent_of_cost"]

FIXED: Final = "fixed"
PER_UNIT: Final = "per_unit"
PERCENT_OF_COST: Final = "percent_of_cost"
INCENTIVE_KINDS: Final = (FIXED, PER_UNIT, PERCENT_OF_COST)


def incentive_kind(value: str) -> IncentiveKind:
    """`value` (e.g. a stored measure's kind) as an IncentiveKind; raise
    ValueError when it is none of them."""
    for kind in INCENTIVE_KINDS:
        if value == kind:
            return kind
    raise ValueError(
        f"Unknown incentive kind {value!r}; expected one of "
        f"{', '.join(INCENTIVE_KINDS)}."
    )


# One rounding rule and one way to show money for the whole product.
to_cents = cents


def _format_percent(percent: Decimal) -> str:
    # "200.00" -> "200", "187.50" -> "187.5"; 'f' avoids "2E+2".
    return f"{percent.normalize():f}"


def _is_decimal(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _is_whole_cents(value: Decimal) -> bool:
    # The product's one rounding rule (portal.money) decides what a cent is.
    return value == cents(value)


def _is_quantity(value: object) -> bool:
    # bool is an int subclass; True is not a quantity.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or _is_decimal(value)


@dataclass(frozen=True)
class IncentiveRule:
    """How much a measure pays, e.g. "$1.25 per sq ft of attic insulation".

    - ``fixed``: ``amount`` per application line, whatever the quantity.
    - ``per_unit``: ``amount`` x quantity (quantity may be fractional, e.g. sq ft).
    - ``percent_of_cost``: ``percent`` (e.g. ``Decimal("50.00")``) of the
      invoiced cost, rounded to the cent, then limited to ``cap`` if set.

    Whatever the kind, an incentive never exceeds the invoiced cost when one
    is given: the program never pays a customer more than they paid.
    """

    kind: IncentiveKind
    amount: Decimal | None = None
    percent: Decimal | None = None
    cap: Decimal | None = None

    def validate(self) -> None:
        """Raise ValueError describing the first inconsistency in the rule."""
        incentive_kind(self.kind)
        if self.kind == PERCENT_OF_COST:
            self._validate_percent_of_cost()
        else:
            self._validate_amount_based()

    def _validate_amount_based(self) -> None:
        if self.amount is None:
            raise ValueError(f"A {self.kind} incentive requires an amount.")
        if not _is_decimal(self.amount):
            raise ValueError(
                f"Incentive amount must be a finite Decimal, got {self.amount!r}."
            )
        if self.amount <= 0:
            raise ValueError(
                f"Incentive amount must be greater than zero, got {self.amount}."
            )
        # A per-unit rate may be fractional (e.g. $0.125/sq ft) because it is
        # rounded after multiplying; a fixed amount is paid as-is, so it must
        # already be whole cents.
        if self.kind == FIXED and not _is_whole_cents(self.amount):
            raise ValueError(
                f"A fixed incentive amount must be whole cents, got {self.amount}."
            )
        if self.percent is not None:
            raise ValueError(
                f"A {self.kind} incentive must not have a percent; "
                "use percent_of_cost for a percentage of the invoiced cost."
            )
        if self.cap is not None:
            raise ValueError(
                f"A {self.kind} incentive must not have a cap; "
                "a cap only applies to percent_of_cost incentives."
            )

    def _validate_percent_of_cost(self) -> None:
        if self.percent is None:
            raise ValueError("A percent_of_cost incentive requires a percent.")
        if not _is_decimal(self.percent):
            raise ValueError(
                f"Incentive percent must be a finite Decimal, got {self.percent!r}."
            )
        # Above 100% would always be cut back to the invoiced cost, so such a
        # rule is a data-entry error rather than a real program design.
        if not Decimal(0) < self.percent <= HUNDRED:
            raise ValueError(
                "Incentive percent must be greater than 0 and at most 100, "
                f"got {self.percent}."
            )
        if self.amount is not None:
            raise ValueError(
                "A percent_of_cost incentive must not have an amount; "
                "use cap to limit the payment."
            )
        if self.cap is not None:
            if not _is_decimal(self.cap):
                raise ValueError(
                    f"Incentive cap must be a finite Decimal, got {self.cap!r}."
                )
            if self.cap <= 0:
                raise ValueError(
                    f"Incentive cap must be greater than zero, got {self.cap}."
                )
            if not _is_whole_cents(self.cap):
                raise ValueError(f"Incentive cap must be whole cents, got {self.cap}.")


def incentive_for(
    rule: IncentiveRule,
    quantity: Decimal | int,
    invoiced_cost: Decimal | None,
) -> Decimal:
    """Incentive payable for one application line, in whole cents.

    ``invoiced_cost`` is required for percent_of_cost and optional otherwise;
    when given, it is the ceiling on the incentive for every kind.
    """
    rule.validate()
    if not _is_quantity(quantity):
        raise ValueError(f"Quantity must be an int or Decimal, got {quantity!r}.")
    if quantity <= 0:
        raise ValueError(f"Quantity must be greater than zero, got {quantity}.")
    if invoiced_cost is not None:
        if not _is_decimal(invoiced_cost):
            raise ValueError(
                f"Invoiced cost must be a finite Decimal, got {invoiced_cost!r}."
            )
        if invoiced_cost < 0:
            raise ValueError(
                f"Invoiced cost must not be negative, got {invoiced_cost}."
            )
        if not _is_whole_cents(invoiced_cost):
            raise ValueError(f"Invoiced cost must be whole cents, got {invoiced_cost}.")

    # validate() guarantees amount/percent are set for their kinds; the
    # asserts narrow the Optional types for the type checker.
    if rule.kind == FIXED:
        assert rule.amount is not None
        incentive = rule.amount
    elif rule.kind == PER_UNIT:
        assert rule.amount is not None
        incentive = to_cents(rule.amount * quantity)
    else:
        assert rule.percent is not None
        if invoiced_cost is None:
            raise ValueError(
                "A percent_of_cost incentive needs the invoiced cost to compute."
            )
        # Round after applying the percentage, then cap: the cap is a whole
        # cent amount, so capping cannot reintroduce fractions of a cent.
        incentive = to_cents(invoiced_cost * rule.percent / HUNDRED)
        if rule.cap is not None:
            incentive = min(incentive, rule.cap)

    # Rule: never pay more than the customer was invoiced.
    if invoiced_cost is not None:
        incentive = min(incentive, invoiced_cost)
    return to_cents(incentive)


# --- Eligibility -----------------------------------------------------------

RESIDENTIAL: Final = "residential"
COMMERCIAL: Final = "commercial"
CUSTOMER_CLASSES: Final = frozenset({RESIDENTIAL, COMMERCIAL})

ELECTRIC: Final = "electric"
GAS: Final = "gas"
WATER: Final = "water"
SEWER: Final = "sewer"
SERVICES: Final = frozenset({ELECTRIC, GAS, WATER, SEWER})

MINIMUM_AGES: Final = (60, 65)


def _sorted_names(names: AbstractSet[str]) -> str:
    # Sorted so reasons are stable across runs (set order is not).
    return ", ".join(sorted(names))


@dataclass(frozen=True)
class ProgramCriteria:
    """Who a program is for.

    ``required_services``: the applicant must have *all* of them (e.g. a gas
    water-heater rebate requires gas service).
    ``income_limit_percent``: percent of the poverty guideline, e.g.
    ``Decimal("200")``; ``None`` means no income test.
    ``senior_or_disabled``: age >= ``minimum_age`` OR verified disability
    suffices (Financial Assistance program); needs ``minimum_age`` and excludes
    ``requires_disability``.
    """

    customer_classes: AbstractSet[str]
    required_services: AbstractSet[str] = frozenset()
    requires_good_standing: bool = True
    minimum_age: int | None = None
    requires_disability: bool = False
    income_limit_percent: Decimal | None = None
    senior_or_disabled: bool = False

    def validate(self) -> None:
        """Raise ValueError describing the first inconsistency in the criteria."""
        if not self.customer_classes:
            raise ValueError("A program must serve at least one customer class.")
        unknown_classes = set(self.customer_classes) - CUSTOMER_CLASSES
        if unknown_classes:
            raise ValueError(
                f"Unknown customer class(es): {_sorted_names(unknown_classes)}; "
                f"expected {_sorted_names(CUSTOMER_CLASSES)}."
            )
        unknown_services = set(self.required_services) - SERVICES
        if unknown_services:
            raise ValueError(
                f"Unknown service(s): {_sorted_names(unknown_services)}; "
                f"expected {_sorted_names(SERVICES)}."
            )
        if self.minimum_age is not None and self.minimum_age not in MINIMUM_AGES:
            raise ValueError(
                f"Minimum age must be 60, 65 or None, got {self.minimum_age!r}."
            )
        if self.income_limit_percent is not None:
            if not _is_decimal(self.income_limit_percent):
                raise ValueError(
                    "Income limit percent must be a finite Decimal, "
                    f"got {self.income_limit_percent!r}."
                )
            if self.income_limit_percent <= 0:
                raise ValueError(
                    "Income limit percent must be greater than zero, "
                    f"got {self.income_limit_percent}."
                )
        if self.senior_or_disabled:
            if self.minimum_age is None:
                raise ValueError(
                    "senior_or_disabled needs a minimum age (60 or 65) for the "
                    "age alternative."
                )
            # "Age or disability" and "disability required" contradict each other.
            if self.requires_disability:
                raise ValueError(
                    "senior_or_disabled already accepts a verified disability; "
                    "requires_disability must be False with it."
                )


@dataclass(frozen=True)
class PovertyGuideline:
    """Federal poverty guideline for one year.

    ``base_amounts`` maps household size (1..N, normally 1..8) to the annual
    amount; larger households add ``additional_per_person`` per extra person.
    """

    year: int
    base_amounts: Mapping[int, Decimal]
    additional_per_person: Decimal

    def validate(self) -> None:
        """Raise ValueError if the table cannot be used to look up a size."""
        sizes = sorted(self.base_amounts)
        # Sizes beyond the table extrapolate from the largest one, so the
        # table must have no gaps that would silently extrapolate too early.
        if not sizes or sizes != list(range(1, len(sizes) + 1)):
            raise ValueError(
                f"The {self.year} poverty guideline must list household sizes "
                f"1..N without gaps, got {sizes}."
            )
        for size in sizes:
            amount = self.base_amounts[size]
            if not _is_decimal(amount) or amount <= 0:
                raise ValueError(
                    f"The {self.year} guideline for a household of {size} must be "
                    f"a positive Decimal, got {amount!r}."
                )
        if (
            not _is_decimal(self.additional_per_person)
            or self.additional_per_person < 0
        ):
            raise ValueError(
                f"The {self.year} additional amount per person must be a "
                f"non-negative Decimal, got {self.additional_per_person!r}."
            )


def guideline_for(table: PovertyGuideline, household_size: int) -> Decimal:
    """Poverty guideline amount for a household, extrapolating past the table.

    E.g. with a 1..8 table, a household of 9 gets the size-8 amount plus one
    ``additional_per_person``.
    """
    table.validate()
    if isinstance(household_size, bool) or not isinstance(household_size, int):
        raise ValueError(f"Household size must be an int, got {household_size!r}.")
    if household_size < 1:
        raise ValueError(f"Household size must be at least 1, got {household_size}.")
    if household_size in table.base_amounts:
        return table.base_amounts[household_size]
    largest = max(table.base_amounts)
    extra_people = household_size - largest
    return table.base_amounts[largest] + extra_people * table.additional_per_person


@dataclass(frozen=True)
class Applicant:
    """Facts about the customer applying, as verified by staff.

    ``None`` for age, household size or income means "not provided"; it makes
    the applicant ineligible only for programs that need that fact.
    """

    customer_class: str
    services: AbstractSet[str]
    # No delinquent balance and not written off as bad debt.
    in_good_standing: bool
    age: int | None = None
    disability_verified: bool = False
    household_size: int | None = None
    household_income: Decimal | None = None

    def validate(self) -> None:
        """Raise ValueError for data that cannot be right (not for missing data)."""
        if self.customer_class not in CUSTOMER_CLASSES:
            raise ValueError(
                f"Unknown customer class {self.customer_class!r}; "
                f"expected {_sorted_names(CUSTOMER_CLASSES)}."
            )
        unknown_services = set(self.services) - SERVICES
        if unknown_services:
            raise ValueError(
                f"Unknown service(s): {_sorted_names(unknown_services)}; "
                f"expected {_sorted_names(SERVICES)}."
            )
        if self.age is not None and self.age < 0:
            raise ValueError(f"Age must not be negative, got {self.age}.")
        if self.household_size is not None and self.household_size < 1:
            raise ValueError(
                f"Household size must be at least 1, got {self.household_size}."
            )
        if self.household_income is not None:
            if not _is_decimal(self.household_income):
                raise ValueError(
                    "Household income must be a finite Decimal, "
                    f"got {self.household_income!r}."
                )
            if self.household_income < 0:
                raise ValueError(
                    f"Household income must not be negative, "
                    f"got {self.household_income}."
                )


@dataclass(frozen=True)
class EligibilityResult:
    """Outcome of an eligibility check.

    ``reasons`` lists every check in order, passing and failing, for staff;
    ``failures`` is the failing subset, i.e. what to tell an applicant who
    was turned down.
    """

    eligible: bool
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class _Checks:
    """Collects reasons so every check runs and all failures are reported."""

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.failures: list[str] = []

    def passed(self, reason: str) -> None:
        self.reasons.append(reason)

    def failed(self, reason: str) -> None:
        self.reasons.append(reason)
        self.failures.append(reason)

    def result(self) -> EligibilityResult:
        return EligibilityResult(
            eligible=not self.failures,
            reasons=list(self.reasons),
            failures=list(self.failures),
        )


def evaluate_eligibility(
    criteria: ProgramCriteria,
    applicant: Applicant,
    guideline: PovertyGuideline | None = None,
) -> EligibilityResult:
    """Check an applicant against a program's criteria.

    Every check runs (no short-circuit) so staff see all problems at once.
    Raises ValueError for configuration errors (invalid criteria, or an
    income limit without a guideline); missing applicant data is a reason,
    not an exception.
    """
    criteria.validate()
    applicant.validate()
    checks = _Checks()
    _check_customer_class(criteria, applicant, checks)
    _check_services(criteria, applicant, checks)
    _check_good_standing(criteria, applicant, checks)
    if criteria.senior_or_disabled:
        _check_senior_or_disabled(criteria, applicant, checks)
    else:
        _check_minimum_age(criteria, applicant, checks)
        _check_disability(criteria, applicant, checks)
    _check_income(criteria, applicant, guideline, checks)
    return checks.result()


def _check_customer_class(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    served = _sorted_names(criteria.customer_classes)
    if applicant.customer_class in criteria.customer_classes:
        checks.passed(
            f"Customer class {applicant.customer_class} is served by this program."
        )
    else:
        checks.failed(
            f"Customer class {applicant.customer_class} is not served by this "
            f"program (serves: {served})."
        )


def _check_services(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    if not criteria.required_services:
        return
    missing = set(criteria.required_services) - set(applicant.services)
    if missing:
        checks.failed(
            f"Account does not have required service(s): {_sorted_names(missing)}."
        )
    else:
        checks.passed(
            "Account has the required service(s): "
            f"{_sorted_names(criteria.required_services)}."
        )


def _check_good_standing(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    if not criteria.requires_good_standing:
        return
    if applicant.in_good_standing:
        checks.passed("Account is in good standing.")
    else:
        checks.failed(
            "Account is not in good standing (it has a delinquent balance or "
            "was written off as bad debt)."
        )


def _check_minimum_age(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    minimum = criteria.minimum_age
    if minimum is None:
        return
    if applicant.age is None:
        checks.failed(
            f"Applicant age is missing; this program requires age {minimum} or older."
        )
    elif applicant.age >= minimum:
        checks.passed(
            f"Applicant age {applicant.age} meets the minimum age of {minimum}."
        )
    else:
        checks.failed(
            f"Applicant age {applicant.age} is below the minimum age of {minimum}."
        )


def _check_disability(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    if not criteria.requires_disability:
        return
    if applicant.disability_verified:
        checks.passed("Disability is verified.")
    else:
        checks.failed(
            "Disability is not verified; this program requires a verified disability."
        )


def _check_senior_or_disabled(
    criteria: ProgramCriteria, applicant: Applicant, checks: _Checks
) -> None:
    minimum = criteria.minimum_age
    assert minimum is not None  # guaranteed by criteria.validate()
    age = applicant.age
    if age is not None and age >= minimum:
        checks.passed(f"Applicant age {age} meets the senior age of {minimum}.")
    elif applicant.disability_verified:
        checks.passed("Disability is verified (qualifies instead of age).")
    else:
        age_part = "age is missing" if age is None else f"age {age} is below {minimum}"
        checks.failed(
            f"Applicant must be {minimum} or older or have a verified disability: "
            f"{age_part} and no disability is verified."
        )


def _check_income(
    criteria: ProgramCriteria,
    applicant: Applicant,
    guideline: PovertyGuideline | None,
    checks: _Checks,
) -> None:
    percent = criteria.income_limit_percent
    if percent is None:
        return
    if guideline is None:
        # A configuration error, not something the applicant can fix.
        raise ValueError(
            "This program has an income limit but no poverty guideline was given."
        )
    size = applicant.household_size
    income = applicant.household_income
    if size is None or income is None:
        missing = [
            name
            for name, value in (("household size", size), ("household income", income))
            if value is None
        ]
        verb = "is" if len(missing) == 1 else "are"
        checks.failed(
            f"{' and '.join(missing).capitalize()} {verb} missing; "
            "required to check the income limit."
        )
        return
    limit = to_cents(guideline_for(guideline, size) * percent / HUNDRED)
    basis = (
        f"{_format_percent(percent)}% of the {guideline.year} guideline "
        f"for a household of {size}"
    )
    # Income exactly at the limit is eligible.
    if income <= limit:
        checks.passed(
            f"Household income {format_money(income)} is within the limit of "
            f"{format_money(limit)} ({basis})."
        )
    else:
        checks.failed(
            f"Household income {format_money(income)} is above the limit of "
            f"{format_money(limit)} ({basis})."
        )


# --- Per-measure limits ----------------------------------------------------

MeasureLimitKind = Literal["one_per_premise", "lifetime_limit"]

ONE_PER_PREMISE: Final = "one_per_premise"
LIFETIME_LIMIT: Final = "lifetime_limit"
MEASURE_LIMIT_KINDS: Final = (ONE_PER_PREMISE, LIFETIME_LIMIT)


def measure_limit_kind(value: str) -> MeasureLimitKind:
    """`value` (e.g. a stored measure's limit) as a MeasureLimitKind; raise
    ValueError when it is none of them."""
    for kind in MEASURE_LIMIT_KINDS:
        if value == kind:
            return kind
    raise ValueError(
        f"Unknown measure limit {value!r}; expected one of "
        f"{', '.join(MEASURE_LIMIT_KINDS)}."
    )


def check_measure_limit(
    limit_kind: MeasureLimitKind,
    previous_count: Decimal | int,
    requested_quantity: Decimal | int,
    lifetime_max: Decimal | int | None = None,
) -> tuple[bool, str]:
    """Whether a measure may be approved given what was already installed.

    - ``one_per_premise``: allowed only if nothing was installed at this
      premise before (``requested_quantity`` is not limited, since it may be
      e.g. square feet of insulation for the single install).
    - ``lifetime_limit``: ``previous_count + requested_quantity <= lifetime_max``.

    Returns ``(ok, reason)``; raises ValueError for invalid arguments.
    """
    measure_limit_kind(limit_kind)
    if not _is_quantity(previous_count) or previous_count < 0:
        raise ValueError(
            f"Previous count must be a non-negative number, got {previous_count!r}."
        )
    if not _is_quantity(requested_quantity) or requested_quantity <= 0:
        raise ValueError(
            "Requested quantity must be a number greater than zero, "
            f"got {requested_quantity!r}."
        )

    if limit_kind == ONE_PER_PREMISE:
        if lifetime_max is not None:
            raise ValueError("A one_per_premise limit must not have a lifetime_max.")
        if previous_count == 0:
            return True, "One per premise: no previous installation at this premise."
        return False, (
            f"One per premise: this premise already has {previous_count} previous "
            "installation(s) of this measure."
        )

    if lifetime_max is None:
        raise ValueError("A lifetime_limit needs a lifetime_max.")
    if not _is_quantity(lifetime_max) or lifetime_max <= 0:
        raise ValueError(
            f"Lifetime max must be a number greater than zero, got {lifetime_max!r}."
        )
    total = previous_count + requested_quantity
    tally = f"{previous_count} previous + {requested_quantity} requested = {total}"
    if total <= lifetime_max:
        return True, f"Lifetime limit: {tally}, within the maximum of {lifetime_max}."
    remaining = max(lifetime_max - previous_count, 0)
    return False, (
        f"Lifetime limit: {tally}, above the maximum of {lifetime_max} "
        f"(at most {remaining} more can be approved)."
    )
