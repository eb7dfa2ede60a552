"""The general-ledger journal export: each day's loan ledger activity as
double-entry journal lines by GL account, for the city's financial system.

Which day: an entry's `effective_on`, the date every "balance at a date"
uses (the PSC report, the statements), so the journal's balance of loans
receivable at a day's end is the ledger's principal then. A reversal entry
carries its reversal date; a back-dated payment re-posts allocations on its
received date, so a period can change after it was exported (generate it
again: the new version amends the filed one and lists what changed).

Which accounts: `POSTINGS` maps every ledger entry kind to the roles it
debits and credits; each role's code and name are data (`GLAccount`, Reports
› GL accounts). A reversal entry (negated amount) posts its amount on the
opposite sides, so every line is a positive debit or credit and the journal
shows the reversal rather than netting it away.

Lines: per day, per account, one debit line and one credit line (when there
is activity on that side), the description naming the entry kinds summed in
it. Every day's debits must equal its credits, or nothing is generated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from loans.choices import EntryKind
from loans.models import LedgerEntry
from portal.money import format_money
from regulatory_reports.choices import GLRole
from regulatory_reports.kinds import (
    Column,
    ReportError,
    ReportKind,
    ReportResult,
    Section,
    money,
    register,
)
from regulatory_reports.kinds.psc_queries import ZERO, _dec, _sum
from regulatory_reports.models import GLAccount


@dataclass(frozen=True)
class Posting:
    """What one ledger entry kind debits and credits (None: not posted)."""

    debit: GLRole | None
    credit: GLRole | None
    why: str


R = GLRole
# Every EntryKind must be here (a test fails for a new kind without a row).
POSTINGS: dict[str, Posting] = {
    EntryKind.DISBURSEMENT: Posting(
        R.LOANS_RECEIVABLE,
        R.CASH,
        "The loan fund pays out the principal, which the borrower now owes.",
    ),
    EntryKind.FEE_ASSESSED: Posting(
        R.FEES_RECEIVABLE,
        R.FEE_INCOME,
        "A fee (origination, late, returned payment) is earned when charged and "
        "owed apart from principal, as the ledger keeps it.",
    ),
    EntryKind.FEE_PAID: Posting(
        R.CASH,
        R.FEES_RECEIVABLE,
        "Cash received settles fees owed (income was recognised when charged).",
    ),
    EntryKind.INTEREST_PAID: Posting(
        R.CASH,
        R.INTEREST_INCOME,
        "The ledger has no interest accrual entries, so interest is income when "
        "it is paid (cash basis).",
    ),
    EntryKind.PRINCIPAL_PAID: Posting(
        R.CASH,
        R.LOANS_RECEIVABLE,
        "Cash received repays principal of an installment.",
    ),
    EntryKind.PREPAYMENT: Posting(
        R.CASH,
        R.LOANS_RECEIVABLE,
        "Cash received repays principal ahead of the schedule.",
    ),
    EntryKind.UNAPPLIED: Posting(
        R.CASH,
        R.REFUNDS_PAYABLE,
        "Cash received beyond everything owed belongs to the customer until "
        "refunded: a liability, not income.",
    ),
    EntryKind.WRITE_OFF: Posting(
        R.WRITE_OFF_EXPENSE,
        R.LOANS_RECEIVABLE,
        "Principal judged uncollectable leaves the receivable as an expense.",
    ),
    EntryKind.WRITE_OFF_INTEREST: Posting(
        None,
        None,
        "Not posted: interest is recognised only when paid, so unpaid interest "
        "was never a receivable or income; writing it off moves nothing.",
    ),
    EntryKind.WRITE_OFF_FEES: Posting(
        R.WRITE_OFF_EXPENSE,
        R.FEES_RECEIVABLE,
        "Fees charged (and so recognised) but uncollectable leave the fees "
        "receivable as an expense.",
    ),
    EntryKind.RECOVERY: Posting(
        R.CASH,
        R.RECOVERIES,
        "Money received after a write-off is income of its own account, so the "
        "year's write-off expense stays what was written off.",
    ),
}

JOURNAL_COLUMNS = [
    Column("date", "Date", "date"),
    Column("account", "Account"),
    Column("account_name", "Account name"),
    Column("debit", "Debit", "money"),
    Column("credit", "Credit", "money"),
    Column("description", "Description"),
]
DAY_COLUMNS = [
    Column("date", "Date", "date"),
    Column("debits", "Debits", "money"),
    Column("credits", "Credits", "money"),
    Column("balanced", "Balanced"),
]
LABELS = dict(EntryKind.choices)
DEBIT, CREDIT = "debit", "credit"


def ledger_activity(
    start: date, end: date
) -> Iterator[tuple[date, str, Decimal, Decimal]]:
    """Per effective day and entry kind: (day, kind, sum of positive amounts,
    sum of negative amounts as a positive number). One grouped query."""
    rows = (
        LedgerEntry.objects.filter(effective_on__range=(start, end))
        .values("effective_on", "kind")
        .annotate(added=_sum(Q(amount__gt=0)), reversed=_sum(Q(amount__lt=0)))
        .order_by("effective_on", "kind")
    )
    for row in rows.iterator(chunk_size=5000):
        yield (
            row["effective_on"],
            row["kind"],
            _dec(row["added"]),
            -_dec(row["reversed"]),
        )


@dataclass
class Side:
    """One account's debits (or credits) of a day and the kinds in them."""

    amount: Decimal = ZERO
    kinds: list[str] = field(default_factory=list)


