"""manage.py run_adequacy_review records a review as the system user."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from liens.models import AdequacyReview
from tests.factories.liens_adequacy import account, bills

pytestmark = pytest.mark.django_db


def test_command_runs_and_records_a_review():
    acct = account("100001")
    from datetime import date

    bills(acct, ["45.50"], date(2026, 3, 1))
    out = StringIO()
    call_command(
        "run_adequacy_review",
        "--as-of",
        "2026-03-31",
        "--class",
        "residential",
        stdout=out,
    )
    review = AdequacyReview.objects.get()
    assert review.started_by.get_username() == "system"
    assert out.getvalue().startswith(
        f"{review}: 1 account(s) as of 2026-03-31; 1 under-secured ($91.00 short)"
    )


def test_command_refuses_a_future_date():
    with pytest.raises(CommandError, match="can't be in the future"):
        call_command("run_adequacy_review", "--as-of", "2999-01-01")
