"""The lender's subordination request on the public site.

Anyone may submit it (no log-in); it is rate-limited per address with
allauth's limiter (the same mechanism as portal.api_auth). The answer is the
same whether or not the property carries a lien of ours: the reference
number and what happens next, never anything about the customer's loan.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect

from allauth.core.internal import ratelimit

from liens.choices_subordinations import SubordinationSource
from liens.forms_public import LenderRequestForm
from liens.services.subordinations import subordination_request_submit
from portal.audit import get_system_user

RATE_LIMIT_APP = "liens.public"
SUBMISSIONS = "lender_subordination_request"
# Lenders send a handful a day; this stops a script, not a busy closer.
RATE_LIMITS = {SUBMISSIONS: "10/1h/ip"}
SESSION_KEY = "lender_subordination_reference"
TOO_MANY = (
    "Too many requests have been sent from your address in the last hour; "
    "please try again later or call the customer finance office."
)


@csrf_protect
def lender_request(request: Any) -> Any:
    form = LenderRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        allowed = ratelimit.consume(
            request, app=RATE_LIMIT_APP, action=SUBMISSIONS, config=RATE_LIMITS
        )
        if not allowed:
            return render(
                request,
                "liens/public/lender_request.html",
                {"form": form, "limited": TOO_MANY},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    submitted = subordination_request_submit(
                        actor=get_system_user(),
                        source=SubordinationSource.PUBLIC_FORM,
                        institution=data["institution"],
                        contact_name=data["contact_name"],
                        contact_email=data["contact_email"],
                        contact_phone=data["contact_phone"],
                        property_text=data["property_text"],
                        borrower_name=data["borrower_name"],
                        new_loan_amount=data["new_loan_amount"],
                        purpose=data["purpose"],
                        appraised_value=data["appraised_value"],
                        senior_liens_total=data["senior_liens_total"],
                        uploads=data["documents"],
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                request.session[SESSION_KEY] = submitted.reference
                return redirect("lender_request_received")
    return render(request, "liens/public/lender_request.html", {"form": form})


def _add_errors(form: LenderRequestForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else "documents", errors)
    else:
        # A document refused by the upload checks (size, type).
        form.add_error("documents", error.messages)


def lender_request_received(request: Any) -> Any:
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("lender_request")
    return render(
        request, "liens/public/lender_request_received.html", {"reference": reference}
    )
