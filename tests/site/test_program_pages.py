"""Program pages show the program's or loan product's own data, a working
loan calculator (server-rendered on GET), and survive a code that no longer
exists; the page editor refuses an unknown code on the field."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

import pytest

from portal.models import ProgramPage
from tests.factories.programs import MeasureFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def program_page(home, add_page, code, slug="a-program"):
    return add_page(
        home,
        ProgramPage(
            title="A program",
            slug=slug,
            program_code=code,
            summary="What it offers.",
            body="<p>Prose about the program.</p>",
            how_to_apply="<p>Apply online.</p>",
        ),
    )


def test_a_rebate_page_shows_eligibility_and_the_incentive_table(
    client, home, add_page
):
    program = ProgramFactory(code="GIP", required_services=["gas"])
    MeasureFactory(
        program=program,
        code="FURNACE",
        name="High-efficiency gas furnace",
        amount=Decimal("500.00"),
        limit_kind="one_per_premise",
    )
    body = client.get(program_page(home, add_page, "GIP").url).content.decode()
    assert "Your account must have gas service." in body
    assert "<caption>What the program pays</caption>" in body
    assert (
        '<th scope="row">High-efficiency gas furnace</th><td>$500.00 per unit</td>'
        in body
    )
    assert "<td>One per premise</td>" in body


def test_changing_the_program_changes_the_page_without_editing_it(
    client, home, add_page
):
    program = ProgramFactory(code="GIP")
    measure = MeasureFactory(program=program, amount=Decimal("500.00"))
    page = program_page(home, add_page, "GIP")
    measure.amount = Decimal("650.00")
    measure.save()
    assert "$650.00 per unit" in client.get(page.url).content.decode()


def test_a_loan_page_shows_the_products_terms(client, home, add_page):
    body = client.get(program_page(home, add_page, "ZI").url).content.decode()
    assert "<dd>0% a year (no interest)</dd>" in body
    assert "<dd>$500.00 to $10,000.00</dd>" in body
    assert "<dd>1 to 60 months</dd>" in body
    assert 'id="calculator"' in body


def test_the_calculator_answers_a_get_with_the_monthly_payment(client, home, add_page):
    page = program_page(home, add_page, "ZI")
    body = client.get(page.url, {"amount": "6,000", "term": "60"}).content.decode()
    assert "<dt>Monthly payment</dt><dd>$100.00</dd>" in body
    assert "<dt>Total of payments</dt><dd>$6,000.00</dd>" in body
    assert "<dt>Total interest</dt><dd>$0.00</dd>" in body


def test_the_calculator_at_five_percent_shows_the_interest(client, home, add_page):
    page = program_page(home, add_page, "EE")
    body = client.get(page.url, {"amount": "6000", "term": "60"}).content.decode()
    assert "<dd>$113.23</dd>" in body
    assert "60 (the last one is $113.06)" in body
    assert "<dt>Total interest</dt><dd>$793.63</dd>" in body
    assert "leaves out the $50.00 origination fee" in body


def test_a_term_too_long_is_refused_on_its_field_and_shows_no_result(
    client, home, add_page
):
    page = program_page(home, add_page, "EE")
    response = client.get(page.url, {"amount": "6000", "term": "61"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The longest term for this loan is 60 months." in body
    assert "Monthly payment" not in body
    # The message is tied to the term input for screen readers.
    assert 'aria-describedby="id_term_error' in body or "id_term_error" in body


def test_the_apply_button_names_the_product(client, home, add_page):
    body = client.get(program_page(home, add_page, "EE").url).content.decode()
    try:
        apply_url = reverse("customer:apply_loan")
    except NoReverseMatch:
        # The apply pages are not there yet: the button asks to log in.
        assert reverse("portal:login") in body
    else:
        assert f'href="{apply_url}?product=EE"' in body


def test_a_page_whose_program_is_gone_shows_its_prose_and_no_table(
    client, home, add_page
):
    program = ProgramFactory(code="OLD")
    page = program_page(home, add_page, "OLD")
    ProgramPage.objects.filter(pk=page.pk).update(program_code="GONE")
    program.delete()
    response = client.get(page.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Prose about the program." in body
    assert "<table" not in body and "Loan calculator" not in body


def test_the_editor_refuses_an_unknown_code_on_the_field(home):
    page = ProgramPage(title="X", slug="x", program_code="NOPE", summary="S")
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert refused.value.message_dict["program_code"] == [
        "No program or loan product has the code “NOPE”. Use the code shown in "
        "the back office under Programs or Loan products (e.g. GIP or EE)."
    ]


def test_a_known_program_or_loan_code_is_accepted(home):
    ProgramFactory(code="GIP")
    for code in ["GIP", "EE", ""]:
        ProgramPage(title="X", slug="x", program_code=code, summary="S").clean()


def test_a_closed_program_says_so_and_offers_no_apply_button(client, home, add_page):
    ProgramFactory(code="OLD", is_active=False)
    body = client.get(program_page(home, add_page, "OLD").url).content.decode()
    assert "This program is not taking applications at the moment." in body
    assert "Log in to apply" not in body and "Apply online</a>" not in body


def test_a_program_past_its_end_date_is_closed(client, home, add_page):
    from datetime import date

    ProgramFactory(code="FY25", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    body = client.get(program_page(home, add_page, "FY25").url).content.decode()
    assert "This program is not taking applications at the moment." in body


def test_a_withdrawn_loan_product_says_so(client, home, add_page):
    from loans.models import LoanProduct

    page = program_page(home, add_page, "WS")
    LoanProduct.objects.filter(code="WS").update(is_active=False)
    body = client.get(page.url).content.decode()
    assert "This loan is not taking applications at the moment." in body
