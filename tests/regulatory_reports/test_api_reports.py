"""The reports API: generate, read, review, file; 403 for who asks, 409 for
the run's state; amendments name the version they amend."""

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest

from regulatory_reports.models import ReportFile, ReportRun


def post(client, path, body=None):
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def as_user(api_client_for):
    return api_client_for


def test_generating_answers_201_with_the_run_and_its_figures(
    test_kind, supervisor_bob, as_user
):
    response = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q3"}
    )
    assert response.status_code == 201
    run = ReportRun.objects.get()
    assert response.json() == {
        "id": run.pk,
        "kind": "test_kind",
        "period": "2026-Q3",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "version": 1,
        "status": "generated",
        "receipts": {"count": 2, "amount": "350.50"},
    }


def test_an_unfinished_period_is_400_with_the_message_on_period(
    test_kind, supervisor_bob, as_user
):
    response = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q4"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "period": [
            "2026-Q4 has not ended yet (it ends on 2026-12-31); report it from 2027-01-01."
        ]
    }
    assert not ReportRun.objects.exists()


def test_a_period_that_is_no_period_is_400_on_period(
    test_kind, supervisor_bob, as_user
):
    response = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "Q3"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["period"]


def test_review_by_the_generator_is_403_and_by_another_supervisor_200(
    test_kind, supervisor_bob, supervisor_sam, as_user
):
    run_id = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q3"}
    ).json()["id"]
    own = post(as_user(supervisor_bob), f"/api/v1/reports/{run_id}/review")
    assert own.status_code == 403
    assert own.json() == {
        "message": "The person who generated a report can't review it."
    }
    other = post(as_user(supervisor_sam), f"/api/v1/reports/{run_id}/review")
    assert (other.status_code, other.json()["status"]) == (200, "reviewed")
    filed = post(as_user(supervisor_sam), f"/api/v1/reports/{run_id}/file")
    assert (filed.status_code, filed.json()["status"]) == (200, "filed")


def test_wrong_states_are_409(test_kind, supervisor_bob, supervisor_sam, as_user):
    run_id = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q3"}
    ).json()["id"]
    sam = as_user(supervisor_sam)
    early = post(sam, f"/api/v1/reports/{run_id}/file")
    assert early.status_code == 409
    assert early.json() == {
        "message": "Test receipts report 2026-Q3 v1 is generated; it can't be filed from there."
    }
    assert post(sam, f"/api/v1/reports/{run_id}/review").status_code == 200
    assert post(sam, f"/api/v1/reports/{run_id}/review").status_code == 409
    assert post(sam, f"/api/v1/reports/{run_id}/file").status_code == 200
    # Anything on a filed run, by anyone with the permission.
    assert post(sam, f"/api/v1/reports/{run_id}/file").status_code == 409
    assert post(sam, f"/api/v1/reports/{run_id}/review").status_code == 409
    assert (
        post(as_user(supervisor_bob), f"/api/v1/reports/{run_id}/review").status_code
        == 409
    )
    assert ReportRun.objects.get().status == "filed"


def test_a_second_post_for_a_filed_period_is_version_2_amending_version_1(
    test_kind, supervisor_bob, supervisor_sam, as_user
):
    bob, sam = as_user(supervisor_bob), None
    v1 = post(bob, "/api/v1/reports/test_kind", {"period": "2026-Q3"}).json()["id"]
    sam = as_user(supervisor_sam)
    post(sam, f"/api/v1/reports/{v1}/review")
    post(sam, f"/api/v1/reports/{v1}/file")
    test_kind["payments"].append(("ZI-0001", date(2026, 8, 15), Decimal("20.00")))
    bob = as_user(supervisor_bob)
    response = post(bob, "/api/v1/reports/test_kind", {"period": "2026-Q3"})
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["amends"], body["status"]) == (2, v1, "generated")
    assert body["receipts"] == {"count": 3, "amount": "370.50"}
    assert [c["loan"] for c in body["changes"] if "loan" in c] == ["ZI-0001"]


def test_the_auditor_reads_every_version_but_may_not_generate_or_review(
    test_kind, supervisor_bob, auditor_audrey, as_user
):
    run_id = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q3"}
    ).json()["id"]
    audrey = as_user(auditor_audrey)
    read = audrey.get(f"/api/v1/reports/{run_id}")
    assert (read.status_code, read.json()["version"]) == (200, 1)
    assert (
        post(audrey, "/api/v1/reports/test_kind", {"period": "2026-Q3"}).status_code
        == 403
    )
    assert post(audrey, f"/api/v1/reports/{run_id}/review").status_code == 403
    assert ReportRun.objects.count() == 1


def test_program_staff_and_customers_are_refused(
    test_kind, supervisor_bob, staff_alice, customer_carol, as_user
):
    run_id = post(
        as_user(supervisor_bob), "/api/v1/reports/test_kind", {"period": "2026-Q3"}
    ).json()["id"]
    for person in (staff_alice, customer_carol):
        client = as_user(person)
        assert client.get(f"/api/v1/reports/{run_id}").status_code == 403
        assert (
            post(client, "/api/v1/reports/test_kind", {"period": "2026-Q3"}).status_code
            == 403
        )


def test_the_workbook_downloads_as_an_attachment(test_kind, supervisor_bob, as_user):
    client = as_user(supervisor_bob)
    run_id = post(client, "/api/v1/reports/test_kind", {"period": "2026-Q3"}).json()[
        "id"
    ]
    workbook = ReportFile.objects.get(run_id=run_id, format="xlsx")
    response = client.get(f"/api/v1/reports/{run_id}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == workbook.sha256


def test_unknown_runs_and_kinds_are_404(test_kind, supervisor_bob, as_user):
    client = as_user(supervisor_bob)
    assert client.get("/api/v1/reports/999").status_code == 404
    assert client.get("/api/v1/reports/999.xlsx").status_code == 404
    assert (
        post(client, "/api/v1/reports/nope", {"period": "2026-Q3"}).status_code == 404
    )
