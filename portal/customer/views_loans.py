"""My loans: the list, one loan's page (balance, next due, days past due,
schedule, payments, statements and a payoff quote for a chosen date), and
its PDFs (payoff letter, coupon book, statements).

Every loan is looked up by its number through `request.customer` (404 for
anyone else's); every answer is `Cache-Control: no-store` (customer_page).
The figures are the loans app's (loans.selectors, payoff_quote and the
documents): nothing is recomputed here."""

from __future__ import annotations

from typing import Any

from django.core.files.base import File
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from loans.documents.payoff_letter import payoff_letter_pdf
from loans.models import Loan
from loans.services.coupons import coupon_book_produce
from portal.audit import get_system_user
from portal.customer import selectors
from portal.customer.access import customer_page
from portal.customer.forms_loans import PayoffDateForm


def _loan(request: HttpRequest, number: str) -> Loan:
    loan = selectors.customer_loan(request.customer, number)  # type: ignore[attr-defined]
    if loan is None:
        raise Http404("No such loan.")
    return loan


def _pdf(handle: File[bytes] | Any, name: str) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@customer_page
def loans(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.my_loans(request.customer, today)  # type: ignore[attr-defined]
    return render(request, "customer/loans/list.html", {"rows": rows, "today": today})


@require_safe
@customer_page
def loan(request: HttpRequest, number: str) -> HttpResponse:
    loan = _loan(request, number)
    today = timezone.localdate()
    page = selectors.loan_page(loan, today)
    quote = None
    letter_url = ""
    asked = "as_of" in request.GET
    form = PayoffDateForm(request.GET if asked else None, today=today)
    if not asked:
        form.initial = {"as_of": today}
    can_quote = page.is_open and page.disbursed
    if asked and can_quote and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        quote = selectors.loan_payoff(loan, as_of)
        letter_url = (
            reverse("customer:loan_payoff_letter", args=[loan.number])
            + f"?as_of={as_of.isoformat()}"
        )
    return render(
        request,
        "customer/loans/detail.html",
        {
            "page": page,
            "loan": loan,
            "form": form,
            "can_quote": can_quote,
            "quote": quote,
            "letter_url": letter_url,
        },
    )


@require_safe
@customer_page
def payoff_letter(request: HttpRequest, number: str) -> HttpResponse:
    """The payoff letter for ?as_of= (today when not given). A date the form
    refuses sends the customer back to the loan page, where the message
    stands on the date field."""
    loan = _loan(request, number)
    if not (loan.is_open() and loan.disbursed_on is not None):
        raise Http404("This loan has nothing to pay off.")
    today = timezone.localdate()
    form = PayoffDateForm(
        request.GET if "as_of" in request.GET else {"as_of": today.isoformat()},
        today=today,
    )
    if not form.is_valid():
        query = request.GET.urlencode()
        return redirect(
            reverse("customer:loan", args=[loan.number]) + f"?{query}#payoff"
        )
    as_of = form.cleaned_data["as_of"]
    pdf = payoff_letter_pdf(loan=loan, as_of=as_of)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="payoff-{loan.number}-{as_of.isoformat()}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@customer_page
def coupon_book(request: HttpRequest, number: str) -> Any:
    """The latest coupon book printed for the loan; when none was printed
    yet and the loan is open, one is printed now through the coupon-book
    service (by the system user: the customer asked, nobody on staff) and
    kept with the loan's correspondence like every other."""
    loan = _loan(request, number)
    record = selectors.latest_coupon_book(loan)
    if record is None:
        if not loan.is_open():
            raise Http404("This loan has no coupon book.")
        record = coupon_book_produce(
            loan=loan, actor=get_system_user(), on=timezone.localdate()
        )
    try:
        handle = record.correspondence.rendered_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The coupon book's file is missing.") from None
    return _pdf(handle, f"coupons-{loan.number}-{record.on.isoformat()}.pdf")


@require_safe
@customer_page
def statement(request: HttpRequest, number: str, pk: int) -> Any:
    loan = _loan(request, number)
    found = selectors.loan_statement(loan, pk)
    if found is None:
        raise Http404("No such statement.")
    try:
        handle = found.correspondence.rendered_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The statement's file is missing.") from None
    return _pdf(handle, f"statement-{loan.number}-{found.period_end.isoformat()}.pdf")
