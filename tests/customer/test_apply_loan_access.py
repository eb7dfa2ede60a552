"""A draft belongs to its customer: every draft URL answers 404 to anyone
else (the same as for a draft that does not exist), and the pages need a
log-in."""

from __future__ import annotations

from django.urls import reverse

import pytest

from tests.customer.apply_loan_setup import (
    Applicant,
    fill_in,
    loan_answers,
    step_url,
    submit,
)

pytestmark = pytest.mark.django_db


def draft_urls(draft):
    return [
        reverse("customer:apply_loan_resume", args=[draft.pk]),
        reverse("customer:apply_loan_submitted", args=[draft.pk]),
        *(step_url(draft, step) for step in ["loan", "project", "check", "review"]),
    ]


def test_another_customer_gets_404_on_every_url_of_a_draft():
    owner, stranger = Applicant("carol"), Applicant("sam")
    draft = fill_in(owner.client(), owner)
    client = stranger.client()
    for url in draft_urls(draft):
        assert client.get(url).status_code == 404, url
        assert client.post(url, loan_answers(stranger)).status_code == 404, url
    draft.refresh_from_db()
    assert draft.data["loan"]["account"] == owner.account.pk
    assert draft.is_draft()


def test_another_customer_gets_404_on_a_sent_application_too():
    owner, stranger = Applicant("carol"), Applicant("sam")
    client = owner.client()
    draft = fill_in(client, owner)
    submit(client, draft)
    for url in draft_urls(draft):
        assert stranger.client().get(url).status_code == 404, url


def test_an_unknown_draft_or_step_is_404():
    applicant = Applicant()
    client = applicant.client()
    draft = fill_in(client, applicant)
    assert client.get(step_url(draft, "payout")).status_code == 404
    assert (
        client.get(reverse("customer:apply_loan_resume", args=[99999])).status_code
        == 404
    )


def test_the_pages_need_a_log_in(client):
    applicant = Applicant()
    draft = fill_in(applicant.client(), applicant)
    for url in [reverse("customer:apply_loan"), *draft_urls(draft)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_the_pages_are_never_cached():
    applicant = Applicant()
    client = applicant.client()
    response = client.get(reverse("customer:apply_loan"))
    assert "no-store" in response["Cache-Control"]
