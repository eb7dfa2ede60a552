"""The PSC report end to end with the real kind and exporter: the API
generates it for 2026-Q3 with the known portfolio's figures, the workbook it
stores opens with a Summary sheet and the sections, a second person reviews
and files it, and the filed version is final."""

import io
import json

import pytest
import time_machine
from openpyxl import load_workbook

from regulatory_reports.models import ReportRun
from tests.regulatory_reports.psc_portfolio import TODAY, build_portfolio


def post(client, path, body=None):
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def second_supervisor(db):
    from django.contrib.auth.models import Group

    from portal import roles
    from tests.factories import UserFactory

    user = UserFactory(username="sam", first_name="Sam")
    user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    return user


def test_the_psc_report_is_generated_reviewed_and_filed_through_the_api(
    staff_alice, supervisor_bob, second_supervisor, api_client_for
):
    build_portfolio(staff_alice, supervisor_bob)
    with time_machine.travel(TODAY, tick=False):
        made = post(
            api_client_for(supervisor_bob), "/api/v1/reports/psc", {"period": "2026-Q3"}
        )
        assert made.status_code == 201, made.content
        body = made.json()
        assert (body["kind"], body["period"], body["version"], body["status"]) == (
            "psc",
            "2026-Q3",
            1,
            "generated",
        )
        assert (body["start"], body["end"]) == ("2026-07-01", "2026-09-30")
        assert body["summary"]["principal_start"] == "8700.00"
        assert body["summary"]["principal_end"] == "12700.00"
        assert body["summary"]["reconciles"] is True
        assert set(body["delinquent"]["buckets"]) == {
            "1-30",
            "31-60",
            "61-90",
            "91-120",
            "121+",
        }

        workbook = api_client_for(supervisor_bob).get(
            f"/api/v1/reports/{body['id']}.xlsx"
        )
        assert workbook.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
        assert book.sheetnames[0] == "Summary"
        assert len(book.sheetnames) > 1

        own = post(
            api_client_for(supervisor_bob), f"/api/v1/reports/{body['id']}/review"
        )
        assert own.status_code == 403
        reviewed = post(
            api_client_for(second_supervisor), f"/api/v1/reports/{body['id']}/review"
        )
        assert reviewed.status_code == 200
        assert reviewed.json()["status"] == "reviewed"
        filed = post(
            api_client_for(second_supervisor), f"/api/v1/reports/{body['id']}/file"
        )
        assert filed.json()["status"] == "filed"
        again = post(
            api_client_for(second_supervisor), f"/api/v1/reports/{body['id']}/file"
        )
        assert again.status_code == 409
    assert ReportRun.objects.get().is_filed()
