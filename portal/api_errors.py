"""Every answer under /api/v1/ is JSON, errors included, and none is cached.

django-ninja shapes the errors its own views raise (portal.api_v1). What
happens around them does not pass through ninja: a path that matches no
endpoint, a method an endpoint does not take (405), a body over the upload
limit, an error in middleware. `ApiErrorShapeMiddleware` gives those the same
`{"message": ...}` shape, and `api_not_found` answers unknown paths with any
method (without it, a POST to an unknown path meets APPEND_SLASH's RuntimeError
and an unknown GET gets Django's HTML 404 page).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

API_PREFIX = "/api/v1/"
DOCS_PREFIXES = ("/api/v1/docs", "/api/v1/openapi.json")

MESSAGES = {
    400: "The request is malformed.",
    401: "Authentication required: send 'Authorization: Bearer <token>'.",
    403: "Forbidden.",
    404: "Not found.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state; try again.",
    413: "The request body is too large.",
    500: "Something went wrong on our side; it has been logged.",
}


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def error_json(status: int, message: str | None = None) -> JsonResponse:
    fallback = MESSAGES.get(status, "The request failed.")
    return JsonResponse({"message": message or fallback}, status=status)


@csrf_exempt
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return error_json(404, f"No API endpoint at {request.path}.")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and not request.path.startswith(
            DOCS_PREFIXES
        ):
            # Answers carry customers' and loans' data: never stored by a
            # browser or a shared cache.
            response["Cache-Control"] = "no-store"
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not _is_json(response)
            and not getattr(response, "streaming", False)
        ):
            allow = response.get("Allow")
            shaped = error_json(response.status_code)
            if allow:
                shaped["Allow"] = allow
            return shaped
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_json(413)
        if isinstance(exception, SuspiciousOperation | json.JSONDecodeError):
            return error_json(400)
        return None
