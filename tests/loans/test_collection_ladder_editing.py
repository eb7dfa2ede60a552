"""The ladder is data a supervisor edits in the back office (Loans ›
Collection ladder), with its history; program staff only read it."""

from django.urls import reverse

import pytest

from loans.models import CollectionStep

pytestmark = pytest.mark.django_db


def test_a_supervisor_changes_a_step_and_the_change_is_in_its_history(
    client, supervisor_bob
):
    step = CollectionStep.objects.get(order=3)
    client.force_login(supervisor_bob)
    url = reverse("collection_steps:edit", args=[step.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "order": 3,
            "label": "Telephone call",
            "dpd_threshold": 40,
            "after_action": "",
            "action_type": "call",
            "channel": "phone",
            "template_code": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:800]
    step.refresh_from_db()
    assert step.dpd_threshold == 40
    latest = step.history.first()
    assert latest.history_user == supervisor_bob
    assert latest.dpd_threshold == 40


def test_a_letter_step_without_its_template_is_refused_on_the_field(
    client, supervisor_bob
):
    step = CollectionStep.objects.get(order=1)
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("collection_steps:edit", args=[step.pk]),
        {
            "order": 1,
            "label": "Reminder letter",
            "dpd_threshold": 10,
            "after_action": "",
            "action_type": "letter",
            "channel": "mail",
            "template_code": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "A letter step needs its letter template code." in response.content.decode()
    step.refresh_from_db()
    assert step.template_code == "reminder"


def test_program_staff_read_the_ladder_but_cannot_change_it(client, staff_alice):
    step = CollectionStep.objects.get(order=1)
    client.force_login(staff_alice)
    assert client.get(reverse("collection_steps:index")).status_code == 200
    response = client.get(reverse("collection_steps:edit", args=[step.pk]))
    assert response.status_code in (302, 403)
    assert not staff_alice.has_perm("loans.change_collectionstep")
