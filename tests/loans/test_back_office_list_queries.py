"""The loan and customer lists at scale: the last page, the searches and the
DPD filter read a fixed number of queries however many loans there are (10
vs 500), none of them reads installments or payments, a search finds what
it should through its one search text, and on PostgreSQL the searches can
use their trigram indexes."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from loans.models import Loan, LoanProduct
from portal.models import Customer
from portal.viewsets import customers_matching
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, [q["sql"] for q in ctx.captured_queries]


def add_loans(count, start, **fields):
    product = LoanProduct.objects.get(code="EE")
    customer = fields.pop("customer", None) or CustomerFactory()
    Loan.objects.bulk_create(
        [
            Loan(
                number=f"Q-{start + i:05d}",
                customer=customer,
                product=product,
                principal=Decimal("1000.00"),
                annual_rate=Decimal("5.00"),
                term_months=12,
                installment_amount=Decimal("85.61"),
                first_due_date=date(2026, 2, 1),
                status="active",
                oldest_unpaid_due=date.today() - timedelta(days=(start + i) * 7 % 150),
                **fields,
            )
            for i in range(count)
        ]
    )


def last_page(count):
    return f"{reverse('loans:index')}?p={-(-count // 20)}"


URLS = {
    "search by number": "?q=Q-0000",
    "search by customer": "?q=Lovelace",
    "search by account": "?q=777001",
    "DPD bucket": "?dpd_bucket=31-60",
}


def test_loan_list_pages_read_the_same_queries_at_10_and_500_loans(client, staff_alice):
    client.force_login(staff_alice)
    ada = CustomerFactory(first_name="Ada", last_name="Lovelace")
    account = UtilityAccountFactory(number="777001", customer=ada)
    add_loans(5, 0, customer=ada, account=account)
    add_loans(5, 5)
    index = reverse("loans:index")
    # The first admin page in a process also fills process-wide caches
    # (content types for the sidebar), which later pages reuse.
    page(client, index)
    before = {label: len(page(client, index + q)[1]) for label, q in URLS.items()}
    before["last page"] = len(page(client, last_page(10))[1])
    add_loans(490, 10)
    for label, query in URLS.items():
        response, sql = page(client, index + query)
        assert len(sql) == before[label], label
        assert not any("loans_installment" in q or "loans_payment" in q for q in sql), (
            label
        )
    response, sql = page(client, last_page(500))
    assert len(sql) == before["last page"]
    assert "Q-00499" in response.content.decode()


def test_the_last_page_shows_the_last_loans_in_order(client, staff_alice):
    client.force_login(staff_alice)
    add_loans(45, 0)
    response, _ = page(client, last_page(45))
    shown = [
        n for n in (f"Q-{i:05d}" for i in range(45)) if n in response.content.decode()
    ]
    assert shown == [f"Q-{i:05d}" for i in range(40, 45)]


def test_a_loan_search_finds_loans_by_number_customer_and_account(client, staff_alice):
    client.force_login(staff_alice)
    ada = CustomerFactory(first_name="Ada", last_name="Lovelace")
    account = UtilityAccountFactory(number="777001", customer=CustomerFactory())
    add_loans(1, 0, customer=ada)
    add_loans(1, 1, account=account)
    add_loans(1, 2)
    index = reverse("loans:index")

    def found(query):
        content = page(client, f"{index}?q={query}")[0].content.decode()
        return [n for n in ("Q-00000", "Q-00001", "Q-00002") if n in content]

    assert found("lovelace") == ["Q-00000"]
    assert found("777001") == ["Q-00001"]
    assert found("Q-00002") == ["Q-00002"]


def test_the_customer_search_reads_names_email_phone_and_address_as_one_text():
    ada = CustomerFactory(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        phone="555-0199",
        mailing_line1="12 Analytical Row",
    )
    CustomerFactory(first_name="Charles", last_name="Babbage")
    for text in ["ada lovelace", "ADA@EXAMPLE", "555-0199", "analytical row"]:
        assert list(customers_matching(text)) == [ada], text


def test_the_customer_list_search_query_count_does_not_grow(client, staff_alice):
    client.force_login(staff_alice)
    CustomerFactory(last_name="Needle")
    url = reverse("customers:index") + "?q=needle"
    response, sql = page(client, url)
    Customer.objects.bulk_create(
        [Customer(first_name="Pat", last_name=f"Hay{i}") for i in range(300)]
    )
    response, more = page(client, url)
    assert len(more) == len(sql)
    assert "Needle" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: customers_matching("lovelace").order_by(), "cust_search_text_trgm"),
        (
            lambda: Loan.objects.filter(number__icontains="Q-001").order_by(),
            "loan_number_trgm",
        ),
    ],
)
def test_on_postgresql_the_searches_can_use_their_trigram_index(queryset, index):
    CustomerFactory(first_name="Ada", last_name="Lovelace")
    sql, params = queryset().query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny test table is cheaper to scan: ask whether the index serves
        # the expression at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
