"""Scheduled loan jobs (Django Tasks API). Each is idempotent per as-of date:
running one twice for a date changes nothing the second time."""

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


@task()
def aging_run_task(as_of: str | None = None) -> int:
    """The nightly aging run (late fees, statuses, the run's record) for a
    date, today by default; returns the AgingRun's id."""
    from django.utils import timezone

    from loans.models import AgingTrigger
    from loans.services.aging import aging_run
    from portal.audit import audit_context, get_system_user

    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    system = get_system_user()
    with audit_context(user=system, reason=f"Scheduled aging run {day}"):
        run = aging_run(as_of=day, actor=system, trigger=AgingTrigger.SCHEDULE)
    return run.pk


@task()
def collection_letters_task(as_of: str | None = None) -> int:
    """The ladder's letters due on a date (today by default), after that
    night's aging run; returns how many were sent."""
    from django.utils import timezone

    from loans.services.collections import collection_letters_send
    from portal.audit import audit_context, get_system_user

    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    system = get_system_user()
    with audit_context(user=system, reason=f"Collection letters {day}"):
        return collection_letters_send(as_of=day, actor=system)
