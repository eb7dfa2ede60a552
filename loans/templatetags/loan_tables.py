"""{% load loan_tables %}: the loan page's long tables, row by row.

    {% schedule_table_rows schedule %}   the schedule's <tr>s
    {% payment_table_rows payment_rows %} the payments' <tr>s, with their buttons
    {% ledger_table_rows entries %}      the ledger's <tr>s

A loan's page lists every installment, payment and ledger line (a few hundred
rows for a loan some years old). Written through the template language, each
of its ~2,000 cells cost a variable node (resolve, localize, escape, filter):
most of the page's CPU. These tags write the same markup directly, each value
escaped as `{{ value }}` would be, with the same words for money, dates and
codes (portal_format, loans.words).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from loans.choices import (
    EntryKind,
    FeeKind,
    PaymentMethod,
    PaymentStatus,
    ReversalReason,
)
from loans.words import installment_status_words
from portal.templatetags.portal_format import day_text, money_text

register = template.Library()


def _text(value: Any) -> str:
    """What `{{ value }}` writes for a string or a whole number (no thousand
    separators: the project does not turn them on). Django's escape is
    html.escape; called directly, without its lazy-string wrapper."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "__html__"):
        return str(conditional_escape(value))
    return escape(str(value))


def _or_blank(value: Any) -> str:
    """`{{ value|default:"" }}`."""
    return _text(value) if value else ""


def _label(choices: Any, value: Any) -> str:
    """`get_FOO_display()`: the choice's label, or the code when unknown."""
    return _text(str(dict(choices).get(value, value)))


@register.simple_tag
def schedule_table_rows(schedule: Iterable[Any]) -> SafeString:
    cells = []
    for r in schedule:
        cells.append(
            f"<tr><td>{_text(r.number)}</td><td>{day_text(r.due_date)}</td>"
            f"<td>{money_text(r.amount)}</td><td>{money_text(r.principal)}</td>"
            f"<td>{money_text(r.interest)}</td>"
            f"<td>{money_text(r.balance_after)}</td>"
            f"<td>{money_text(r.principal_paid)}</td>"
            f"<td>{money_text(r.interest_paid)}</td>"
            f"<td>{money_text(r.fees_paid)}</td>"
            f"<td>{_text(installment_status_words(r.status))}</td></tr>"
        )
    if not cells:
        return mark_safe('<tr><td colspan="10">Fixed at disbursement.</td></tr>')
    return mark_safe("".join(cells))  # noqa: S308 - every value escaped above


@register.simple_tag
def payment_table_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    methods = {k: str(v) for k, v in PaymentMethod.choices}
    statuses = {k: str(v) for k, v in PaymentStatus.choices}
    reasons = {k: str(v) for k, v in ReversalReason.choices}
    cells = []
    for row in rows:
        p = row["payment"]
        reference = _text(p.reference)
        status = _label(statuses, p.status)
        if p.reversal_reason:
            status += f" ({_label(reasons, p.reversal_reason)})"
        batch = _or_blank(p.batch.file_name) if p.batch_id else ""
        button = ""
        if row["reverse_url"]:
            button = (
                '<a class="button button-small button-secondary" '
                f'href="{_text(row["reverse_url"])}" '
                f'aria-label="Reverse payment {reference}">Reverse</a>'
            )
        cells.append(
            f'<tr><td><a href="{_text(row["receipt_url"])}" title="Receipt">'
            f"{reference}</a></td><td>{day_text(p.received_on)}</td>"
            f"<td>{money_text(p.amount)}</td><td>{_label(methods, p.method)}</td>"
            f"<td>{status}</td><td>{batch}</td>\n<td>{button}</td></tr>\n"
        )
    if not cells:
        return mark_safe('<tr><td colspan="7">No payments.</td></tr>')
    return mark_safe("".join(cells))  # noqa: S308 - every value escaped above


@register.simple_tag
def ledger_table_rows(entries: Iterable[Any]) -> SafeString:
    kinds = {k: str(v) for k, v in EntryKind.choices}
    fee_kinds = {k: str(v) for k, v in FeeKind.choices}
    cells = []
    for e in entries:
        kind = _label(kinds, e.kind)
        if e.fee_kind:
            kind += f" ({_label(fee_kinds, e.fee_kind)})"
        payment = _or_blank(e.payment.reference) if e.payment_id else ""
        cells.append(
            f"<tr><td>{_text(e.pk)}</td><td>{day_text(e.effective_on)}</td>"
            f"<td>{kind}</td><td>{_or_blank(e.installment_number)}</td>"
            f"<td>{money_text(e.amount)}</td><td>{payment}</td>"
            f"<td>{_or_blank(e.reverses_id)}</td><td>{_text(e.memo)}</td></tr>"
        )
    return mark_safe("".join(cells))  # noqa: S308 - every value escaped above
