"""My applications: the customer's drafts and submitted applications, each
application's steps in plain words, and the answer to an information
request (message and files), which goes to the owning app's answer service.

Thin views: the reads are portal.customer.selectors, the one change is the
answer service's; objects are looked up through `request.customer`, so
someone else's application is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from loans.services.online_answers import loan_application_answer_information
from loans.views import add_service_errors
from portal.customer import selectors
from portal.customer.access import customer_page
from portal.customer.forms_applications import AnswerForm
from programs.online_answers import rebate_answer_information

ANSWER_SERVICES: dict[str, Any] = {
    selectors.LOAN: loan_application_answer_information,
    selectors.REBATE: rebate_answer_information,
}
THANKS = (
    "Thank you: we received your answer{files} for application {reference}. "
    "It is back in review; we will write to you when we decide."
)


@require_safe
@customer_page
def applications(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_applications(request.customer)  # type: ignore[attr-defined]
    return render(request, "customer/applications/list.html", {"mine": mine})


@require_http_methods(["GET", "HEAD", "POST"])
@customer_page
def application(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    customer = request.customer  # type: ignore[attr-defined]
    page = selectors.application_page(customer, kind, pk)
    if page is None:
        raise Http404("No such application.")
    form = AnswerForm()
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            files = form.cleaned_data["documents"]
            try:
                ANSWER_SERVICES[kind](
                    actor=request.user,
                    application=page.application,
                    message=form.cleaned_data["message"],
                    documents=files,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = len(files)
                messages.success(
                    request,
                    THANKS.format(
                        reference=page.reference,
                        files=f" and {count} file{'s' if count != 1 else ''}"
                        if count
                        else "",
                    ),
                )
                return redirect("customer:application", kind, pk)
    return render(
        request,
        "customer/applications/detail.html",
        {"page": page, "form": form},
    )