def postings_by_day(
    activity: Iterable[tuple[date, str, Decimal, Decimal]],
    postings: dict[str, Posting],
) -> dict[date, dict[tuple[str, str], Side]]:
    """Per day, per (role, side): the amount and the entry kinds in it. A
    reversed amount posts on the opposite sides."""
    days: dict[date, dict[tuple[str, str], Side]] = defaultdict(dict)
    for day, kind, added, reversed_ in activity:
        posting = postings[kind]
        for amount, debit, credit, label in (
            (added, posting.debit, posting.credit, LABELS.get(kind, kind)),
            (
                reversed_,
                posting.credit,
                posting.debit,
                f"Reversal: {LABELS.get(kind, kind)}",
            ),
        ):
            if not amount:
                continue
            for role, side in ((debit, DEBIT), (credit, CREDIT)):
                if role is None:
                    continue
                found = days[day].setdefault((role, side), Side())
                found.amount += amount
                found.kinds.append(label)
    return days


def check_balanced(days: dict[date, tuple[Decimal, Decimal]]) -> None:
    """Raise ReportError naming every day whose debits are not its credits."""
    broken = sorted(day for day, (dr, cr) in days.items() if dr != cr)
    if broken:
        details = "; ".join(
            f"{day.isoformat()}: debits {format_money(days[day][0])}, "
            f"credits {format_money(days[day][1])}"
            for day in broken
        )
        raise ReportError(
            f"Debits do not equal credits on {len(broken)} "
            f"day{'s' if len(broken) != 1 else ''}: {details}. "
            "The report was not generated."
        )


def accounts_for(roles: Iterable[str]) -> dict[str, GLAccount]:
    """The active account of each role needed, or ReportError naming the
    roles that have none."""
    needed = set(roles)
    found = {a.role: a for a in GLAccount.objects.filter(role__in=needed, active=True)}
    missing = sorted(needed - set(found))
    if missing:
        names = ", ".join(GLRole(role).label for role in missing)
        raise ReportError(
            f"There is no active GL account for {names}; a supervisor sets one "
            "under Reports › GL accounts. The report was not generated."
        )
    return found


@register
class GLJournalExport(ReportKind):
    key = "gl_journal"
    title = "General-ledger journal export"
    postings = POSTINGS

    def build(self, *, start: date, end: date) -> ReportResult:
        days = postings_by_day(ledger_activity(start, end), self.postings)
        totals = {
            day: (
                sum(
                    (s.amount for (_, side), s in sides.items() if side == DEBIT), ZERO
                ),
                sum(
                    (s.amount for (_, side), s in sides.items() if side == CREDIT), ZERO
                ),
            )
            for day, sides in days.items()
        }
        check_balanced(totals)
        accounts = accounts_for(role for sides in days.values() for role, _ in sides)
        lines: list[dict[str, Any]] = []
        by_account: dict[str, dict[str, Decimal]] = {}
        for day in sorted(days):
            ordered = sorted(
                days[day].items(),
                key=lambda item: (item[0][1] != DEBIT, accounts[item[0][0]].code),
            )
            for (role, side), found in ordered:
                account = accounts[role]
                lines.append(
                    {
                        "date": day,
                        "account": account.code,
                        "account_name": account.name,
                        DEBIT: found.amount if side == DEBIT else ZERO,
                        CREDIT: found.amount if side == CREDIT else ZERO,
                        "description": "; ".join(found.kinds),
                    }
                )
                tally = by_account.setdefault(account.code, {DEBIT: ZERO, CREDIT: ZERO})
                tally[side] += found.amount
        debits = sum((dr for dr, _ in totals.values()), ZERO)
        credits = sum((cr for _, cr in totals.values()), ZERO)
        figures = {
            "days": len(days),
            "debits": money(debits),
            "credits": money(credits),
            "balanced": True,
            "by_account": {
                code: {DEBIT: money(t[DEBIT]), CREDIT: money(t[CREDIT])}
                for code, t in sorted(by_account.items())
            },
        }
        names = {a.code: a.name for a in accounts.values()}
        summary: list[tuple[str, Any, Any]] = [
            ("Days with ledger activity", len(days), "int"),
            ("Total debits", debits, "money"),
            ("Total credits", credits, "money"),
            ("Debits equal credits every day", "Yes", "text"),
        ]
        for code, t in sorted(by_account.items()):
            summary.append(
                (
                    f"{code} {names[code]}",
                    f"debits {format_money(t[DEBIT])}, "
                    f"credits {format_money(t[CREDIT])}",
                    "text",
                )
            )
        day_rows = [
            {"date": day, "debits": dr, "credits": cr, "balanced": "Yes"}
            for day, (dr, cr) in sorted(totals.items())
        ]
        sections = [
            Section(
                "journal",
                "Journal lines",
                JOURNAL_COLUMNS,
                lines,
                {DEBIT: debits, CREDIT: credits},
            ),
            Section(
                "days",
                "Daily balance check",
                DAY_COLUMNS,
                day_rows,
                {"debits": debits, "credits": credits},
            ),
        ]
        return ReportResult(figures=figures, summary=summary, sections=sections)
