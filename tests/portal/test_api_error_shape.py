"""Every answer under /api/v1/ is JSON, whatever the path and the method:
unknown paths, wrong methods and oversize bodies included."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/no/such/thing/"])
def test_an_unknown_api_path_is_a_json_404_for_every_method(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": f"No API endpoint at {path}."}


def test_a_method_an_endpoint_does_not_take_is_a_json_405(api_client_for, staff_alice):
    client = api_client_for(staff_alice)
    response = client.delete("/api/v1/customers")
    assert response.status_code == 405
    assert response.json() == {"message": "This method is not allowed here."}
    assert "GET" in response["Allow"]


def test_a_body_over_the_limit_is_a_json_413(api_client_for, cashier_casey, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = api_client_for(cashier_casey)
    response = client.post(
        "/api/v1/loans/EE-1/payments",
        data="{" + '"x": "' + "a" * 5000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"message": "The request body is too large."}


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_api_answers_with_customer_data_are_never_cached(api_client_for, staff_alice):
    client = api_client_for(staff_alice)
    response = client.get("/api/v1/customers")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert client.get("/api/v1/no-such-thing")["Cache-Control"] == "no-store"


def test_the_api_docs_work_offline_from_the_projects_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page


def test_a_five_megabyte_body_is_a_json_413_with_the_default_limit(
    api_client_for, cashier_casey
):
    client = api_client_for(cashier_casey)
    response = client.post(
        "/api/v1/loans/EE-1/payments",
        data='{"reference": "' + "a" * (5 * 1024 * 1024) + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"message": "The request body is too large."}
