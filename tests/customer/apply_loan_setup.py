"""Shared set-up for the online loan application tests: a customer with a
log-in, an account and the property it serves, and the answers of each step
as a browser would post them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from loans.models import LoanProduct
from portal import roles
from portal.models import OnlineApplication
from tests.factories import (
    CustomerFactory,
    PropertyFactory,
    UserFactory,
    UtilityAccountFactory,
)
from tests.factories.files import pdf_bytes, upload


class Applicant:
    """A customer who applies online: log-in, customer, account, property."""

    def __init__(self, username: str = "carol", accounts: int = 1) -> None:
        self.user = UserFactory(username=username, email=f"{username}@example.org")
        self.user.groups.add(Group.objects.get(name=roles.CUSTOMER))
        self.customer = CustomerFactory(
            first_name=username.title(), last_name="Jensen", user=self.user
        )
        self.parcel = PropertyFactory()
        self.parcel.owners.add(self.customer)
        self.accounts = [
            UtilityAccountFactory(customer=self.customer, service_property=self.parcel)
            for _ in range(accounts)
        ]
        self.account = self.accounts[0]

    def client(self) -> Client:
        """A fresh browser session, logged in."""
        client = Client()
        client.force_login(self.user)
        return client


def product(code: str = "EE") -> LoanProduct:
    return LoanProduct.objects.get(code=code)


def loan_answers(applicant: Applicant, **changes: Any) -> dict[str, Any]:
    return {
        "account": applicant.account.pk,
        "parcel": applicant.parcel.pk,
        "product": product("EE").pk,
        "amount": "4000.00",
        "term": "48",
        **changes,
    }


def project_answers(**changes: Any) -> dict[str, Any]:
    return {
        "measures": ["insulation", "heat_pump"],
        "purpose": "Attic insulation to R-30 and a cold-climate heat pump",
        "contractor_name": "Riverton Home Energy",
        **changes,
    }


def proposal_pdf(name: str = "proposal.pdf") -> Any:
    return upload(name, pdf_bytes(), "application/pdf")


def step_url(draft: OnlineApplication, step: str) -> str:
    return reverse("customer:apply_loan_step", args=[draft.pk, step])


def start(client: Client, applicant: Applicant, **changes: Any) -> OnlineApplication:
    """Step 1 posted: the new draft."""
    response = client.post(
        reverse("customer:apply_loan"), loan_answers(applicant, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return OnlineApplication.objects.filter(customer=applicant.customer).latest("pk")


def fill_in(client: Client, applicant: Applicant, *, proposal: bool = True) -> Any:
    """Steps 1 to 3 posted: the draft, ready for review."""
    draft = start(client, applicant)
    data = project_answers()
    if proposal:
        data["proposal"] = proposal_pdf()
    response = client.post(step_url(draft, "project"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(step_url(draft, "check"))
    assert response.status_code == 302
    draft.refresh_from_db()
    return draft


def submit(client: Client, draft: OnlineApplication) -> Any:
    return client.post(step_url(draft, "review"), {"confirm": "on"})
