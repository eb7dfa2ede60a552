"""Signals the loans app sends for other work to follow.

`aging_run_finished` is sent once the nightly aging run for a date has
finished and been recorded (kwargs: as_of, actor, run), after its
transaction commits: the day's collection work is wired to it.

`loan_activated` is sent when a loan becomes active (disbursed, or booked
from the old system), after its transaction commits (kwargs: loan, actor):
the liens work gives a loan that needs a lien its lien to record.
"""

from __future__ import annotations

import django.dispatch

aging_run_finished = django.dispatch.Signal()  # kwargs: as_of, actor, run
loan_activated = django.dispatch.Signal()  # kwargs: loan, actor
