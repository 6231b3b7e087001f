"""RFC 9457 problem details: the one table that maps errors to status codes."""

import logging
import re
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from domain.imports.errors import FileTooLarge, UnsupportedFileType
from domain.shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidValue,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from entrypoints.http.access import ForbiddenFields

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct, frozen=True):
    field: str
    message: str


class ProblemDetails(msgspec.Struct, frozen=True, omit_defaults=True):
    """Every error response of the API (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[ProblemDetails]:
    title = HTTPStatus(status).phrase
    body = ProblemDetails(
        type=f"https://campus-residence.dev/problems/{title.lower().replace(' ', '-')}",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_NAMED_FIELD = re.compile(r"(?:unknown|required) field `(?P<field>[^`]+)`")


def _field_error(message: str, key: str) -> FieldError:
    """Litestar gives the path of the bad value as `key` ("floors", "nightly_rate.amount", or
    "data" for the body itself); msgspec names a missing or unknown field only in the message."""
    field = "" if key == "data" else key
    if named := _NAMED_FIELD.search(message):
        field = f"{field}.{named.group('field')}" if field else named.group("field")
    return FieldError(field=field or "body", message=message)


def _validation_errors(error: ValidationException) -> list[FieldError]:
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [
        _field_error(str(item.get("message", error.detail)), str(item.get("key", "")))
        for item in extra
        if isinstance(item, dict)
    ]
    return errors or [_field_error(error.detail, "")]


def on_validation(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[ProblemDetails]:
    errors = _validation_errors(error)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem(request, 422, detail, errors)


def on_invalid_value(
    request: Request[Any, Any, Any], error: InvalidValue
) -> Response[ProblemDetails]:
    return problem(request, 422, error.message, [FieldError(error.field, error.reason)])


def on_not_found(request: Request[Any, Any, Any], error: NotFound) -> Response[ProblemDetails]:
    return problem(request, 404, error.message)


def on_conflict(request: Request[Any, Any, Any], error: Conflict) -> Response[Any]:
    errors = [FieldError(error.field, error.message)] if error.field else None
    response = problem(request, 409, error.message, errors)
    # RFC 9457 extension members: a conflict that carries data for the caller to act on
    # (the bookings a closure would meet) adds them beside the standard members.
    extensions = getattr(error, "extensions", None)
    if extensions:
        response.content = {**msgspec.to_builtins(response.content), **extensions}
    return response


def on_unauthenticated(
    request: Request[Any, Any, Any], error: Unauthenticated
) -> Response[ProblemDetails]:
    # RFC 6750: a 401 names the scheme the client should use.
    return problem(request, 401, error.message, headers={"WWW-Authenticate": "Bearer"})


def on_forbidden(request: Request[Any, Any, Any], error: Forbidden) -> Response[ProblemDetails]:
    errors = None
    if isinstance(error, ForbiddenFields):
        errors = [FieldError(field, error.reason) for field in error.fields]
    return problem(request, 403, error.message, errors)


def on_rate_limited(
    request: Request[Any, Any, Any], error: RateLimited
) -> Response[ProblemDetails]:
    headers = {"Retry-After": str(error.retry_after_seconds)}
    return problem(request, 429, error.message, headers=headers)


def on_file_too_large(
    request: Request[Any, Any, Any], error: FileTooLarge
) -> Response[ProblemDetails]:
    return problem(request, 413, error.message, [FieldError("file", error.message)])


def on_unsupported_file_type(
    request: Request[Any, Any, Any], error: UnsupportedFileType
) -> Response[ProblemDetails]:
    return problem(request, 415, error.message, [FieldError("file", error.message)])


def on_domain_error(
    request: Request[Any, Any, Any], error: DomainError
) -> Response[ProblemDetails]:
    return problem(request, 422, error.message)


def on_http_error(
    request: Request[Any, Any, Any], error: HTTPException
) -> Response[ProblemDetails]:
    return problem(request, error.status_code, error.detail, headers=error.headers)


# Seconds a client is asked to wait when a service the request needs is down: about what a
# restarted PostgreSQL or Redis takes to accept connections again.
RETRY_AFTER_OUTAGE_SECONDS = 5


def on_database_error(
    request: Request[Any, Any, Any], error: DBAPIError
) -> Response[ProblemDetails]:
    """A lost or refused connection is an outage (503), anything else a bug (500). Either way the
    unit of work rolled back, so nothing was half-written."""
    if error.connection_invalidated or isinstance(error, OperationalError | InterfaceError):
        return on_service_unavailable(request, error)
    return on_unexpected(request, error)


def on_service_unavailable(
    request: Request[Any, Any, Any], error: Exception
) -> Response[ProblemDetails]:
    logger.error("service unavailable on %s %s: %s", request.method, request.url.path, error)
    return problem(
        request,
        503,
        "A service this request needs is unavailable; nothing was changed. Try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER_OUTAGE_SECONDS)},
    )


def on_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[ProblemDetails]:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return problem(request, 500, "An unexpected error occurred; it has been logged.")


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    ValidationException: on_validation,
    InvalidValue: on_invalid_value,
    NotFound: on_not_found,
    Conflict: on_conflict,
    Unauthenticated: on_unauthenticated,
    Forbidden: on_forbidden,
    RateLimited: on_rate_limited,
    FileTooLarge: on_file_too_large,
    UnsupportedFileType: on_unsupported_file_type,
    DomainError: on_domain_error,
    HTTPException: on_http_error,
    DBAPIError: on_database_error,
    RedisConnectionError: on_service_unavailable,
    RedisTimeoutError: on_service_unavailable,
    ConnectionRefusedError: on_service_unavailable,
    Exception: on_unexpected,
}
