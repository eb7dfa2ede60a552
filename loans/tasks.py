"""Scheduled loan jobs (Django Tasks API). Each is idempotent per as-of date."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def assess_late_fees_task(as_of: str) -> int:
    from loans.services.late_fees import late_fees_assess
    from portal.audit import audit_context, get_system_user

    system = get_system_user()
    with audit_context(user=system, reason=f"Scheduled late fees {as_of}"):
        return late_fees_assess(actor=system, as_of=date.fromisoformat(as_of))
