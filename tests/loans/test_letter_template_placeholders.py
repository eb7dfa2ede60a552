"""A letter template names only the documented placeholders, written
{name}: an unknown or broken one is refused on save with a message naming
it, through the model, the service and the back-office form alike."""

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from loans.models import PLACEHOLDERS, LetterTemplate
from loans.models.letters import fill, placeholder_problems
from loans.services.letters import letter_template_create, letter_template_update

pytestmark = pytest.mark.django_db

KNOWN = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def test_every_documented_placeholder_is_accepted():
    text = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    assert placeholder_problems(text) == []


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "Dear {customer}",
            f"{{customer}} is not a placeholder. Use one of: {KNOWN}.",
        ),
        (
            "Pay {past_due_amount by Friday",
            "“Pay {past_due_a”",
        ),
        ("Pay {{loan_number}}", "“Pay {}”"),
        ("{loan.customer.user.password}", "{loan.customer.user.password}"),
        ("{ loan_number }", "{ loan_number }"),
        ("{% load static %}", "{% load static %} is a broken placeholder"),
    ],
)
def test_an_unknown_or_broken_placeholder_is_named(text, problem):
    problems = placeholder_problems(text)
    assert problems
    assert problem in problems[0]


def test_the_models_validation_refuses_it_on_the_field():
    template = LetterTemplate(
        code="x", name="X", subject="Loan {loan_numbr}", body="Dear {customer_name}"
    )
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert list(refused.value.message_dict) == ["subject"]
    assert refused.value.message_dict["subject"][0].startswith(
        "{loan_numbr} is not a placeholder."
    )


def test_the_service_refuses_it_and_changes_nothing(supervisor_bob):
    reminder = LetterTemplate.objects.get(code="reminder")
    with pytest.raises(ValidationError) as refused:
        letter_template_update(
            actor=supervisor_bob, template=reminder, body="Pay {amount_due} now."
        )
    assert "{amount_due} is not a placeholder" in refused.value.message_dict["body"][0]
    reminder.refresh_from_db()
    assert "{amount_due}" not in reminder.body
    with pytest.raises(ValidationError):
        letter_template_create(
            actor=supervisor_bob, code="new", name="New", subject="Hi {", body="x"
        )
    assert not LetterTemplate.objects.filter(code="new").exists()


def test_the_back_office_form_shows_the_message_and_saves_nothing(
    client, supervisor_bob
):
    client.force_login(supervisor_bob)
    reminder = LetterTemplate.objects.get(code="reminder")
    response = client.post(
        reverse("letter_templates:edit", args=[reminder.pk]),
        {
            "name": reminder.name,
            "kind": reminder.kind,
            "subject": reminder.subject,
            "body": "Dear {custmer_name}, pay {past_due_amount}.",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "{custmer_name} is not a placeholder." in response.content.decode()
    reminder.refresh_from_db()
    assert "{custmer_name}" not in reminder.body


def test_a_good_edit_is_saved_with_its_history(client, supervisor_bob):
    client.force_login(supervisor_bob)
    reminder = LetterTemplate.objects.get(code="reminder")
    response = client.post(
        reverse("letter_templates:edit", args=[reminder.pk]),
        {
            "name": reminder.name,
            "kind": reminder.kind,
            "subject": reminder.subject,
            "body": "Dear {customer_name}, {past_due_amount} is past due.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.body == "Dear {customer_name}, {past_due_amount} is past due."
    latest = reminder.history.first()
    assert latest.history_user == supervisor_bob
    assert latest.history_change_reason == "Letter template reminder edited"


def test_staff_may_read_templates_but_not_edit_them(client, staff_alice):
    client.force_login(staff_alice)
    reminder = LetterTemplate.objects.get(code="reminder")
    assert client.get(reverse("letter_templates:index")).status_code == 200
    response = client.get(reverse("letter_templates:edit", args=[reminder.pk]))
    assert response.status_code in (302, 403)


def test_fill_replaces_each_placeholder_with_its_text():
    assert fill(
        "Loan {loan_number}: {balance}", {"loan_number": "L-1", "balance": "$5.00"}
    ) == ("Loan L-1: $5.00")


def test_the_seeded_templates_are_all_valid():
    codes = set(LetterTemplate.objects.values_list("code", flat=True))
    assert {
        "reminder",
        "second_notice",
        "final_notice",
        "attorney_referral_notice",
        "statement",
        "coupon_book",
    } <= codes
    for template in LetterTemplate.objects.all():
        template.full_clean()


def test_a_supervisor_adds_a_template_in_the_back_office(client, supervisor_bob):
    client.force_login(supervisor_bob)
    data = {
        "code": "courtesy_call_letter",
        "name": "Courtesy letter",
        "kind": "notice",
        "subject": "About loan {loan_number",
        "body": "Dear {customer_name}, please call {office_phone}.",
        "is_active": "on",
    }
    refused = client.post(reverse("letter_templates:add"), data)
    assert refused.status_code == 200
    assert "is a broken placeholder" in refused.content.decode()
    assert not LetterTemplate.objects.filter(code="courtesy_call_letter").exists()
    data["subject"] = "About loan {loan_number}"
    assert client.post(reverse("letter_templates:add"), data).status_code == 302
    created = LetterTemplate.objects.get(code="courtesy_call_letter")
    assert created.history.first().history_user == supervisor_bob
