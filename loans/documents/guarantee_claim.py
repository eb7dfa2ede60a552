"""The State guarantee claim package: the claim (outstanding principal
claimed), the loan's terms and history (payments, write-off) and every
collection action taken, as a PDF (WeasyPrint)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from weasyprint import HTML

from loans.documents import letter_context
from loans.models import GuaranteeClaim
from loans.selectors import ledger_balances
from portal.money import format_money


def guarantee_claim_pdf(*, claim: GuaranteeClaim) -> bytes:
    return HTML(string=guarantee_claim_html(claim=claim)).write_pdf()


def guarantee_claim_html(*, claim: GuaranteeClaim) -> str:
    loan = claim.loan
    context = letter_context(loan.customer)
    payments = [
        {
            "received_on": p.received_on,
            "reference": p.reference,
            "amount": format_money(p.amount),
            "status": p.get_status_display(),
            "recovery": hasattr(p, "recovery"),
        }
        for p in loan.payments.select_related("recovery").order_by("received_on", "pk")
    ]
    actions = [
        {
            "date": a.date,
            "type": a.get_type_display(),
            "channel": a.get_channel_display(),
            "outcome": a.outcome,
            "by": a.by.get_full_name() or a.by.get_username(),
        }
        for a in loan.collection_actions.select_related("by").order_by("date", "pk")
    ]
    write_off: Any = loan.write_offs.filter(status="approved").first()
    return render_to_string(
        "loans/documents/guarantee_claim.html",
        {
            **context,
            "claim": claim,
            "loan": loan,
            "principal_claimed": format_money(claim.principal_claimed),
            "loan_principal": format_money(loan.principal),
            "installment": format_money(loan.installment_amount),
            "ledger_principal": format_money(ledger_balances(loan)["principal"]),
            "write_off": write_off,
            "write_off_total": format_money(write_off.total) if write_off else None,
            "payments": payments,
            "actions": actions,
        },
    )
