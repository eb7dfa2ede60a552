"""One generated loan, computed in memory: its terms, its payment history in
one of five patterns, and every row the services would have left behind.

No database access here. The money arithmetic is the engine's own
(`loans.engine.Walk`, `replay`, `schedule_facts`, and the late-fee rule's
`late_installments`), called on an unsaved `Loan`: this module decides only
who pays what and when, never how a payment is allocated.

Everything about loan `index` comes from `random.Random(f"{seed}:{index}")`,
so a loan is the same whichever chunk or process computes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from loans import engine
from loans import schedule as arithmetic
from loans.choices import EntryKind, FeeKind, LoanStatus, ReversalReason
from loans.models import Loan
from loans.schedule import ZERO
from loans.services.late_fees import late_installments

# Three on-time borrowers for each of the others, as before.
PATTERNS = ("on_time", "late", "prepaid", "nsf", "defaulted")
_PATTERN_DRAW = ["on_time", "on_time", "on_time", "late", "prepaid", "nsf", "defaulted"]
_PRODUCT_DRAW = ["EE", "EE", "EE-SOLAR", "WS", "ZI"]
METHODS = ["check", "ach", "on_bill", "card"]

FIRST_NAMES = (
    "Maria James Linda Robert Patricia John Jennifer Michael Elizabeth David "
    "Barbara William Susan Richard Jessica Joseph Sarah Thomas Karen Charles "
    "Nancy Daniel Lisa Matthew Betty Anthony Sandra Mark Ashley Donald Kimberly "
    "Steven Emily Paul Donna Andrew Michelle Joshua Carol Kenneth"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez "
    "Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin "
    "Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker "
    "Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson "
    "Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans "
    "Turner Diaz Parker Cruz Edwards Collins Reyes"
).split()
STREETS = (
    "Oak Maple Cedar Pine Elm Walnut Chestnut Spruce Willow Birch Hickory Magnolia "
    "Lake Hill Park River Meadow Sunset Highland Church"
).split()
STREET_KINDS = ["St", "Ave", "Rd", "Ln", "Dr", "Ct"]

NSF_NOTE = "Generated NSF"
MAYBE_LATE = ("late", "nsf", "defaulted")
GRACE_PAYMENT_DAYS = [0, 0, 0, 0, 1, 2, 3, 5, 7, 10]


@dataclass(frozen=True)
class ProductTerms:
    """What generation needs of a LoanProduct (plain data, picklable)."""

    pk: int
    code: str
    annual_rate: Decimal
    max_amount: Decimal
    max_term_months: int
    late_fee: Decimal
    late_fee_grace_days: int
    returned_payment_fee: Decimal
    lien_required_above: Decimal | None


@dataclass
class PlannedPayment:
    local: int  # 0-based position in the loan's payments, in posting order
    reference: str
    amount: Decimal
    received_on: date
    method: str
    reversed_on: date | None = None


@dataclass
class PlannedEntry:
    """A ledger line; `payment` and `reverses` are local positions."""

    kind: str
    amount: Decimal
    effective_on: date
    payment: int | None = None
    fee_kind: str = ""
    installment_number: int | None = None
    reverses: PlannedEntry | None = None
    memo: str = ""


@dataclass
class PlannedLoan:
    index: int
    number: str
    pattern: str
    product: ProductTerms
    loan: Loan  # unsaved; terms, status and the delinquency facts set
    first_name: str
    last_name: str
    email: str
    address: tuple[str, str, str, str]  # line1, city, state, postal code
    payments: list[PlannedPayment] = field(default_factory=list)
    entries: list[PlannedEntry] = field(default_factory=list)
    installments: list[arithmetic.InstallmentState] = field(default_factory=list)
    no_fee_replay: engine.Replay | None = None


def loan_number(prefix: str, seed: int, index: int) -> str:
    return f"{prefix}-{seed}-{index:06d}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return arithmetic.due_date(date(year, month + 1, min(day.day, 28)), 1)


def plan_loan(
    *,
    seed: int,
    index: int,
    prefix: str,
    today: date,
    products: dict[str, ProductTerms],
    late_fees_through: date | None,
) -> PlannedLoan:
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 - synthetic data
    product = products[rng.choice(_PRODUCT_DRAW)]
    principal = Decimal(rng.randrange(500_00, int(product.max_amount * 100) + 1)) / 100
    # Mostly 2 to 5 years (up to 10 where the product allows); histories from
    # a quarter of the term to a year or so past maturity (most paid off).
    term = rng.choice(
        [24, 36, 36, 48, 48, 60, 60, 60]
        + ([84, 120] if product.max_term_months >= 120 else [])
    )
    months_ago = max(1, round(term * rng.uniform(0.25, 1.25)))
    disbursed = add_months(today, -months_ago) - timedelta(days=rng.randrange(0, 20))
    first_due = add_months(disbursed, 1)
    number = loan_number(prefix, seed, index)
    loan = Loan(
        number=number,
        principal=principal,
        annual_rate=product.annual_rate,
        term_months=term,
        installment_amount=arithmetic.installment_amount(
            principal, product.annual_rate, term
        ),
        first_due_date=first_due,
        disbursed_on=disbursed,
        status=LoanStatus.ACTIVE,
        lien_required=bool(
            product.lien_required_above and principal > product.lien_required_above
        ),
    )
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    address = (
        f"{rng.randrange(1, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
        "Springfield",
        "IL",
        f"627{rng.randrange(0, 100):02d}",
    )
    plan = PlannedLoan(
        index=index,
        number=number,
        pattern=rng.choice(_PATTERN_DRAW),
        product=product,
        loan=loan,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{seed}-{index}@example.org".lower(),
        address=address,
    )
    _payments(plan, rng, today)
    _ledger(plan, late_fees_through)
    return plan


def _payments(plan: PlannedLoan, rng: random.Random, today: date) -> None:
    """Who paid what and when: first what the pattern intends, then, if the
    payments could reach the payoff, a pass through the engine's Walk that
    caps each at the payoff it quotes (no fees) and stops once paid off, so
    no payment is one the services would refuse."""
    loan = plan.loan
    due_dates = [
        arithmetic.due_date(loan.first_due_date, k)
        for k in range(1, loan.term_months + 1)
    ]
    n_due = sum(1 for d in due_dates if d <= today)
    pattern = plan.pattern
    if pattern in ("nsf", "defaulted") and n_due < 2:
        pattern = plan.pattern = "on_time"
    stop_after = rng.randrange(1, n_due) if pattern == "defaulted" else None
    nsf_k = rng.randrange(1, n_due) if pattern == "nsf" else None
    last = loan.disbursed_on
    assert last is not None
    behind = Decimal("0.00")
    finals: set[int] = set()
    for k, due in enumerate(due_dates[:n_due], start=1):
        if stop_after is not None and k > stop_after:
            break
        if pattern == "late":
            if rng.random() < 0.2:
                behind += loan.installment_amount  # skipped; made up or not
                continue
            received = due + timedelta(days=rng.randrange(16, 45))
        else:
            received = due + timedelta(days=rng.choice(GRACE_PAYMENT_DAYS))
        received = max(received, last)
        if received > today:
            break
        amount = loan.installment_amount
        if behind and (pattern != "late" or rng.random() < 0.5):
            amount, behind = amount + behind, Decimal("0.00")
        if pattern == "prepaid" and rng.random() < 0.3:
            amount += Decimal(rng.randrange(50_00, 500_00)) / 100
        payment = PlannedPayment(
            local=len(plan.payments),
            reference=f"{loan.number}-P{k:03d}",
            amount=amount,
            received_on=received,
            method=rng.choice(METHODS),
        )
        plan.payments.append(payment)
        last = received
        if k == loan.term_months:
            finals.add(payment.local)
        if k == nsf_k:
            # The check bounced a week later; the next payment makes it up.
            payment.reversed_on = received + timedelta(days=7)
            behind += amount
    taken = sum((p.amount for p in plan.payments if p.reversed_on is None), ZERO)
    if taken > loan.principal:
        _cap_at_payoff(plan, finals)


def _cap_at_payoff(plan: PlannedLoan, finals: set[int]) -> None:
    """Cap payments at the payoff (the last scheduled one pays it in full),
    drop those after the loan is paid off. Below the principal in total, no
    payment can reach the payoff (it is at least the principal still owed),
    so only loans paying more than their principal come here."""
    loan = plan.loan
    walk = engine.Walk(
        loan,
        arithmetic.installment_states(engine.original_schedule(loan)),
        engine.FeeQueue([]),
    )
    kept: list[PlannedPayment] = []
    allocations: dict[int, dict[engine.AllocationKey, Decimal]] = {}
    for payment in plan.payments:
        if walk.paid_off_on is not None:
            break
        payment.local = len(kept)
        kept.append(payment)
        if payment.reversed_on is not None:
            continue
        payoff = walk.payoff_on(payment.received_on)
        if payment.local in finals or payment.amount > payoff:
            payment.amount = payoff
        allocations[payment.local + 1] = walk.take(payment.amount, payment.received_on)
    plan.payments = kept
    # Without fees this walk is the engine's replay (same steps, same order).
    plan.no_fee_replay = engine.Replay(
        states=walk.states,
        allocations=allocations,
        unpaid_fees=ZERO,
        paid_off_on=walk.paid_off_on,
    )


def _facts(plan: PlannedLoan) -> list[engine.PaymentFact]:
    # Local position + 1 as the id: the engine sorts by (received_on, id), and
    # stored ids keep the same order.
    return [
        engine.PaymentFact(p.local + 1, p.amount, p.received_on)
        for p in plan.payments
        if p.reversed_on is None
    ]


def _ledger(plan: PlannedLoan, late_fees_through: date | None) -> None:
    """The ledger lines in the order the services would have posted them, the
    installment rows and the loan's facts, from the engine's replay."""
    loan, product = plan.loan, plan.product
    assert loan.disbursed_on is not None
    posted = _facts(plan)
    # Fees, each with a stand-in id that keeps the stored ids' order.
    fees: list[tuple[engine.FeeFact, PlannedEntry]] = []
    # On-time and prepaying borrowers pay each installment in full within its
    # grace period, so the rule would find nothing; it is asked for the rest
    # (and `verify` asks it for every loan it checks).
    if (
        late_fees_through is not None
        and product.late_fee > 0
        and plan.pattern in MAYBE_LATE
    ):
        grace = timedelta(days=product.late_fee_grace_days)
        for s in late_installments(
            loan,
            posted,
            grace_days=product.late_fee_grace_days,
            as_of=late_fees_through,
        ):
            effective = s.due_date + grace + timedelta(days=1)
            entry = PlannedEntry(
                EntryKind.FEE_ASSESSED,
                product.late_fee,
                effective,
                fee_kind=FeeKind.LATE,
                installment_number=s.number,
                memo=f"Late fee, installment {s.number} due {s.due_date}",
            )
            fees.append((_fee_fact(entry), entry))
    for p in plan.payments:
        if p.reversed_on is not None and product.returned_payment_fee > 0:
            entry = PlannedEntry(
                EntryKind.FEE_ASSESSED,
                product.returned_payment_fee,
                p.reversed_on,
                payment=p.local,
                fee_kind=FeeKind.RETURNED_PAYMENT,
                memo=f"Returned payment {p.reference}",
            )
            fees.append((_fee_fact(entry), entry))
    # Chronological: the FeeQueue breaks ties by id, and ids follow this order.
    fees.sort(key=lambda pair: (pair[1].effective_on, pair[1].kind))
    fee_facts = [
        engine.FeeFact(
            i + 1, f.amount, f.effective_on, f.installment_number, f.fee_kind
        )
        for i, (f, _) in enumerate(fees)
    ]
    if not fee_facts and plan.no_fee_replay is not None:
        result = plan.no_fee_replay
    else:
        result = engine.replay(loan, posted, fee_facts)

    # (date, order within the day, sequence) -> entries, emitted in order.
    events: list[tuple[date, int, int, list[PlannedEntry]]] = [
        (
            loan.disbursed_on,
            0,
            0,
            [
                PlannedEntry(
                    EntryKind.DISBURSEMENT,
                    loan.principal,
                    loan.disbursed_on,
                    memo="Principal disbursed",
                )
            ],
        )
    ]
    for seq, (_, entry) in enumerate(fees):
        order = 3 if entry.fee_kind == FeeKind.RETURNED_PAYMENT else 1
        events.append((entry.effective_on, order, seq, [entry]))
    for p in plan.payments:
        if p.reversed_on is None:
            bucket = result.allocations[p.local + 1]
        else:
            bucket = _allocation_when_posted(plan, p, posted, fee_facts)
        events.append((p.received_on, 2, p.local, _allocation(p, bucket)))
    for p in plan.payments:
        if p.reversed_on is None:
            continue
        reason = f"Payment {p.reference} reversed: {ReversalReason.NSF.label}"
        originals = next(e for e in events if e[1] == 2 and e[2] == p.local)[3]
        # Reversing entries, just before the same day's returned-payment fee.
        reversals = [
            PlannedEntry(
                e.kind,
                -e.amount,
                p.reversed_on,
                payment=p.local,
                installment_number=e.installment_number,
                reverses=e,
                memo=reason[:255],
            )
            for e in originals
        ]
        events.append((p.reversed_on, 3, -1, reversals))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    for _, _, _, entries in events:
        plan.entries.extend(entries)

    plan.installments = result.states
    loan.oldest_unpaid_due, loan.principal_outstanding = engine.schedule_facts(
        result.states
    )
    if result.paid_off_on is not None:
        loan.status = LoanStatus.PAID_OFF
        loan.paid_off_on = result.paid_off_on


def _fee_fact(entry: PlannedEntry) -> engine.FeeFact:
    return engine.FeeFact(
        0, entry.amount, entry.effective_on, entry.installment_number, entry.fee_kind
    )


def _allocation_when_posted(
    plan: PlannedLoan,
    payment: PlannedPayment,
    posted: list[engine.PaymentFact],
    fees: list[engine.FeeFact],
) -> dict[engine.AllocationKey, Decimal]:
    """How a later-returned payment was allocated when it was posted: after
    the payments before it and the fees assessed by then."""
    me = engine.PaymentFact(payment.local + 1, payment.amount, payment.received_on)
    before = [f for f in posted if (f.received_on, f.id) < (me.received_on, me.id)]
    known = [f for f in fees if f.effective_on <= payment.received_on]
    return engine.replay(plan.loan, [*before, me], known).allocations[me.id]


def _allocation(
    payment: PlannedPayment, bucket: dict[engine.AllocationKey, Decimal]
) -> list[PlannedEntry]:
    # The order LedgerWriter.allocate writes a payment's lines in.
    return [
        PlannedEntry(
            kind,
            amount,
            payment.received_on,
            payment=payment.local,
            installment_number=number,
        )
        for (kind, number), amount in sorted(
            bucket.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
        )
    ]
