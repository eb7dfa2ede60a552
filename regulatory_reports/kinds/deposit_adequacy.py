"""Deposit adequacy as of the period's last day: for every account reviewed
(active accounts, and any account still secured by an instrument in force),
the deposit required (the policy's multiple of the average monthly bill, or
the class minimum) against the deposits held, and the shortfalls.

Read through `liens.services.adequacy.adequacy_figures`, the same figures a
recorded adequacy review keeps, under the current policy; nothing is
recorded and no follow-up is opened (that is the review's job).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from liens.models.adequacy import AdequacyPolicy, AdequacyStatus, ReviewClass
from liens.services.adequacy import adequacy_figures
from portal.choices import CustomerClass
from regulatory_reports.kinds import (
    ZERO,
    Column,
    ReportKind,
    ReportResult,
    Section,
    money,
    register,
)

ACCOUNT_COLUMNS = [
    Column("account", "Account"),
    Column("customer", "Customer"),
    Column("class", "Class"),
    Column("bill_months", "Bill months", "int"),
    Column("average_bill", "Average bill", "money"),
    Column("required", "Required", "money"),
    Column("held", "Held", "money"),
    Column("difference", "Held less required", "money"),
    Column("status", "Status"),
]
SHORTFALL_COLUMNS = [
    Column("account", "Account"),
    Column("customer", "Customer"),
    Column("class", "Class"),
    Column("required", "Required", "money"),
    Column("held", "Held", "money"),
    Column("shortfall", "Shortfall", "money"),
]


def _policy() -> AdequacyPolicy:
    # Read only: a report never writes (AdequacyPolicy.current() would
    # create the row when it is missing); the defaults stand in for it.
    return AdequacyPolicy.objects.order_by("pk").first() or AdequacyPolicy()


@register
class DepositAdequacyReport(ReportKind):
    key = "deposit_adequacy"
    title = "Deposit adequacy"

    def build(self, *, start: date, end: date) -> ReportResult:
        policy = _policy()
        classes = dict(CustomerClass.choices)
        statuses = dict(AdequacyStatus.choices)
        accounts: list[dict[str, Any]] = []
        shortfalls: list[dict[str, Any]] = []
        for account, f in adequacy_figures(
            as_of=end, customer_class=ReviewClass.ALL, policy=policy
        ):
            row = {
                "account": account.number,
                "customer": account.customer.display_name,
                "class": classes.get(account.customer_class, account.customer_class),
                "bill_months": f.bill_months,
                "average_bill": f.average_bill,
                "required": f.required,
                "held": f.held,
                "difference": f.difference,
                "status": statuses[f.status],
            }
            accounts.append(row)
            if f.status == AdequacyStatus.UNDER:
                shortfalls.append(
                    {
                        **{k: row[k] for k in ("account", "customer", "class")},
                        "required": f.required,
                        "held": f.held,
                        "shortfall": -f.difference,
                    }
                )
        required = sum((r["required"] for r in accounts), ZERO)
        held = sum((r["held"] for r in accounts), ZERO)
        difference = sum((r["difference"] for r in accounts), ZERO)
        shortfall = sum((r["shortfall"] for r in shortfalls), ZERO)
        excess = sum((r["difference"] for r in accounts if r["difference"] > 0), ZERO)
        under = len(shortfalls)
        over = sum(1 for r in accounts if r["difference"] > 0)
        figures = {
            "as_of": end.isoformat(),
            "multiple": f"{policy.multiple.normalize():f}",
            "months": policy.months,
            "accounts": len(accounts),
            "under": under,
            "over": over,
            "adequate": len(accounts) - under - over,
            "required": money(required),
            "held": money(held),
            "shortfall": money(shortfall),
            "excess": money(excess),
        }
        summary: list[tuple[str, Any, Any]] = [
            ("As of", end, "date"),
            (
                "Required deposit",
                f"{policy.multiple.normalize():f} × the average of the last "
                f"{policy.months} monthly bills",
                "text",
            ),
            ("Accounts reviewed", len(accounts), "int"),
            ("Under-secured", under, "int"),
            ("Over-secured", over, "int"),
            ("Adequate", figures["adequate"], "int"),
            ("Deposits required", required, "money"),
            ("Deposits held", held, "money"),
            ("Shortfall (under-secured accounts)", shortfall, "money"),
            ("Excess (over-secured accounts)", excess, "money"),
        ]
        sections = [
            Section(
                "accounts",
                "Accounts",
                ACCOUNT_COLUMNS,
                accounts,
                {"required": required, "held": held, "difference": difference},
                loan_key="account",
            ),
            Section(
                "shortfalls",
                "Shortfalls",
                SHORTFALL_COLUMNS,
                shortfalls,
                {
                    "required": sum((r["required"] for r in shortfalls), ZERO),
                    "held": sum((r["held"] for r in shortfalls), ZERO),
                    "shortfall": shortfall,
                },
                loan_key="account",
            ),
        ]
        return ReportResult(figures=figures, summary=summary, sections=sections)
