"""The JSON API at /api/v1/ (OpenAPI document at /api/v1/openapi.json).

Every error is JSON: {"message": "...", "errors": {"field": ["..."]}} with the
field messages present on 400s.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from portal.api_auth import BearerToken

INVALID_INPUT = "Some fields are not valid; see errors."
AUTH_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>'."
NOT_FOUND = "Not found."

api = NinjaAPI(
    title="Utility Loans & Energy Programs Portal API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def error_response(
    request: Any, status: int, message: str, errors: dict[str, list[str]] | None = None
) -> Any:
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _field_name(loc: list[Any]) -> str:
    # loc is e.g. ["body", "payload", "customer", "email"]: drop where it came from
    parts = [str(p) for p in loc[1:] if p not in ("payload",)]
    if loc and loc[0] in ("query", "path") and len(loc) > 1:
        parts = [str(loc[-1])]
    return ".".join(parts) or "__all__"


def _clean_message(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: Any, exc: NinjaValidationError) -> Any:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(
            _clean_message(str(error.get("msg", "Invalid value.")))
        )
    return error_response(request, 400, INVALID_INPUT, errors)


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: Any, exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        errors = {field: list(msgs) for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": list(exc.messages)}
    return error_response(request, 400, INVALID_INPUT, errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: Any, exc: AuthenticationError) -> Any:
    response = error_response(request, 401, AUTH_REQUIRED)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: Any, exc: PermissionDenied) -> Any:
    return error_response(request, 403, str(exc) or "Forbidden.")


@api.exception_handler(Throttled)
def _throttled(request: Any, exc: Throttled) -> Any:
    # e.g. too many wrong tokens from one address (portal.api_auth)
    response = error_response(request, 429, exc.message)
    if exc.wait is not None:
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(HttpError)
def _http_error(request: Any, exc: HttpError) -> Any:
    return error_response(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def _not_found(request: Any, exc: Http404) -> Any:
    return error_response(request, 404, str(exc) or NOT_FOUND)


def _mount_routers() -> None:
    from loans.api import router as loans_router
    from portal.api import router as portal_router
    from programs.api import router as programs_router

    api.add_router("", portal_router)
    api.add_router("", loans_router)
    api.add_router("", "loans.api_collections.router")
    api.add_router("", programs_router)
    api.add_router("", "portal.api_accounts.router")
    # /deposits/adequacy-review before the deposits router's /deposits/{id}.
    api.add_router("", "liens.api_adequacy.router")
    api.add_router("", "liens.api_deposits.router")
    api.add_router("", "liens.api_liens.router")
    api.add_router("", "regulatory_reports.api.router")


_mount_routers()
