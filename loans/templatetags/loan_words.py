"""{% load loan_words %}: {{ row.status|installment_status }} reads "Past due",
{{ summary.dpd_bucket|dpd_bucket }} reads "31–60 days past due"."""

from __future__ import annotations

from django import template

from loans.words import dpd_bucket_words, installment_status_words

register = template.Library()


@register.filter
def installment_status(code: str) -> str:
    return installment_status_words(code)


@register.filter
def dpd_bucket(code: str) -> str:
    return dpd_bucket_words(code)
